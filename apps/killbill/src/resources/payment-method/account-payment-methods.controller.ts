import { Body, Controller, Get, HttpCode, Put, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditedCall, AuditLevel, AuditLevelPipe, AuditQuery, BooleanPipe, Created, RepeatedQueryDoc, TenantScoped, UuidParam } from '@kb/platform';
import { InvoicePaymentService, PaymentMethodService, type PluginProperty } from '@kb/payment';
import { PaymentMethod } from './payment-method.dto';
import { toNewPaymentMethod, toPaymentMethodJson } from './payment-method.mapper';
import { PluginProperties } from './plugin-property.pipe';

/**
 * Kill Bill's AccountResource routes on payment methods; with `payAllUnpaidInvoices` the invoice
 * payments pay the unpaid invoices with the method once it is added or made the default.
 */
@ApiTags('Account')
@Controller('1.0/kb/accounts')
export class AccountPaymentMethodsController {
  constructor(
    private readonly paymentMethods: PaymentMethodService,
    private readonly invoicePayments: InvoicePaymentService,
  ) {}

  @Get(':accountId/paymentMethods')
  @TenantScoped()
  @ApiOperation({ operationId: 'getPaymentMethodsForAccount', summary: 'Retrieve account payment methods' })
  @ApiQuery({ name: 'withPluginInfo', required: false, schema: { type: 'boolean', default: false } })
  @ApiQuery({ name: 'includedDeleted', required: false, schema: { type: 'boolean', default: false } })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @AuditQuery()
  @ApiOkResponse({ type: [PaymentMethod] })
  async getPaymentMethodsForAccount(
    @UuidParam('accountId') accountId: string,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @Query('includedDeleted', new BooleanPipe(false)) includedDeleted: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<PaymentMethod[]> {
    return (await this.paymentMethods.forAccount(accountId, { withPluginInfo, includedDeleted, properties, audit })).map(toPaymentMethodJson);
  }

  @Post(':accountId/paymentMethods')
  @TenantScoped('payment_method:create')
  @AuditedCall()
  @Created('/1.0/kb/paymentMethods/{paymentMethodId}', PaymentMethod)
  @ApiOperation({ operationId: 'createPaymentMethod', summary: 'Add a payment method' })
  @ApiQuery({ name: 'isDefault', required: false, schema: { type: 'boolean', default: false } })
  @ApiQuery({ name: 'payAllUnpaidInvoices', required: false, schema: { type: 'boolean', default: false } })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async createPaymentMethod(
    @UuidParam('accountId') accountId: string,
    @Body() body: PaymentMethod,
    @Query('isDefault', new BooleanPipe(false)) isDefault: boolean,
    @Query('payAllUnpaidInvoices', new BooleanPipe(false)) payAllUnpaidInvoices: boolean,
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentMethodId: string }> {
    return { paymentMethodId: (await this.invoicePayments.addPaymentMethod(accountId, toNewPaymentMethod(body ?? {}), { isDefault, payAllUnpaidInvoices, properties })).id };
  }

  @Put(':accountId/paymentMethods/refresh')
  @HttpCode(204)
  @TenantScoped('payment_method:update')
  @AuditedCall()
  @ApiOperation({ operationId: 'refreshPaymentMethods', summary: 'Refresh account payment methods' })
  @ApiQuery({ name: 'pluginName', required: false, type: String })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async refreshPaymentMethods(
    @UuidParam('accountId') accountId: string,
    @Query('pluginName') pluginName: string | undefined,
    @PluginProperties() properties: PluginProperty[],
  ): Promise<void> {
    await this.paymentMethods.refresh(accountId, pluginName || undefined, properties);
  }

  @Put(':accountId/paymentMethods/:paymentMethodId/setDefault')
  @HttpCode(204)
  @TenantScoped('payment_method:update')
  @AuditedCall()
  @ApiOperation({ operationId: 'setDefaultPaymentMethod', summary: 'Set the default payment method' })
  @ApiQuery({ name: 'payAllUnpaidInvoices', required: false, schema: { type: 'boolean', default: false } })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async setDefaultPaymentMethod(
    @UuidParam('accountId') accountId: string,
    @UuidParam('paymentMethodId') paymentMethodId: string,
    @Query('payAllUnpaidInvoices', new BooleanPipe(false)) payAllUnpaidInvoices: boolean,
    @PluginProperties() properties: PluginProperty[],
  ): Promise<void> {
    await this.invoicePayments.setDefaultPaymentMethod(accountId, paymentMethodId, { payAllUnpaidInvoices, properties });
  }
}
