import { Body, Controller, Delete, HttpCode, Post, UseFilters } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditedCall, Created, RepeatedQueryDoc, TenantScoped, UuidParam, UuidQuery } from '@kb/platform';
import { PaymentProcessor, type PluginProperty } from '@kb/payment';
import { PluginProperties } from '../payment-method/plugin-property.pipe';
import { Payment, PaymentTransaction } from '../payment/dto/payment.dto';
import { PAYMENT_LOCATION, PaymentAnswerFilter, answerPayment } from './payment-answer';
import { chargebackReversalRequest, paymentOperationRequest, processPaymentRequest, voidRequest } from './payment-writes.requests';
import { ControlPluginNames } from './control-plugin-names';

/** Kill Bill's direct payment writes (PaymentResource, AccountResource#processPayment): one transaction each, answered as spec 2.3. */
@ApiTags('Payment')
@Controller('1.0/kb/payments')
@UseFilters(PaymentAnswerFilter)
export class PaymentWritesController {
  constructor(private readonly processor: PaymentProcessor) {}

  @Post(':paymentId')
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @Created(PAYMENT_LOCATION, Payment)
  @ApiOperation({ operationId: 'captureAuthorization', summary: 'Capture an existing authorization' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async captureAuthorization(
    @UuidParam('paymentId') paymentId: string,
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    return answerPayment(await this.processor.createTransactionOnPayment(paymentOperationRequest('CAPTURE', paymentId, body ?? {}, { properties, controlPluginNames })), 'PAYMENT');
  }

  @Post(':paymentId/refunds')
  @TenantScoped('payment:refund')
  @AuditedCall()
  @Created(PAYMENT_LOCATION, Payment)
  @ApiOperation({ operationId: 'refundPayment', summary: 'Refund an existing payment' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async refundPayment(
    @UuidParam('paymentId') paymentId: string,
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    return answerPayment(await this.processor.createTransactionOnPayment(paymentOperationRequest('REFUND', paymentId, body ?? {}, { properties, controlPluginNames })), 'PAYMENT');
  }

  @Delete(':paymentId')
  @HttpCode(204)
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @ApiOperation({ operationId: 'voidPayment', summary: 'Void an existing payment' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async voidPayment(
    @UuidParam('paymentId') paymentId: string,
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<void> {
    answerPayment(await this.processor.createTransactionOnPayment(voidRequest(paymentId, body, { properties, controlPluginNames })), 'VOID');
  }

  @Post(':paymentId/chargebacks')
  @TenantScoped('payment:chargeback')
  @AuditedCall()
  @Created(PAYMENT_LOCATION, Payment)
  @ApiOperation({ operationId: 'chargebackPayment', summary: 'Record a chargeback' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async chargebackPayment(
    @UuidParam('paymentId') paymentId: string,
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    return answerPayment(await this.processor.createTransactionOnPayment(paymentOperationRequest('CHARGEBACK', paymentId, body ?? {}, { properties, controlPluginNames })), 'PAYMENT');
  }

  @Post(':paymentId/chargebackReversals')
  @TenantScoped('payment:chargeback')
  @AuditedCall()
  @Created(PAYMENT_LOCATION, Payment)
  @ApiOperation({ operationId: 'chargebackReversalPayment', summary: 'Record a chargeback reversal' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async chargebackReversalPayment(
    @UuidParam('paymentId') paymentId: string,
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    return answerPayment(await this.processor.createTransactionOnPayment(chargebackReversalRequest(paymentId, body ?? {}, { properties, controlPluginNames })), 'PAYMENT');
  }
}

/** AccountResource#processPayment: a new transaction (AUTHORIZE, PURCHASE, CREDIT) for the account. */
@ApiTags('Account')
@Controller('1.0/kb/accounts')
@UseFilters(PaymentAnswerFilter)
export class AccountPaymentWritesController {
  constructor(private readonly processor: PaymentProcessor) {}

  @Post(':accountId/payments')
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @Created(PAYMENT_LOCATION, Payment)
  @ApiOperation({ operationId: 'processPayment', summary: 'Trigger a payment (authorization, purchase or credit)' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async processPayment(
    @UuidParam('accountId') accountId: string,
    @Body() body: PaymentTransaction,
    @UuidQuery('paymentMethodId') paymentMethodId: string | undefined,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    return answerPayment(await this.processor.createTransaction(accountId, processPaymentRequest(body ?? {}, paymentMethodId, { properties, controlPluginNames })), 'PAYMENT');
  }
}
