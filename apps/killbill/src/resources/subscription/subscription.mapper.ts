import Big from 'big.js';
import { Instant, LocalDate } from '@js-joda/core';
import { moneyToJson } from '@kb/catalog';
import {
  type BundleDetails,
  type ChangePlanSpec,
  compareTimelineEvents,
  type CreateOptions,
  type PhasePriceView,
  type SubscriptionDetails,
  type SubscriptionPriceOverride,
  type SubscriptionSpec,
  type TimelineEvent,
} from '@kb/entitlement';
import type { AuditLog } from '@kb/platform';
import type { Bundle } from '../bundle/dto/bundle.dto';
import type { EventSubscription, PhasePrice, Subscription } from './dto/subscription.dto';

const money = (value: Big | null): number | null => (value === null ? null : moneyToJson(value));

export function toEventJson(event: TimelineEvent, auditLogs: AuditLog[]): EventSubscription {
  return {
    eventId: event.eventId,
    billingPeriod: event.plan?.billingPeriod ?? null,
    effectiveDate: event.effectiveDate.toISOString(),
    catalogEffectiveDate: event.catalogEffectiveDate?.toISOString() ?? null,
    plan: event.plan?.planName ?? null,
    product: event.plan?.productName ?? null,
    priceList: event.plan?.priceListName ?? null,
    eventType: event.eventType,
    isBlockedBilling: event.isBlockedBilling,
    isBlockedEntitlement: event.isBlockedEntitlement,
    serviceName: event.serviceName,
    serviceStateName: event.serviceStateName,
    phase: event.plan?.phaseName ?? null,
    auditLogs,
  };
}

function toPhasePriceJson(price: PhasePriceView): PhasePrice {
  return {
    planName: price.planName,
    phaseName: price.phaseName,
    phaseType: price.phaseType,
    fixedPrice: money(price.fixedPrice),
    recurringPrice: money(price.recurringPrice),
    usagePrices: price.usagePrices.map((usage) => ({
      usageName: usage.usageName,
      usageType: usage.usageType,
      billingMode: usage.billingMode,
      tierBlockPolicy: usage.tierBlockPolicy,
      tierPrices: usage.tierPrices.map((tier) => ({
        blockPrices: tier.blockPrices.map((block) => ({ unitName: block.unitName, size: moneyToJson(block.size), price: money(block.price), max: money(block.max) })),
      })),
    })),
  };
}

export function toSubscriptionJson(details: SubscriptionDetails): Subscription {
  const { row, view } = details;
  const current = view.current;
  return {
    accountId: details.accountId,
    bundleId: details.bundle.id,
    bundleExternalKey: details.bundleExternalKey,
    subscriptionId: row.id,
    externalKey: row.externalKey,
    startDate: view.entitlementStartDate.toISOString(),
    productName: current?.productName ?? null,
    productCategory: current?.category ?? row.category,
    billingPeriod: current?.billingPeriod ?? null,
    phaseType: current?.phaseType ?? null,
    priceList: current?.priceListName ?? null,
    planName: current?.planName ?? null,
    state: view.state,
    sourceType: view.sourceType,
    cancelledDate: view.cancelledDate?.toISOString() ?? null,
    chargedThroughDate: details.chargedThroughDate
      ? LocalDate.ofInstant(Instant.ofEpochMilli(details.chargedThroughDate.getTime()), details.accountZone).toString()
      : null,
    billingStartDate: view.billingStartDate.toISOString(),
    billingEndDate: view.billingEndDate?.toISOString() ?? null,
    billCycleDayLocal: view.billCycleDayLocal,
    quantity: view.quantity,
    events: view.events.map((event) => toEventJson(event, details.eventAuditLogs.get(event.eventId) ?? [])),
    priceOverrides: null,
    prices: view.prices.map(toPhasePriceJson),
    auditLogs: details.auditLogs,
  };
}

export function toBundleJson(details: BundleDetails): Bundle {
  const events = details.subscriptions
    .flatMap((s) => s.view.events.map((event) => ({ event, logs: s.eventAuditLogs.get(event.eventId) ?? [] })))
    .sort((a, b) => compareTimelineEvents(a.event, b.event));
  return {
    accountId: details.bundle.accountId,
    bundleId: details.bundle.id,
    externalKey: details.externalKey,
    subscriptions: details.subscriptions.map(toSubscriptionJson),
    timeline: {
      accountId: details.bundle.accountId,
      bundleId: details.bundle.id,
      externalKey: details.externalKey,
      events: events.map(({ event, logs }) => toEventJson(event, logs)),
      auditLogs: details.auditLogs,
    },
    auditLogs: details.auditLogs,
  };
}

export function toSubscriptionSpec(body: Subscription): SubscriptionSpec {
  return {
    accountId: body.accountId,
    bundleId: body.bundleId,
    bundleExternalKey: body.bundleExternalKey,
    externalKey: body.externalKey,
    planName: body.planName,
    productName: body.productName,
    productCategory: body.productCategory,
    billingPeriod: body.billingPeriod,
    priceList: body.priceList,
    phaseType: body.phaseType,
    billCycleDayLocal: body.billCycleDayLocal,
    quantity: body.quantity,
    priceOverrides: body.priceOverrides?.map(toPriceOverride),
  };
}

export interface CreateQuery {
  readonly entitlementDate?: string;
  readonly billingDate?: string;
  readonly renameKeyIfExistsAndUnused: boolean;
  readonly migrated: boolean;
  readonly callCompletion: boolean;
  readonly callTimeoutSec?: number;
}

export function toCreateOptions(query: CreateQuery): CreateOptions {
  return { ...query, callTimeoutSec: query.callTimeoutSec ?? 3 };
}

/** The change's reading of a Subscription body (undefined body: the service's 400). */
export function toChangePlanSpec(body: Subscription | undefined): ChangePlanSpec | undefined {
  if (!body || Object.keys(body).length === 0) return undefined;
  return {
    planName: body.planName,
    productName: body.productName,
    billingPeriod: body.billingPeriod,
    priceList: body.priceList,
    phaseType: body.phaseType,
    billCycleDayLocal: body.billCycleDayLocal,
    priceOverrides: body.priceOverrides?.map(toPriceOverride),
  };
}

/** The body's amounts are Bigs once validated (MoneyProperty); a number is only ever an output value. */
export function toPriceOverride(price: PhasePrice): SubscriptionPriceOverride {
  const amount = (value: Big | number | null | undefined) => (value instanceof Big ? value : null);
  return {
    phaseName: price.phaseName,
    phaseType: price.phaseType,
    fixedPrice: amount(price.fixedPrice),
    recurringPrice: amount(price.recurringPrice),
    usagePrices: price.usagePrices?.map((usage) => ({
      usageName: usage.usageName,
      tierPrices: usage.tierPrices?.map((tier) => ({
        blockPrices: tier.blockPrices?.map((block) => ({ unitName: block.unitName, size: amount(block.size), max: amount(block.max), price: amount(block.price) })),
      })),
    })),
  };
}
