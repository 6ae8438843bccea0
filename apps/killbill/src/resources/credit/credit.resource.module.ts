import { Module } from '@nestjs/common';
import { InvoiceModule } from '@kb/invoice';
import { AccountCreditController } from './account-credit.controller';
import { CreditController } from './credit.controller';

/** Kill Bill's CreditResource, and the account operations on credit (cbaRebalancing, transferCredit). */
@Module({ imports: [InvoiceModule], controllers: [CreditController, AccountCreditController] })
export class CreditResourceModule {}
