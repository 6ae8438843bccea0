import { Body, Controller, Delete, Get, HttpCode, Param, ParseArrayPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuditedCall, AuditLevel, AuditLevelPipe, AuditQuery, BooleanPipe, Created, OptionalIntPipe, RepeatedQueryDoc, TenantScoped, UuidParam, UuidPipe } from '@kb/platform';
import { SubscriptionCancelService, SubscriptionChangeService, SubscriptionCreationService, SubscriptionService } from '@kb/entitlement';
import { Bundle } from '../bundle/dto/bundle.dto';
import { BulkSubscriptionsBundle, Subscription } from './dto/subscription.dto';
import { toChangePlanSpec, toCreateOptions, toSubscriptionJson, toSubscriptionSpec } from './subscription.mapper';
import { CancelQueries, ChangeQueries, CreateQueries } from './subscription.decorators';

const SUBSCRIPTIONS = new ParseArrayPipe({ items: Subscription, forbidUnknownValues: false });
const BULK = new ParseArrayPipe({ items: BulkSubscriptionsBundle, forbidUnknownValues: false });

/**
 * Kill Bill's SubscriptionResource: creates, reads, plan changes and cancellations (BCD, quantity,
 * blocking and metadata live in their own controllers). Static paths come before `:subscriptionId`.
 */
@ApiTags('Subscription')
@Controller('1.0/kb/subscriptions')
export class SubscriptionController {
  constructor(
    private readonly subscriptions: SubscriptionService,
    private readonly creation: SubscriptionCreationService,
    private readonly changes: SubscriptionChangeService,
    private readonly cancellations: SubscriptionCancelService,
  ) {}

  @Post()
  @TenantScoped('entitlement:create')
  @AuditedCall()
  @Created('/1.0/kb/subscriptions/{subscriptionId}', Subscription)
  @ApiOperation({ operationId: 'createSubscription', summary: 'Create an subscription' })
  @CreateQueries()
  async createSubscription(
    @Body() body: Subscription,
    @Query('entitlementDate') entitlementDate: string | undefined,
    @Query('billingDate') billingDate: string | undefined,
    @Query('renameKeyIfExistsAndUnused', new BooleanPipe(true)) renameKeyIfExistsAndUnused: boolean,
    @Query('migrated', new BooleanPipe(false)) migrated: boolean,
    @Query('skipResponse', new BooleanPipe(false)) _skipResponse: boolean,
    @Query('callCompletion', new BooleanPipe(false)) callCompletion: boolean,
    @Query('callTimeoutSec', OptionalIntPipe) callTimeoutSec: number | undefined,
  ): Promise<{ subscriptionId: string }> {
    const created = await this.creation.create([[toSubscriptionSpec(body ?? {})]], toCreateOptions({ entitlementDate, billingDate, renameKeyIfExistsAndUnused, migrated, callCompletion, callTimeoutSec }));
    return { subscriptionId: created.bundles[0].subscriptionIds[0] };
  }

  @Post('createSubscriptionWithAddOns')
  @TenantScoped('entitlement:create')
  @AuditedCall()
  @Created('/1.0/kb/bundles/{bundleId}', Bundle)
  @ApiOperation({ operationId: 'createSubscriptionWithAddOns', summary: 'Create an entitlement with addOn products' })
  @ApiBody({ type: [Subscription] })
  @CreateQueries()
  async createSubscriptionWithAddOns(
    @Body(SUBSCRIPTIONS) body: Subscription[],
    @Query('entitlementDate') entitlementDate: string | undefined,
    @Query('billingDate') billingDate: string | undefined,
    @Query('renameKeyIfExistsAndUnused', new BooleanPipe(true)) renameKeyIfExistsAndUnused: boolean,
    @Query('migrated', new BooleanPipe(false)) migrated: boolean,
    @Query('skipResponse', new BooleanPipe(false)) _skipResponse: boolean,
    @Query('callCompletion', new BooleanPipe(false)) callCompletion: boolean,
    @Query('callTimeoutSec', OptionalIntPipe) callTimeoutSec: number | undefined,
  ): Promise<{ bundleId: string }> {
    const created = await this.creation.create([body.map(toSubscriptionSpec)], toCreateOptions({ entitlementDate, billingDate, renameKeyIfExistsAndUnused, migrated, callCompletion, callTimeoutSec }));
    return { bundleId: created.bundles[0].bundleId };
  }

  @Post('createSubscriptionsWithAddOns')
  @TenantScoped('entitlement:create')
  @AuditedCall()
  @Created('/1.0/kb/accounts/{accountId}/bundles?bundlesFilter={bundlesFilter}', [Bundle])
  @ApiOperation({ operationId: 'createSubscriptionsWithAddOns', summary: 'Create multiple entitlements with addOn products' })
  @ApiBody({ type: [BulkSubscriptionsBundle] })
  @CreateQueries()
  async createSubscriptionsWithAddOns(
    @Body(BULK) body: BulkSubscriptionsBundle[],
    @Query('entitlementDate') entitlementDate: string | undefined,
    @Query('billingDate') billingDate: string | undefined,
    @Query('renameKeyIfExistsAndUnused', new BooleanPipe(true)) renameKeyIfExistsAndUnused: boolean,
    @Query('migrated', new BooleanPipe(false)) migrated: boolean,
    @Query('skipResponse', new BooleanPipe(false)) skipResponse: boolean,
    @Query('callCompletion', new BooleanPipe(false)) callCompletion: boolean,
    @Query('callTimeoutSec', OptionalIntPipe) callTimeoutSec: number | undefined,
  ): Promise<{ accountId: string; bundlesFilter: string }> {
    const created = await this.creation.create(
      body.map((bundle) => (bundle.baseEntitlementAndAddOns ?? []).map(toSubscriptionSpec)),
      toCreateOptions({ entitlementDate, billingDate, renameKeyIfExistsAndUnused, migrated, callCompletion, callTimeoutSec }),
    );
    return { accountId: created.accountId, bundlesFilter: bulkBundlesFilter(created.bundles, skipResponse) };
  }

