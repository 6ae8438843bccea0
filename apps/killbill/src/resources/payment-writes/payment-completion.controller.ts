import { Body, Controller, HttpCode, Post, Put, UseFilters } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditedCall, Created, RepeatedQueryDoc, TenantScoped, UuidParam } from '@kb/platform';
import { PaymentCompletionService, type PluginProperty } from '@kb/payment';
import { PluginProperties } from '../payment-method/plugin-property.pipe';
import { Payment, PaymentTransaction } from '../payment/dto/payment.dto';
import { PAYMENT_LOCATION, PaymentAnswerFilter, answerCompletion } from './payment-answer';
import { completionRequest, stateChangeOf } from './payment-writes.requests';
import { ControlPluginNames } from './control-plugin-names';

/** PaymentResource#completeTransaction: the PENDING transaction of the payment, sent to the plugin again. */
@ApiTags('Payment')
@Controller('1.0/kb/payments')
@UseFilters(PaymentAnswerFilter)
export class PaymentCompletionController {
  constructor(private readonly completions: PaymentCompletionService) {}

  @Put(':paymentId')
  @HttpCode(204)
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @ApiOperation({ operationId: 'completeTransaction', summary: 'Complete an existing transaction' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async completeTransaction(
    @UuidParam('paymentId') paymentId: string,
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<void> {
    answerCompletion(await this.completions.complete(completionRequest(paymentId, body, { properties, controlPluginNames })));
  }
}

/** InvoicePaymentResource#completeInvoicePaymentTransaction: the PENDING PURCHASE through the invoice payment control; 404 without an unsuccessful attempt on an invoice. */
@ApiTags('InvoicePayment')
@Controller('1.0/kb/invoicePayments')
@UseFilters(PaymentAnswerFilter)
export class InvoicePaymentCompletionController {
  constructor(private readonly completions: PaymentCompletionService) {}

  @Put(':paymentId')
  @HttpCode(204)
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @ApiOperation({ operationId: 'completeInvoicePaymentTransaction', summary: 'Complete an existing transaction' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async completeInvoicePaymentTransaction(
    @UuidParam('paymentId') paymentId: string,
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<void> {
    answerCompletion(await this.completions.completeInvoicePayment(paymentId, completionRequest(paymentId, body, { properties, controlPluginNames })));
  }
}

/** TransactionResource#notifyStateChanged: a PENDING transaction marked succeeded or failed by the caller (no plugin call); 201 to the payment. */
@ApiTags('PaymentTransaction')
@Controller('1.0/kb/paymentTransactions')
@UseFilters(PaymentAnswerFilter)
export class PaymentTransactionWritesController {
  constructor(private readonly completions: PaymentCompletionService) {}

  @Post(':transactionId')
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @Created(PAYMENT_LOCATION, Payment)
  @ApiOperation({ operationId: 'notifyStateChanged', summary: 'Mark a pending payment transaction as succeeded or failed' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  async notifyStateChanged(
    @UuidParam('transactionId') transactionId: string,
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
  ): Promise<{ paymentId: string }> {
    // 201 to the payment whatever the new status (Kill Bill does not translate a failure here).
    return { paymentId: (await this.completions.notifyStateChanged(transactionId, stateChangeOf(body), controlPluginNames)).payment.id };
  }
}
