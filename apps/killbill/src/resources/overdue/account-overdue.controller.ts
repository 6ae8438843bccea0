import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped, UuidParam } from '@kb/platform';
import { OverdueService, overdueStateToJson } from '@kb/overdue';
import { OverdueState } from './dto/overdue.dto';

/** Kill Bill's AccountResource#getOverdueAccount, served by the overdue module. */
@ApiTags('Account')
@Controller('1.0/kb/accounts')
export class AccountOverdueController {
  constructor(private readonly overdue: OverdueService) {}

  @Get(':accountId/overdue')
  @TenantScoped()
  @ApiOperation({ operationId: 'getOverdueAccount', summary: 'Retrieve overdue state for account' })
  @ApiOkResponse({ type: OverdueState })
  async getOverdueAccount(@UuidParam('accountId') accountId: string): Promise<OverdueState> {
    return overdueStateToJson(await this.overdue.stateOf(accountId));
  }
}
