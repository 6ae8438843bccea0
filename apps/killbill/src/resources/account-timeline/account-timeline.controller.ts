import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditLevel, AuditLevelPipe, AuditQuery, BooleanPipe, TenantScoped, UuidParam } from '@kb/platform';
import { AccountTimeline } from './account-timeline.dto';
import { toAccountTimelineJson } from './account-timeline.mapper';
import { AccountTimelineService } from './account-timeline.service';

@ApiTags('Account')
@Controller('1.0/kb/accounts')
export class AccountTimelineController {
  constructor(private readonly timelines: AccountTimelineService) {}

  @Get(':accountId/timeline')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAccountTimeline', summary: 'Retrieve account timeline' })
  @ApiQuery({ name: 'parallel', required: false, schema: { type: 'boolean', default: false } })
  @AuditQuery()
  @ApiOkResponse({ type: AccountTimeline })
  @ApiResponse({ status: 400, description: 'Invalid account id supplied' })
  @ApiResponse({ status: 404, description: 'Account not found' })
  async getAccountTimeline(
    @UuidParam('accountId') accountId: string,
    @Query('parallel', new BooleanPipe(false)) parallel: boolean,
    @Query('audit', AuditLevelPipe) audit: AuditLevel,
  ): Promise<AccountTimeline> {
    return toAccountTimelineJson(await this.timelines.timeline(accountId, parallel, audit));
  }
}
