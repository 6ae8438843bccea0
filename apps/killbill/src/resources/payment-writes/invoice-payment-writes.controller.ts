import { Body, Controller, Post, Query, UseFilters } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditedCall, BooleanPipe, Created, LocalDateQuery, RepeatedQueryDoc, TenantScoped, UuidParam, UuidQuery } from '@kb/platform';
import { InvoicePaymentRefundService, InvoicePaymentService, type PluginProperty } from '@kb/payment';
import { PluginProperties } from '../payment-method/plugin-property.pipe';
import { InvoicePayment, InvoicePaymentTransaction } from '../payment/dto/payment.dto';
import { Invoice } from '../invoice/dto/invoice.dto';
import { INVOICE_PAYMENT_LOCATION, PaymentAnswerFilter, answerInvoicePayment, answerPaidInvoices, answerPayment } from './payment-answer';
import { chargebackOrder, chargebackReversalKey, instantPaymentOrder, payAllOrder, refundOrder, requiredAccountId } from './invoice-payment-writes.requests';

/** InvoiceResource#createInstantPayment: pay one invoice now, through the invoice payment control. */
@ApiTags('Invoice')
@Controller('1.0/kb/invoices')
@UseFilters(PaymentAnswerFilter)
export class InvoicePaymentWritesController {
  constructor(private readonly invoicePayments: InvoicePaymentService) {}

  @Post(':invoiceId/payments')
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @Created(INVOICE_PAYMENT_LOCATION, InvoicePayment)
  @ApiOperation({ operationId: 'createInstantPayment', summary: 'Trigger a payment for invoice' })
  @ApiQuery({ name: 'externalPayment', required: false, schema: { type: 'boolean', default: false } })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiNoContentResponse({ description: 'Nothing to pay' })
  async createInstantPayment(
    @UuidParam('invoiceId') invoiceId: string,
    @Body() body: InvoicePayment,
    @Query('externalPayment', new BooleanPipe(false)) externalPayment: boolean,
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    return answerInvoicePayment(await this.invoicePayments.payInvoice(requiredAccountId(body), instantPaymentOrder(invoiceId, body, externalPayment, properties)));
  }
}

/** AccountResource#payAllInvoices: pay the account's unpaid invoices, oldest first. */
@ApiTags('Account')
@Controller('1.0/kb/accounts')
@UseFilters(PaymentAnswerFilter)
export class AccountInvoicePaymentWritesController {
  constructor(private readonly invoicePayments: InvoicePaymentService) {}

  @Post(':accountId/invoicePayments')
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @Created('/1.0/kb/accounts/{accountId}/invoices?startDate={startDate}&endDate={endDate}&invoicesFilter={invoicesFilter}', [Invoice])
  @ApiOperation({ operationId: 'payAllInvoices', summary: 'Trigger a payment for all unpaid invoices' })
  @ApiQuery({ name: 'externalPayment', required: false, schema: { type: 'boolean', default: false } })
  @ApiQuery({ name: 'paymentAmount', required: false, type: Number })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiNoContentResponse({ description: 'Nothing to pay' })
  async payAllInvoices(
    @UuidParam('accountId') accountId: string,
    @UuidQuery('paymentMethodId') paymentMethodId: string | undefined,
    @Query('externalPayment', new BooleanPipe(false)) externalPayment: boolean,
    @Query('paymentAmount') paymentAmount: string | undefined,
    @LocalDateQuery('targetDate') targetDate: string | undefined,
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ accountId: string }> {
    return answerPaidInvoices(await this.invoicePayments.payAllInvoices(accountId, payAllOrder({ paymentMethodId, externalPayment, paymentAmount, targetDate }, properties)));
  }
}

/** InvoicePaymentResource's refund and chargeback writes: a transaction on the payment, the invoice side through the invoice payment control (spec 2.7). */
@ApiTags('InvoicePayment')
@Controller('1.0/kb/invoicePayments')
@UseFilters(PaymentAnswerFilter)
export class InvoicePaymentRefundWritesController {
  constructor(private readonly refunds: InvoicePaymentRefundService) {}

  @Post(':paymentId/refunds')
  @TenantScoped('payment:refund')
  @AuditedCall()
  @Created(INVOICE_PAYMENT_LOCATION, InvoicePayment)
  @ApiOperation({ operationId: 'createRefundWithAdjustments', summary: 'Refund a payment, and adjust the invoice if needed' })
  @ApiQuery({ name: 'externalPayment', required: false, schema: { type: 'boolean', default: false } })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async createRefundWithAdjustments(
    @UuidParam('paymentId') paymentId: string,
    @Body() body: InvoicePaymentTransaction,
    @Query('externalPayment', new BooleanPipe(false)) externalPayment: boolean,
    @UuidQuery('paymentMethodId') paymentMethodId: string | undefined,
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    return answerPayment(await this.refunds.refund(paymentId, refundOrder(body, properties, { externalPayment, paymentMethodId })), 'INVOICE_PAYMENT');
  }

  @Post(':paymentId/chargebacks')
  @TenantScoped('payment:chargeback')
  @AuditedCall()
  @Created(INVOICE_PAYMENT_LOCATION, InvoicePayment)
  @ApiOperation({ operationId: 'createChargeback', summary: 'Record a chargeback' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async createChargeback(
    @UuidParam('paymentId') paymentId: string,
    @Body() body: InvoicePaymentTransaction,
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    return answerPayment(await this.refunds.chargeback(paymentId, chargebackOrder(body, properties)), 'INVOICE_PAYMENT');
  }

  @Post(':paymentId/chargebackReversals')
  @TenantScoped('payment:chargeback')
  @AuditedCall()
  @Created(INVOICE_PAYMENT_LOCATION, InvoicePayment)
  @ApiOperation({ operationId: 'createChargebackReversal', summary: 'Record a chargebackReversal' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async createChargebackReversal(
    @UuidParam('paymentId') paymentId: string,
    @Body() body: InvoicePaymentTransaction,
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    // The reversal's transaction is a PAYMENT_FAILURE by design; this route answers 201 for it (spec 2.7).
    return answerPayment(await this.refunds.chargebackReversal(paymentId, chargebackReversalKey(body), properties), 'INVOICE_PAYMENT');
  }
}