  @Get()
  @TenantScoped()
  @ApiOperation({ operationId: 'getSubscriptionByKey', summary: 'Retrieve a subscription by external key' })
  @ApiQuery({ name: 'externalKey', required: true, type: String })
  @AuditQuery()
  @ApiOkResponse({ type: Subscription })
  async getSubscriptionByKey(@Query('externalKey') externalKey: string | undefined, @Query('audit', AuditLevelPipe) audit: AuditLevel): Promise<Subscription> {
    return toSubscriptionJson(await this.subscriptions.getByExternalKey(externalKey, audit));
  }

  @Get(':subscriptionId')
  @TenantScoped()
  @ApiOperation({ operationId: 'getSubscription', summary: 'Retrieve a subscription by id' })
  @AuditQuery()
  @ApiOkResponse({ type: Subscription })
  async getSubscription(@Param('subscriptionId', UuidPipe) subscriptionId: string, @Query('audit', AuditLevelPipe) audit: AuditLevel): Promise<Subscription> {
    return toSubscriptionJson(await this.subscriptions.getById(subscriptionId, audit));
  }

  @Put(':subscriptionId')
  @HttpCode(204)
  @TenantScoped('entitlement:change_plan')
  @AuditedCall()
  @ApiOperation({ operationId: 'changeSubscriptionPlan', summary: 'Change entitlement plan' })
  @ChangeQueries()
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async changeSubscriptionPlan(
    @UuidParam('subscriptionId') subscriptionId: string,
    @Body() body: Subscription,
    @Query('requestedDate') requestedDate: string | undefined,
    @Query('callCompletion', new BooleanPipe(false)) callCompletion: boolean,
    @Query('callTimeoutSec', OptionalIntPipe) callTimeoutSec: number | undefined,
    @Query('billingPolicy') billingPolicy: string | undefined,
  ): Promise<void> {
    await this.changes.changePlan(subscriptionId, toChangePlanSpec(body), { requestedDate, billingPolicy, callCompletion, callTimeoutSec: callTimeoutSec ?? 3 });
  }

  @Put(':subscriptionId/undoChangePlan')
  @HttpCode(204)
  @TenantScoped('entitlement:change_plan')
  @AuditedCall()
  @ApiOperation({ operationId: 'undoChangeSubscriptionPlan', summary: 'Undo a pending change plan on an entitlement' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async undoChangeSubscriptionPlan(@UuidParam('subscriptionId') subscriptionId: string): Promise<void> {
    await this.changes.undoChangePlan(subscriptionId);
  }

  @Delete(':subscriptionId')
  @HttpCode(204)
  @TenantScoped('entitlement:cancel')
  @AuditedCall()
  @ApiOperation({ operationId: 'cancelSubscriptionPlan', summary: 'Cancel an entitlement plan' })
  @CancelQueries()
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async cancelSubscriptionPlan(
    @UuidParam('subscriptionId') subscriptionId: string,
    @Query('requestedDate') requestedDate: string | undefined,
    @Query('callCompletion', new BooleanPipe(false)) callCompletion: boolean,
    @Query('callTimeoutSec', OptionalIntPipe) callTimeoutSec: number | undefined,
    @Query('entitlementPolicy') entitlementPolicy: string | undefined,
    @Query('billingPolicy') billingPolicy: string | undefined,
    @Query('useRequestedDateForBilling', new BooleanPipe(false)) useRequestedDateForBilling: boolean,
  ): Promise<void> {
    await this.cancellations.cancel(subscriptionId, { requestedDate, entitlementPolicy, billingPolicy, useRequestedDateForBilling, callCompletion, callTimeoutSec: callTimeoutSec ?? 5 });
  }

  @Put(':subscriptionId/uncancel')
  @HttpCode(204)
  @TenantScoped('entitlement:cancel')
  @AuditedCall()
  @ApiOperation({ operationId: 'uncancelSubscriptionPlan', summary: 'Un-cancel an entitlement' })
  @RepeatedQueryDoc('pluginProperty', { type: 'string' })
  async uncancelSubscriptionPlan(@UuidParam('subscriptionId') subscriptionId: string): Promise<void> {
    await this.cancellations.uncancel(subscriptionId);
  }
}

/** As Kill Bill: the created bundles' ids, left out when skipped or when 20 subscriptions or more were created. */
function bulkBundlesFilter(bundles: readonly { bundleId: string; subscriptionIds: readonly string[] }[], skipResponse: boolean): string {
  const count = bundles.reduce((n, b) => n + b.subscriptionIds.length, 0);
  return skipResponse || count >= 20 ? '' : bundles.map((b) => b.bundleId).join(',');
}
