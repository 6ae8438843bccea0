import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BooleanPipe, DateTimePipe, TenantScoped, UuidQuery } from '@kb/platform';
import { type QueueEntries, QueueEntriesService } from '@kb/notification';

@ApiTags('Admin')
@Controller('1.0/kb/admin')
export class AdminQueuesController {
  constructor(private readonly queueEntries: QueueEntriesService) {}

  @Get('queues')
  @TenantScoped()
  @ApiOperation({ operationId: 'getQueueEntries', summary: 'Get queues entries' })
  @ApiQuery({ name: 'queueName', required: false, type: String })
  @ApiQuery({ name: 'serviceName', required: false, type: String })
  @ApiQuery({ name: 'withHistory', required: false, type: Boolean })
  @ApiQuery({ name: 'minDate', required: false, type: String })
  @ApiQuery({ name: 'maxDate', required: false, type: String })
  @ApiQuery({ name: 'withInProcessing', required: false, type: Boolean })
  @ApiQuery({ name: 'withBusEvents', required: false, type: Boolean })
  @ApiQuery({ name: 'withNotifications', required: false, type: Boolean })
  @ApiResponse({ status: 200, description: 'Success: the bus events and notifications of the tenant (or account), history first' })
  @ApiResponse({ status: 400, description: 'Invalid account id supplied' })
  @ApiResponse({ status: 404, description: 'Account not found' })
  getQueueEntries(
    @UuidQuery('accountId') accountId: string | undefined,
    @Query('queueName') queueName: string | undefined,
    @Query('serviceName') serviceName: string | undefined,
    @Query('withHistory', new BooleanPipe(true)) withHistory: boolean,
    @Query('minDate', DateTimePipe) minDate: Date | undefined,
    @Query('maxDate', DateTimePipe) maxDate: Date | undefined,
    @Query('withInProcessing', new BooleanPipe(true)) withInProcessing: boolean,
    @Query('withBusEvents', new BooleanPipe(true)) withBusEvents: boolean,
    @Query('withNotifications', new BooleanPipe(true)) withNotifications: boolean,
  ): Promise<QueueEntries> {
    return this.queueEntries.entries({ accountId, queueName, serviceName, withHistory, minDate, maxDate, withInProcessing, withBusEvents, withNotifications });
  }
}
