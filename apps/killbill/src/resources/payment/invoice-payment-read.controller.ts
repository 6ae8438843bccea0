import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditLevel, AuditLevelPipe, BooleanPipe, TenantScoped, UuidParam } from '@kb/platform';
import { PaymentQueryService, type PluginProperty } from '@kb/payment';
import { PluginProperties } from '../payment-method/plugin-property.pipe';
import { metadataController } from '../object-metadata/object-metadata.controller';
import { InvoicePayment } from './dto/payment.dto';
import { toInvoicePaymentJson } from './payment.mapper';
import { PaymentReadQueries } from './payment-read-options';

/** Tags and custom fields of an invoice payment: Kill Bill keeps them on the payment (ObjectType.PAYMENT). */
export class InvoicePaymentMetadataController extends metadataController({
  objectType: 'PAYMENT',
  path: 'invoicePayments',
  idParam: 'paymentId',
  operationName: 'InvoicePayment',
  label: 'payment',
  routes: ['tags', 'customFields'],
  getTagsQueries: [{ name: 'pluginProperty', required: false, style: 'form', explode: true, type: [String], schema: { type: 'array', items: { type: 'string' } } }],
}) {}

/** auditLogsWithHistory of an invoice payment: that of the invoice_payments row, by its own id. */
export class InvoicePaymentAuditController extends metadataController({
  objectType: 'INVOICE_PAYMENT',
  path: 'invoicePayments',
  idParam: 'invoicePaymentId',
  operationName: 'InvoicePayment',
  label: 'invoice payment',
  routes: ['auditLogsWithHistory'],
}) {}

/** GET /invoicePayments/{paymentId} of Kill Bill's InvoicePaymentResource. */
@ApiTags('InvoicePayment')
@Controller('1.0/kb/invoicePayments')
export class InvoicePaymentReadController {
  constructor(private readonly payments: PaymentQueryService) {}

  @Get(':paymentId')
  @TenantScoped()
  @ApiOperation({ operationId: 'getInvoicePayment', summary: 'Retrieve a payment by id' })
  @PaymentReadQueries()
  @ApiOkResponse({ type: InvoicePayment })
  @ApiResponse({ status: 400, description: 'Invalid payment id supplied' })
  @ApiResponse({ status: 404, description: 'Payment not found' })
  async getInvoicePayment(
    @UuidParam('paymentId') paymentId: string,
    @Query('withPluginInfo', new BooleanPipe(false)) withPluginInfo: boolean,
    @Query('withAttempts', new BooleanPipe(false)) withAttempts: boolean,
    @PluginProperties() properties: PluginProperty[],
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<InvoicePayment> {
    return toInvoicePaymentJson(await this.payments.invoicePayment(paymentId, { withPluginInfo, withAttempts, properties, audit }));
  }
}
