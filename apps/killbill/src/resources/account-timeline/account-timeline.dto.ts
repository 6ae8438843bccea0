import { ApiProperty } from '@nestjs/swagger';
import { Account } from '../account/dto/account.dto';
import { Bundle } from '../bundle/dto/bundle.dto';
import { Invoice } from '../invoice/dto/invoice.dto';
import { InvoicePayment } from '../payment/dto/payment.dto';

/** Kill Bill's AccountTimeline JSON. */
export class AccountTimeline {
  @ApiProperty({ type: Account }) account!: Account;
  @ApiProperty({ type: [Bundle] }) bundles!: Bundle[];
  @ApiProperty({ type: [Invoice] }) invoices!: Invoice[];
  @ApiProperty({ type: [InvoicePayment] }) payments!: InvoicePayment[];
}
