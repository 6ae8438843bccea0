import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  AuditedCall,
  AuditLevel,
  AuditLevelPipe,
  AuditQuery,
  BooleanPipe,
  mapPage,
  type Page,
  PageParams,
  type PageRequest,
  Paginated,
  RepeatedQueryDoc,
  TenantScoped,
  UuidParam,
} from '@kb/platform';
import { PaymentMethodService, type PluginProperty } from '@kb/payment';
import { PaymentMethod } from './payment-method.dto';
import { toPaymentMethodJson } from './payment-method.mapper';
import { PluginProperties } from './plugin-property.pipe';
import { metadataController } from '../object-metadata/object-metadata.controller';

/** Custom fields and auditLogsWithHistory of a payment method (Kill Bill mounts no tags on payment methods). */
export class PaymentMethodMetadataController extends metadataController({
  objectType: 'PAYMENT_METHOD',
  path: 'paymentMethods',
  idParam: 'paymentMethodId',
  operationName: 'PaymentMethod',
  label: 'payment method',
  routes: ['customFields', 'auditLogsWithHistory'],
}) {}

/** Kill Bill's PaymentMethodResource. Static paths come before `:paymentMethodId`. */
@ApiTags('PaymentMethod')
@Controller('1.0/kb/paymentMethods')
export class PaymentMethodController {
  constructor(private readonly paymentMethods: PaymentMethodService) {}

  @Get()
  @TenantScoped()
  @ApiOperation({ operationId: 'getPaymentMethodByKey', summary: 'Retrieve a payment method by external key' })
  @ApiQuery({ name: 'externalKey', required: true, type: String })
  @ApiQuery({ name: 'includedDeleted', required: false, schema: { type: 'boolean', default: false } })
  @ApiQuery({ name: 'withPluginInfo', required: false, schema: { type: 'boolean', default: false } })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @AuditQuery()
  @ApiOkResponse({ type: PaymentMethod })
  async getPaymentMethodByKey(
    @Query('externalKey') externalKey: string | undefined,
    @Query('includedDeleted', new BooleanPipe(false)) includedDeleted: boolean,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<PaymentMethod> {
    return toPaymentMethodJson(await this.paymentMethods.getByExternalKey(externalKey ?? '', { includedDeleted, withPluginInfo, properties, audit }));
  }

  @Get('pagination')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPaymentMethods', summary: 'List payment methods' })
  @Paginated()
  @ApiQuery({ name: 'pluginName', required: false, type: String })
  @ApiQuery({ name: 'withPluginInfo', required: false, schema: { type: 'boolean', default: false } })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @AuditQuery()
  @ApiOkResponse({ type: [PaymentMethod] })
  async getPaymentMethods(
    @PageParams() page: PageRequest,
    @Query('pluginName') pluginName: string | undefined,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Page<PaymentMethod>> {
    return mapPage(await this.paymentMethods.list(page, { pluginName, withPluginInfo, properties, audit }), toPaymentMethodJson);
  }

  @Get('search/:searchKey')
  @TenantScoped()
  @ApiOperation({ operationId: 'searchPaymentMethods', summary: 'Search payment methods' })
  @Paginated()
  @ApiQuery({ name: 'pluginName', required: false, type: String })
  @ApiQuery({ name: 'withPluginInfo', required: false, schema: { type: 'boolean', default: false } })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @AuditQuery()
  @ApiOkResponse({ type: [PaymentMethod] })
  async searchPaymentMethods(
    @Param('searchKey') searchKey: string,
    @PageParams() page: PageRequest,
    @Query('pluginName') pluginName: string | undefined,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<Page<PaymentMethod>> {
    return mapPage(await this.paymentMethods.search(searchKey, page, { pluginName, withPluginInfo, properties, audit }), toPaymentMethodJson);
  }

  @Get(':paymentMethodId')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPaymentMethod', summary: 'Retrieve a payment method by id' })
  @ApiQuery({ name: 'includedDeleted', required: false, schema: { type: 'boolean', default: false } })
  @ApiQuery({ name: 'withPluginInfo', required: false, schema: { type: 'boolean', default: false } })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @AuditQuery()
  @ApiOkResponse({ type: PaymentMethod })
  async getPaymentMethod(
    @UuidParam('paymentMethodId') paymentMethodId: string,
    @Query('includedDeleted', new BooleanPipe(false)) includedDeleted: boolean,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<PaymentMethod> {
    return toPaymentMethodJson(await this.paymentMethods.getById(paymentMethodId, { includedDeleted, withPluginInfo, properties, audit }));
  }

  @Delete(':paymentMethodId')
  @HttpCode(204)
  @TenantScoped('payment_method:delete')
  @AuditedCall()
  @ApiOperation({ operationId: 'deletePaymentMethod', summary: 'Delete a payment method' })
  @ApiQuery({ name: 'deleteDefaultPmWithAutoPayOff', required: false, schema: { type: 'boolean', default: false } })
  @ApiQuery({ name: 'forceDefaultPmDeletion', required: false, schema: { type: 'boolean', default: false } })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async deletePaymentMethod(
    @UuidParam('paymentMethodId') paymentMethodId: string,
    @Query('deleteDefaultPmWithAutoPayOff', new BooleanPipe(false)) deleteDefaultPmWithAutoPayOff: boolean,
    @Query('forceDefaultPmDeletion', new BooleanPipe(false)) forceDefaultPmDeletion: boolean,
    @PluginProperties() properties: PluginProperty[],
  ): Promise<void> {
    await this.paymentMethods.delete(paymentMethodId, { deleteDefaultPmWithAutoPayOff, forceDefaultPmDeletion, properties });
  }
}
