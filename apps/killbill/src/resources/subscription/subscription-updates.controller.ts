import { Body, Controller, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditedCall, BooleanPipe, Created, RepeatedQueryDoc, TenantScoped, UuidParam } from '@kb/platform';
import { BundleOperationsService, SubscriptionUpdatesService } from '@kb/entitlement';
import { BlockingState } from '../account/dto/account.dto';
import { Subscription } from './dto/subscription.dto';

/** Kill Bill's SubscriptionResource updates that add one event or state: block, BCD, quantity. */
@ApiTags('Subscription')
@Controller('1.0/kb/subscriptions')
export class SubscriptionUpdatesController {
  constructor(
    private readonly updates: SubscriptionUpdatesService,
    private readonly operations: BundleOperationsService,
  ) {}

  @Post(':subscriptionId/block')
  @TenantScoped('entitlement:change_plan')
  @AuditedCall()
  @Created('/1.0/kb/accounts/{accountId}/block?blockingStateTypes=SUBSCRIPTION', [BlockingState])
  @ApiOperation({ operationId: 'addSubscriptionBlockingState', summary: 'Block a subscription' })
  @ApiQuery({ name: 'requestedDate', required: false, type: String, format: 'date' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async addSubscriptionBlockingState(
    @UuidParam('subscriptionId') subscriptionId: string,
    @Body() body: BlockingState,
    @Query('requestedDate') requestedDate: string | undefined,
  ): Promise<{ accountId: string }> {
    return this.operations.addSubscriptionBlockingState(subscriptionId, body ?? {}, requestedDate);
  }

  @Put(':subscriptionId/bcd')
  @HttpCode(204)
  @TenantScoped('entitlement:change_plan')
  @AuditedCall()
  @ApiOperation({ operationId: 'updateSubscriptionBCD', summary: 'Update the BCD associated to a subscription' })
  @ApiQuery({ name: 'effectiveFromDate', required: false, type: String, format: 'date' })
  @ApiQuery({ name: 'forceNewBcdWithPastEffectiveDate', required: false, type: Boolean })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async updateSubscriptionBCD(
    @UuidParam('subscriptionId') subscriptionId: string,
    @Body() body: Subscription,
    @Query('effectiveFromDate') effectiveFromDate: string | undefined,
    @Query('forceNewBcdWithPastEffectiveDate', new BooleanPipe(false)) force: boolean,
  ): Promise<void> {
    await this.updates.updateBcd(subscriptionId, body, { effectiveFromDate, force });
  }

  @Put(':subscriptionId/quantity')
  @HttpCode(204)
  @TenantScoped('entitlement:change_plan')
  @AuditedCall()
  @ApiOperation({ operationId: 'updateSubscriptionQuantity', summary: 'Update the quantity associated to a subscription' })
  @ApiQuery({ name: 'effectiveFromDate', required: false, type: String, format: 'date' })
  @ApiQuery({ name: 'forceNewQuantityWithPastEffectiveDate', required: false, type: Boolean })
  @ApiNoContentResponse({ description: 'Successful operation' })
  async updateSubscriptionQuantity(
    @UuidParam('subscriptionId') subscriptionId: string,
    @Body() body: Subscription,
    @Query('effectiveFromDate') effectiveFromDate: string | undefined,
    @Query('forceNewQuantityWithPastEffectiveDate', new BooleanPipe(false)) force: boolean,
  ): Promise<void> {
    await this.updates.updateQuantity(subscriptionId, body, { effectiveFromDate, force });
  }
}
