import { Body, Controller, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditedCall, Created, RepeatedQueryDoc, TenantScoped, UuidParam } from '@kb/platform';
import { BundleOperationsService, TransferService } from '@kb/entitlement';
import { BlockingState } from '../account/dto/account.dto';
import { Bundle } from './dto/bundle.dto';

/** Kill Bill's BundleResource writes: pause, resume, block, renameKey, transfer. */
@ApiTags('Bundle')
@Controller('1.0/kb/bundles')
export class BundleOperationsController {
  constructor(
    private readonly operations: BundleOperationsService,
    private readonly transfers: TransferService,
  ) {}

  @Post(':bundleId')
  @TenantScoped('entitlement:transfer')
  @AuditedCall()
  @Created('/1.0/kb/bundles/{bundleId}', Bundle)
  @ApiOperation({ operationId: 'transferBundle', summary: 'Transfer a bundle to another account' })
  @ApiQuery({ name: 'requestedDate', required: false, type: String, format: 'date' })
  @ApiQuery({ name: 'billingPolicy', required: false, enum: ['START_OF_TERM', 'END_OF_TERM', 'IMMEDIATE', 'ILLEGAL'] })
  @ApiQuery({ name: 'bcdTransfer', required: false, enum: ['NONE', 'USE_EXISTING', 'ALIGN_WITH_EFF_DT'] })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async transferBundle(
    @UuidParam('bundleId') bundleId: string,
    @Body() body: Bundle,
    @Query('requestedDate') requestedDate: string | undefined,
    @Query('billingPolicy') billingPolicy: string | undefined,
    @Query('bcdTransfer') bcdTransfer: string | undefined,
  ): Promise<{ bundleId: string }> {
    return this.transfers.transfer(bundleId, body, { requestedDate, billingPolicy, bcdTransfer });
  }

  @Post(':bundleId/block')
  @TenantScoped('entitlement:change_plan')
  @AuditedCall()
  @Created('/1.0/kb/accounts/{accountId}/block?blockingStateTypes=SUBSCRIPTION_BUNDLE', [BlockingState])
  @ApiOperation({ operationId: 'addBundleBlockingState', summary: 'Block a bundle' })
  @ApiQuery({ name: 'requestedDate', required: false, type: String, format: 'date' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async addBundleBlockingState(
    @UuidParam('bundleId') bundleId: string,
    @Body() body: BlockingState,
    @Query('requestedDate') requestedDate: string | undefined,
  ): Promise<{ accountId: string }> {
    return this.operations.addBundleBlockingState(bundleId, body ?? {}, requestedDate);
  }

  @Put(':bundleId/pause')
  @HttpCode(204)
  @TenantScoped('entitlement:pause_resume')
  @AuditedCall()
  @ApiOperation({ operationId: 'pauseBundle', summary: 'Pause a bundle' })
  @ApiQuery({ name: 'requestedDate', required: false, type: String, format: 'date' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async pauseBundle(@UuidParam('bundleId') bundleId: string, @Query('requestedDate') requestedDate: string | undefined): Promise<void> {
    await this.operations.pause(bundleId, requestedDate);
  }

  @Put(':bundleId/resume')
  @HttpCode(204)
  @TenantScoped('entitlement:pause_resume')
  @AuditedCall()
  @ApiOperation({ operationId: 'resumeBundle', summary: 'Resume a bundle' })
  @ApiQuery({ name: 'requestedDate', required: false, type: String, format: 'date' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async resumeBundle(@UuidParam('bundleId') bundleId: string, @Query('requestedDate') requestedDate: string | undefined): Promise<void> {
    await this.operations.resume(bundleId, requestedDate);
  }

  @Put(':bundleId/renameKey')
  @HttpCode(204)
  @TenantScoped('entitlement:transfer')
  @AuditedCall()
  @ApiOperation({ operationId: 'renameExternalKey', summary: 'Update a bundle externalKey' })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async renameExternalKey(@UuidParam('bundleId') bundleId: string, @Body() body: Bundle): Promise<void> {
    await this.operations.renameExternalKey(bundleId, body?.externalKey);
  }
}
