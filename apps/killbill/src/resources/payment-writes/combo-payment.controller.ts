import { Body, Controller, Post, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditedCall, Created, RepeatedQueryDoc, TenantScoped } from '@kb/platform';
import { ComboPaymentService } from '@kb/payment';
import { Payment } from '../payment/dto/payment.dto';
import { PAYMENT_LOCATION, PaymentAnswerFilter, answerComboPayment } from './payment-answer';
import { ComboPaymentTransaction, comboOrder, comboTransaction, requiredBody } from './combo-payment.dto';
import { ControlPluginNames } from './control-plugin-names';

/** PaymentResource#createComboPayment: the account found or created, the method found or added, then a new AUTHORIZE/PURCHASE/CREDIT. */
@ApiTags('Payment')
@Controller('1.0/kb/payments')
@UseFilters(PaymentAnswerFilter)
export class ComboPaymentController {
  constructor(private readonly combos: ComboPaymentService) {}

  @Post('combo')
  @TenantScoped('payment:trigger')
  @AuditedCall()
  @Created(PAYMENT_LOCATION, Payment)
  @ApiOperation({ operationId: 'createComboPayment', summary: 'Combo api to create a new payment transaction on a existing (or not) account ' })
  @RepeatedQueryDoc('controlPluginName', { type: 'string' })
  async createComboPayment(@Body() body: ComboPaymentTransaction, @ControlPluginNames() controlPluginNames: string[]): Promise<{ paymentId: string }> {
    return answerComboPayment(await this.combos.createComboPayment(comboOrder(requiredBody(body, 'ComboPaymentTransactionJson')), comboTransaction(body, controlPluginNames)));
  }
}
