import { Body, Controller, Delete, HttpCode, Post, Put, Query, UseFilters } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditedCall, Created, RepeatedQueryDoc, TenantScoped, UuidQuery } from '@kb/platform';
import { PaymentCompletionService, PaymentProcessor, type PluginProperty } from '@kb/payment';
import { PluginProperties } from '../payment-method/plugin-property.pipe';
import { Payment, PaymentTransaction } from '../payment/dto/payment.dto';
import { PAYMENT_LOCATION, PaymentAnswerFilter, answerCompletion, answerPayment } from './payment-answer';
import { chargebackReversalRequest, completionRequest, paymentOperationRequest, processPaymentRequest, voidRequest } from './payment-writes.requests';
import { ControlPluginNames } from './control-plugin-names';

/**
 * PaymentResource's ...ByExternalKey writes: the payment is the body's paymentExternalKey (7020 when
 * unknown). Registered before PaymentWritesController so `/payments/refunds` is not read as an id.
 */
@ApiTags('Payment')
@Controller('1.0/kb/payments')
@UseFilters(PaymentAnswerFilter)
export class PaymentByKeyWritesController {
  constructor(
    private readonly processor: PaymentProcessor,
    private readonly completions: PaymentCompletionService,
  ) {}

  @Post()
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @Created(PAYMENT_LOCATION, Payment)
  @ApiOperation({ operationId: 'captureAuthorizationByExternalKey', summary: 'Capture an existing authorization' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async captureAuthorizationByExternalKey(
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    return answerPayment(await this.processor.createTransactionOnPayment(paymentOperationRequest('CAPTURE', null, body, { properties, controlPluginNames })), 'PAYMENT');
  }

  @Put()
  @HttpCode(204)
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @ApiOperation({ operationId: 'completeTransactionByExternalKey', summary: 'Complete an existing transaction' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async completeTransactionByExternalKey(
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<void> {
    answerCompletion(await this.completions.complete(completionRequest(null, body, { properties, controlPluginNames })));
  }

  @Delete()
  @HttpCode(204)
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @ApiOperation({ operationId: 'voidPaymentByExternalKey', summary: 'Void an existing payment' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async voidPaymentByExternalKey(
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<void> {
    answerPayment(await this.processor.createTransactionOnPayment(voidRequest(null, body, { properties, controlPluginNames })), 'VOID');
  }

  @Post('refunds')
  @TenantScoped('payment:refund')
  @AuditedCall()
  @Created(PAYMENT_LOCATION, Payment)
  @ApiOperation({ operationId: 'refundPaymentByExternalKey', summary: 'Refund an existing payment' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async refundPaymentByExternalKey(
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    return answerPayment(await this.processor.createTransactionOnPayment(paymentOperationRequest('REFUND', null, body, { properties, controlPluginNames })), 'PAYMENT');
  }

  @Post('chargebacks')
  @TenantScoped('payment:chargeback')
  @AuditedCall()
  @Created(PAYMENT_LOCATION, Payment)
  @ApiOperation({ operationId: 'chargebackPaymentByExternalKey', summary: 'Record a chargeback' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async chargebackPaymentByExternalKey(
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    return answerPayment(await this.processor.createTransactionOnPayment(paymentOperationRequest('CHARGEBACK', null, body, { properties, controlPluginNames })), 'PAYMENT');
  }

  @Post('chargebackReversals')
  @TenantScoped('payment:chargeback')
  @AuditedCall()
  @Created(PAYMENT_LOCATION, Payment)
  @ApiOperation({ operationId: 'chargebackReversalPaymentByExternalKey', summary: 'Record a chargeback reversal' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async chargebackReversalPaymentByExternalKey(
    @Body() body: PaymentTransaction,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    return answerPayment(await this.processor.createTransactionOnPayment(chargebackReversalRequest(null, body, { properties, controlPluginNames })), 'PAYMENT');
  }
}

/** AccountResource#processPaymentByExternalKey: processPayment for the account of the `externalKey` query (3003 when unknown). */
@ApiTags('Account')
@Controller('1.0/kb/accounts')
@UseFilters(PaymentAnswerFilter)
export class AccountPaymentByKeyWritesController {
  constructor(private readonly processor: PaymentProcessor) {}

  @Post('payments')
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @Created(PAYMENT_LOCATION, Payment)
  @ApiOperation({ operationId: 'processPaymentByExternalKey', summary: 'Trigger a payment using the account external key (authorization, purchase or credit)' })
  @ApiQuery({ name: 'externalKey', required: true, type: String })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async processPaymentByExternalKey(
    @Body() body: PaymentTransaction,
    @Query('externalKey') externalKey: string | undefined,
    @UuidQuery('paymentMethodId') paymentMethodId: string | undefined,
    @ControlPluginNames() controlPluginNames: string[],
    @PluginProperties() properties: PluginProperty[],
  ): Promise<{ paymentId: string }> {
    return answerPayment(await this.processor.createTransactionForAccountKey(externalKey, processPaymentRequest(body ?? {}, paymentMethodId, { properties, controlPluginNames })), 'PAYMENT');
  }
}
