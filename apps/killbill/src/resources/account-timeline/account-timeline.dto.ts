import { ApiProperty } from '@nestjs/swagger';
import { Account } from '../account/dto/account.dto';
import { Bundle } from '../bundle/dto/bundle.dto';

/** Invoices and payments are not part of this server yet: their lists are empty, typed as JSON objects until their DTOs exist. */
const NOT_YET_TYPED = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

/** Kill Bill's AccountTimeline JSON. */
export class AccountTimeline {
  @ApiProperty({ type: Account }) account!: Account;
  @ApiProperty({ type: [Bundle] }) bundles!: Bundle[];
  @ApiProperty(NOT_YET_TYPED) invoices!: Record<string, unknown>[];
  @ApiProperty(NOT_YET_TYPED) payments!: Record<string, unknown>[];
}
