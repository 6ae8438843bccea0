import { ApiProperty } from '@nestjs/swagger';
import { Account } from '../account/dto/account.dto';
import { Bundle } from '../bundle/dto/bundle.dto';
import { Invoice } from '../invoice/dto/invoice.dto';

/** Payments are not part of this server yet: their list is empty, typed as JSON objects until their DTO exists. */
const NOT_YET_TYPED = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

/** Kill Bill's AccountTimeline JSON. */
export class AccountTimeline {
  @ApiProperty({ type: Account }) account!: Account;
  @ApiProperty({ type: [Bundle] }) bundles!: Bundle[];
  @ApiProperty({ type: [Invoice] }) invoices!: Invoice[];
  @ApiProperty(NOT_YET_TYPED) payments!: Record<string, unknown>[];
}
