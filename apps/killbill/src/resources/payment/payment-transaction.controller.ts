import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditLevel, AuditLevelPipe, BooleanPipe, TenantScoped, UuidParam } from '@kb/platform';
import { PaymentQueryService, type PluginProperty } from '@kb/payment';
import { PluginProperties } from '../payment-method/plugin-property.pipe';
import { metadataController } from '../object-metadata/object-metadata.controller';
import { Payment } from './dto/payment.dto';
import { toPaymentJson } from './payment.mapper';
import { PaymentReadQueries } from './payment-read-options';

/** Tags, custom fields and auditLogsWithHistory of a payment transaction (operationIds getTransactionTags, …). */
export class PaymentTransactionMetadataController extends metadataController({
  objectType: 'TRANSACTION',
  path: 'paymentTransactions',
  idParam: 'transactionId',
  operationName: 'Transaction',
  apiTag: 'PaymentTransaction',
  label: 'payment transaction',
}) {}

/** The read routes of Kill Bill's PaymentTransactionResource: both answer the transaction's payment. */
@ApiTags('PaymentTransaction')
@Controller('1.0/kb/paymentTransactions')
export class PaymentTransactionReadController {
  constructor(private readonly payments: PaymentQueryService) {}

  @Get()
  @TenantScoped()
  @ApiOperation({ operationId: 'getPaymentByTransactionExternalKey', summary: 'Retrieve a payment by transaction external key' })
  @ApiQuery({ name: 'transactionExternalKey', required: true, type: String })
  @PaymentReadQueries()
  @ApiOkResponse({ type: Payment })
  @ApiResponse({ status: 404, description: 'Payment not found' })
  async getPaymentByTransactionExternalKey(
    @Query('transactionExternalKey') transactionExternalKey: string | undefined,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @Query('withAttempts', new BooleanPipe(false)) withAttempts: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Payment> {
    return toPaymentJson(await this.payments.getByTransactionExternalKey(transactionExternalKey ?? '', { withPluginInfo, withAttempts, properties, audit }));
  }

  @Get(':transactionId')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPaymentByTransactionId', summary: 'Retrieve a payment by transaction id' })
  @PaymentReadQueries()
  @ApiOkResponse({ type: Payment })
  @ApiResponse({ status: 404, description: 'Payment not found' })
  async getPaymentByTransactionId(
    @UuidParam('transactionId') transactionId: string,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @Query('withAttempts', new BooleanPipe(false)) withAttempts: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Payment> {
    return toPaymentJson(await this.payments.getByTransactionId(transactionId, { withPluginInfo, withAttempts, properties, audit }));
  }
}
