import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditLevel, AuditLevelPipe, BooleanPipe, mapPage, type Page, PageParams, type PageRequest, Paginated, TenantScoped, UuidParam } from '@kb/platform';
import { PaymentQueryService, type PluginProperty } from '@kb/payment';
import { PluginProperties } from '../payment-method/plugin-property.pipe';
import { metadataController } from '../object-metadata/object-metadata.controller';
import { Payment } from './dto/payment.dto';
import { toPaymentJson } from './payment.mapper';
import { PaymentReadQueries } from './payment-read-options';

/** Tags, custom fields and auditLogsWithHistory of a payment. */
export class PaymentMetadataController extends metadataController({
  objectType: 'PAYMENT',
  path: 'payments',
  idParam: 'paymentId',
  operationName: 'Payment',
  label: 'payment',
}) {}

/** auditLogsWithHistory of a payment attempt. */
export class PaymentAttemptMetadataController extends metadataController({
  objectType: 'PAYMENT_ATTEMPT',
  path: 'payments/attempts',
  idParam: 'paymentAttemptId',
  operationName: 'PaymentAttempt',
  apiTag: 'Payment',
  label: 'payment attempt',
  routes: ['auditLogsWithHistory'],
}) {}

/** The read routes of Kill Bill's PaymentResource. Static paths come before `:paymentId`. */
@ApiTags('Payment')
@Controller('1.0/kb/payments')
export class PaymentReadController {
  constructor(private readonly payments: PaymentQueryService) {}

  @Get()
  @TenantScoped()
  @ApiOperation({ operationId: 'getPaymentByExternalKey', summary: 'Retrieve a payment by external key' })
  @ApiQuery({ name: 'externalKey', required: true, type: String })
  @PaymentReadQueries()
  @ApiOkResponse({ type: Payment })
  @ApiResponse({ status: 404, description: 'Payment not found' })
  async getPaymentByExternalKey(
    @Query('externalKey') externalKey: string | undefined,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @Query('withAttempts', new BooleanPipe(false)) withAttempts: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Payment> {
    return toPaymentJson(await this.payments.getByExternalKey(externalKey ?? '', { withPluginInfo, withAttempts, properties, audit }));
  }

  @Get('pagination')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPayments', summary: 'Get payments' })
  @Paginated()
  @ApiQuery({ name: 'pluginName', required: false, type: String })
  @PaymentReadQueries()
  @ApiOkResponse({ type: [Payment] })
  async getPayments(
    @PageParams() page: PageRequest,
    @Query('pluginName') pluginName: string | undefined,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @Query('withAttempts', new BooleanPipe(false)) withAttempts: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Page<Payment>> {
    return mapPage(await this.payments.list(page, { pluginName: pluginName || undefined, withPluginInfo, withAttempts, properties, audit }), toPaymentJson);
  }

  @Get('search/:searchKey')
  @TenantScoped()
  @ApiOperation({ operationId: 'searchPayments', summary: 'Search payments' })
  @Paginated()
  @ApiQuery({ name: 'pluginName', required: false, type: String })
  @PaymentReadQueries()
  @ApiOkResponse({ type: [Payment] })
  async searchPayments(
    @Param('searchKey') searchKey: string,
    @PageParams() page: PageRequest,
    @Query('pluginName') pluginName: string | undefined,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @Query('withAttempts', new BooleanPipe(false)) withAttempts: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Page<Payment>> {
    return mapPage(await this.payments.search(searchKey, page, { pluginName: pluginName || undefined, withPluginInfo, withAttempts, properties, audit }), toPaymentJson);
  }

  @Get(':paymentId')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPayment', summary: 'Retrieve a payment by id' })
  @PaymentReadQueries()
  @ApiOkResponse({ type: Payment })
  @ApiResponse({ status: 400, description: 'Invalid paymentId supplied' })
  @ApiResponse({ status: 404, description: 'Payment not found' })
  async getPayment(
    @UuidParam('paymentId') paymentId: string,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @Query('withAttempts', new BooleanPipe(false)) withAttempts: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Payment> {
    return toPaymentJson(await this.payments.getById(paymentId, { withPluginInfo, withAttempts, properties, audit }));
  }
}
