import { Module } from '@nestjs/common';
import { PaymentModule } from '@kb/payment';
import { ObjectMetadataModule } from '../object-metadata/object-metadata.module';
import { AccountPaymentMethodsController } from './account-payment-methods.controller';
import { PaymentMethodController, PaymentMethodMetadataController } from './payment-method.controller';

/** Kill Bill's PaymentMethodResource and the account's payment method routes. */
@Module({
  imports: [PaymentModule, ObjectMetadataModule],
  controllers: [PaymentMethodMetadataController, PaymentMethodController, AccountPaymentMethodsController],
})
export class PaymentMethodResourceModule {}
