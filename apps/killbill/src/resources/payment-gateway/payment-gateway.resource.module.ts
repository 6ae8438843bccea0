import { Module } from '@nestjs/common';
import { PaymentModule } from '@kb/payment';
import { PaymentGatewayController } from './payment-gateway.controller';

/** Kill Bill's PaymentGatewayResource. */
@Module({ imports: [PaymentModule], controllers: [PaymentGatewayController] })
export class PaymentGatewayResourceModule {}
