import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditedCall, DateTimePipe, RepeatedQueryDoc, TenantScoped, UuidParam } from '@kb/platform';
import { UsageService } from '@kb/usage';
import { RolledUpUsage, SubscriptionUsageRecord } from './dto/usage.dto';
import { toRolledUpUsageJson, toUsageRecording } from './usage.mapper';

/** Kill Bill's window parameters: a date or a date-time, required (a bare 400 when missing, said by the service). */
const WindowQueries = () => (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
  for (const name of ['startDate', 'endDate']) ApiQuery({ name, required: false, type: String, format: 'date' })(target, key, descriptor);
  RepeatedQueryDoc('pluginProperty', { type: 'string' })(target, key, descriptor);
};

/** Kill Bill's UsageResource: recording usage and reading its sums. */
@ApiTags('Usage')
@Controller('1.0/kb/usages')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Post()
  @TenantScoped()
  @AuditedCall()
  // Kill Bill answers 201 with no Location; its contract documents the answer as a 200, and so does ours.
  @HttpCode(201)
  @ApiOperation({ operationId: 'recordUsage', summary: 'Record usage for a subscription' })
  @ApiResponse({ status: 200, description: 'Successfully recorded usage data change' })
  @ApiResponse({ status: 400, description: 'Invalid subscription (e.g. inactive)' })
  async recordUsage(@Body() body: SubscriptionUsageRecord): Promise<void> {
    await this.usage.record(toUsageRecording(body));
  }

  @Get(':subscriptionId/:unitType')
  @TenantScoped()
  @ApiOperation({ operationId: 'getUsage', summary: 'Retrieve usage for a subscription and unit type' })
  @WindowQueries()
  @ApiOkResponse({ type: RolledUpUsage })
  @ApiResponse({ status: 400, description: 'Missing start date or end date' })
  async getUsage(
    @UuidParam('subscriptionId') subscriptionId: string,
    @Param('unitType') unitType: string,
    @Query('startDate', DateTimePipe) startDate: Date | undefined,
    @Query('endDate', DateTimePipe) endDate: Date | undefined,
  ): Promise<RolledUpUsage> {
    return toRolledUpUsageJson(await this.usage.rolledUp(subscriptionId, startDate, endDate, unitType));
  }

  @Get(':subscriptionId')
  @TenantScoped()
  @ApiOperation({ operationId: 'getAllUsage', summary: 'Retrieve usage for a subscription' })
  @WindowQueries()
  @ApiOkResponse({ type: RolledUpUsage })
  @ApiResponse({ status: 400, description: 'Missing start date or end date' })
  async getAllUsage(
    @UuidParam('subscriptionId') subscriptionId: string,
    @Query('startDate', DateTimePipe) startDate: Date | undefined,
    @Query('endDate', DateTimePipe) endDate: Date | undefined,
  ): Promise<RolledUpUsage> {
    return toRolledUpUsageJson(await this.usage.rolledUp(subscriptionId, startDate, endDate));
  }
}
