import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type Big from 'big.js';
import type { EntityManager } from 'typeorm';
import { LocalDate, ZoneOffset } from '@js-joda/core';
import { type AccountTime, type Currency, instantOf, parseLocalDate, toAccountLocalDate } from '@kb/kernel';
import type { BillingActionPolicy, BillingPeriod, PhaseType, PlanSpecifier } from '@kb/catalog';
import { accountTimeOf, type AccountRow, AccountService } from '@kb/account';
import {
  type BillingEvent,
  BillingEventsService,
  type HypotheticalSubscriptions,
  phasePriceOverridesOf,
  type SubscriptionPriceOverride,
} from '@kb/entitlement';
import { Clock, EmptyStatusError, InvalidRequestException, KillBillException, Queues, Transactions } from '@kb/platform';
import { invoiceAmounts, type InvoiceAmounts } from './engine/balances';
import { computeCredit } from './engine/credit';
import { type DryRunAction, type DryRunSubscriptionAction, dryRunSubscription } from './engine/dry-run-subscriptions';
import { generateInvoiceItems } from './engine/generator';
import type { InvoiceRecord, NextBillingDate } from './engine/model';
import { autoInvoicingOffSubscriptionIds, InvoiceDispatcher, type InvoicingFlags } from './invoice-dispatcher';
import { InvoiceConfig } from './invoice-config';
import { dueSubscriptionIds, type NextBillingDateNotification, NextBillingDateQueue } from './invoice-events';
import { InvoiceStore } from './invoice-store';

export const DRY_RUN_TYPES = ['TARGET_DATE', 'UPCOMING_INVOICE', 'SUBSCRIPTION_ACTION'] as const;
export type DryRunType = (typeof DRY_RUN_TYPES)[number];

/** Kill Bill's InvoiceDryRunJson as the dry run reads it (enum values checked by the resource). */
export interface InvoiceDryRunSpec {
  readonly dryRunType?: string | null;
  readonly dryRunAction?: string | null;
  readonly phaseType?: string | null;
  readonly productName?: string | null;
  readonly productCategory?: string | null;
  readonly billingPeriod?: string | null;
  readonly priceListName?: string | null;
  readonly subscriptionId?: string | null;
  readonly bundleId?: string | null;
  readonly effectiveDate?: string | null;
  readonly billingPolicy?: string | null;
  readonly priceOverrides?: readonly SubscriptionPriceOverride[] | null;
  readonly planName?: string | null;
}

/** What a dry run would invoice: the invoice (never stored) with the amounts it would show once committed. */
export interface DryRunInvoice {
  readonly invoice: InvoiceRecord;
  readonly amounts: InvoiceAmounts & { readonly balance: Big };
  readonly trackingIds: readonly string[];
}

/** One generation on a candidate date: the invoice and when invoicing would run next. */
interface CandidateInvoice {
  readonly invoice: InvoiceRecord;
  readonly nextBillingDates: readonly NextBillingDate[];
  readonly trackingIds: readonly string[];
}

/** What every generation of one dry run shares. */
interface DryRunState {
  readonly manager: EntityManager;
  readonly account: AccountRow;
  readonly flags: InvoicingFlags;
  readonly events: readonly BillingEvent[];
  /** Subscriptions of bundles tagged AUTO_INVOICING_OFF (the generator leaves their items out). */
  readonly excludedSubscriptionIds: readonly string[];
  readonly time: AccountTime;
  readonly today: LocalDate;
  readonly now: Date;
}

const SUPPORTED_ACTIONS: readonly DryRunAction[] = ['START_BILLING', 'CHANGE', 'STOP_BILLING'];

/**
 * `POST /invoices/dryRun` (Kill Bill's InvoiceDispatcher dry-run paths, spec 1.14): the invoice a
 * run would generate, by target date, as the next upcoming one, or after a hypothetical subscription
 * action, computed from the stored state and never written: no lock, no row, no event, no
 * notification, no account BCD. Nothing to invoice is a bare 204.
 */
@Injectable()
export class InvoiceDryRunService {
  constructor(
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    private readonly queues: Queues,
    private readonly config: InvoiceConfig,
    private readonly accounts: AccountService,
    private readonly billingEvents: BillingEventsService,
    private readonly dispatcher: InvoiceDispatcher,
    private readonly store: InvoiceStore,
  ) {}

  async generate(accountId: string, targetDateText: string | undefined, spec: InvoiceDryRunSpec | undefined): Promise<DryRunInvoice> {
    const type = (spec?.dryRunType ?? 'TARGET_DATE') as DryRunType;
    const action = subscriptionAction(spec);
    const requestedTarget =
      type === 'UPCOMING_INVOICE' || !targetDateText ? null : (parseLocalDate(targetDateText) ?? invalid(`Invalid format: "${targetDateText}" for targetDate`));
    const invoice = await this.transactions.run(async () => {
      const manager = this.transactions.manager();
      const account = await this.accounts.requireById(manager, accountId);
      const flags = await this.dispatcher.flagsOf(manager, account);
      const today = this.dispatcher.todayOf(account);
      const target = requestedTarget ?? today;
      if (type !== 'UPCOMING_INVOICE' && target.isAfter(today.plusMonths(this.config.maxNumberOfMonthsInFuture))) {
        throw new KillBillException('INVOICE_TARGET_DATE_TOO_FAR_IN_THE_FUTURE', [target.toString()]);
      }
      const time = accountTimeOf(account);
      const now = this.clock.now();
      const hypothetical: HypotheticalSubscriptions | undefined = action
        ? (bundles, catalog) => {
            const result = dryRunSubscription(action, {
              bundles,
              catalog,
              now,
              time,
              accountBillCycleDayLocal: account.billingCycleDayLocal,
              currency: account.currency as Currency,
              newId: randomUUID,
            });
            return { subscriptions: [result.subscription], catalog: result.catalog };
          }
        : undefined;
      const { events } = await this.billingEvents.forAccount(manager, account, { excludedBundleIds: flags.excludedBundleIds, dryRun: true, hypothetical });
      const invoices = (await this.store.forAccount(manager, account.tenantRecordId, account.id)).map((loaded) => loaded.record);
      const excludedSubscriptionIds = autoInvoicingOffSubscriptionIds(invoices, flags.excludedBundleIds);
      const state: DryRunState = { manager, account, flags, events, excludedSubscriptionIds, time, today, now };
      const notifications = await this.queues.futureNotifications(NextBillingDateQueue, account.recordId, account.tenantRecordId);
      const nextTransitions = nextTransitionsOf(events, now);
      const candidates = (subscriptionIds: readonly string[]) =>
        candidateDates(
          notifications.map((n) => n.payload),
          nextTransitions,
          subscriptionIds,
          time,
        );

      if (type !== 'UPCOMING_INVOICE') return this.forTargetDate(state, target, candidates([]), invoices);
      const filtered = filteredSubscriptionIds(spec, events);
      if (filtered.length === 0) {
        for (const date of candidates([])) {
          const found = await this.generateAt(state, date, invoices);
          if (found) return found;
        }
        return null;
      }
      for (const date of candidates(filtered)) {
        const found = await this.forTargetDate(state, date, candidates([]), invoices);
        if (found) return found;
      }
      return null;
    });
    if (!invoice) throw new EmptyStatusError(204);
    return { invoice: invoice.invoice, amounts: invoiceAmounts({ ...invoice.invoice, status: 'COMMITTED' }), trackingIds: invoice.trackingIds };
  }

  /**
   * Kill Bill's processDryRun_TARGET_DATE_Invoice: every boundary up to the target (the candidate
   * dates, the billing events after the latest invoice's target date, and the next billing dates each
   * intermediate invoice yields) is invoiced in turn on top of the previous ones; the answer is the
   * target date's invoice, else the last boundary's.
   */
  private async forTargetDate(
    state: DryRunState,
    target: LocalDate,
    candidates: readonly LocalDate[],
    existing: readonly InvoiceRecord[],
  ): Promise<CandidateInvoice | null> {
    const latest = existing.reduce<LocalDate | null>(
      (max, invoice) => (invoice.targetDate && (!max || invoice.targetDate.isAfter(max)) ? invoice.targetDate : max),
      null,
    );
    const queue: LocalDate[] = [...candidates];
    for (const event of state.events) {
      const date = toAccountLocalDate(instantOf(event.effectiveDate), state.time);
      if (!latest || latest.isBefore(date)) queue.push(date);
    }
    let augmented = [...existing];
    let additional: CandidateInvoice | null = null;
    let previous: LocalDate | null = null;
    for (;;) {
      const current = takeEarliest(queue);
      if (!current) break;
      if (previous && previous.equals(current)) continue;
      if (current.isAfter(target)) break;
      additional = await this.generateAt(state, current, augmented);
      if (additional) {
        const found = additional;
        for (const next of found.nextBillingDates) if (next.date.isAfter(current) && next.date.isBefore(target)) queue.push(next.date);
        augmented = [...augmented.filter((invoice) => invoice.id !== found.invoice.id), found.invoice];
      }
      previous = current;
    }
    if (previous && previous.equals(target)) return additional;
    return (await this.generateAt(state, target, augmented)) ?? additional;
  }

  /** One generation on `date` over `existing`, with the CBA items the credit engine would add (settled as if committed). */
  private async generateAt(state: DryRunState, date: LocalDate, existing: readonly InvoiceRecord[]): Promise<CandidateInvoice | null> {
    const { account, flags, now } = state;
    const draft = flags.reuseDraft ? existing.find((invoice) => invoice.status === 'DRAFT' && !invoice.parentInvoice) : undefined;
    const invoiceId = draft?.id ?? randomUUID();
    const result = generateInvoiceItems({
      accountId: account.id,
      currency: account.currency as Currency,
      billingEvents: state.events,
      existingInvoices: existing,
      autoInvoicingOffSubscriptionIds: state.excludedSubscriptionIds,
      usage: await this.dispatcher.usageOf(state.manager, account, state.events, date, state.time),
      targetDate: date,
      invoiceId,
      newItemId: randomUUID,
      now,
      config: this.config.generator,
      accountTime: state.time,
    });
    if (result.items.length === 0) return null;
    const generated: InvoiceRecord = draft
      ? { ...draft, items: [...draft.items, ...result.items] }
      : {
          id: invoiceId,
          accountId: account.id,
          invoiceNumber: null,
          invoiceDate: state.today,
          targetDate: result.targetDate,
          currency: account.currency as Currency,
          status: 'COMMITTED',
          migrated: false,
          parentInvoice: false,
          groupId: null,
          writtenOff: false,
          createdDate: now,
          items: result.items,
          payments: [],
        };
    const credit = computeCredit({
      invoices: [...existing.filter((invoice) => invoice.id !== invoiceId), { ...generated, status: 'COMMITTED' }],
      changedInvoiceIds: [invoiceId],
      newInvoiceIds: [invoiceId],
      today: LocalDate.ofInstant(instantOf(now), ZoneOffset.UTC),
      newItemId: randomUUID,
      now,
    });
    const status = draft ? draft.status : flags.autoInvoicingDraft ? 'DRAFT' : 'COMMITTED';
    const invoice: InvoiceRecord = { ...generated, status, items: [...generated.items, ...credit.items.filter((item) => item.invoiceId === invoiceId)] };
    return { invoice, nextBillingDates: result.nextBillingDates, trackingIds: [...new Set(result.trackingIds.map((tracking) => tracking.trackingId))] };
  }
}

/**
 * The request checks of Kill Bill's InvoiceResource#generateDryRunInvoice (400), then the action to
 * simulate; none without `dryRunAction`.
 */
function subscriptionAction(spec: InvoiceDryRunSpec | undefined): DryRunSubscriptionAction | undefined {
  if (!spec?.dryRunAction) return undefined;
  const action = spec.dryRunAction;
  if (action === 'START_BILLING' || action === 'CHANGE') {
    if (!spec.planName) {
      required(spec.productName, 'DryRun subscription product category should be specified when no planName is specified');
      required(spec.billingPeriod, 'DryRun subscription billingPeriod should be specified when no planName is specified');
      required(spec.productCategory, 'DryRun subscription product category should be specified when no planName is specified');
      if (spec.productCategory === 'ADD_ON') required(spec.bundleId, 'DryRun bundleID should be specified when product category is ADD_ON');
    } else {
      if (spec.productName != null) invalid('DryRun subscription productName should not be set when planName is specified');
      if (spec.billingPeriod != null) invalid('DryRun subscription billing period should not be set when planName is specified');
      if (spec.productCategory != null) invalid('DryRun subscription product category should not be set when planName is specified');
    }
  }
  if (action === 'CHANGE' || action === 'STOP_BILLING') {
    required(spec.subscriptionId, 'DryRun subscriptionID should be specified');
    required(spec.bundleId, 'DryRun bundleID should be specified');
  }
  if (!(SUPPORTED_ACTIONS as readonly string[]).includes(action)) invalid(`Unexpected dryRunArguments action ${action}`);
  const plan: PlanSpecifier | undefined = spec.planName
    ? { planName: spec.planName }
    : spec.productName
      ? { productName: spec.productName, billingPeriod: spec.billingPeriod as BillingPeriod, priceListName: spec.priceListName ?? undefined }
      : undefined;
  const effectiveDate = spec.effectiveDate
    ? (parseLocalDate(spec.effectiveDate) ?? invalid(`Invalid format: "${spec.effectiveDate}" for effectiveDate`))
    : null;
  return {
    action: action as DryRunAction,
    subscriptionId: spec.subscriptionId ?? null,
    bundleId: spec.bundleId ?? null,
    plan,
    phaseType: (spec.phaseType as PhaseType | null | undefined) ?? null,
    effectiveDate,
    billingPolicy: (spec.billingPolicy as BillingActionPolicy | null | undefined) ?? null,
    priceOverrides: phasePriceOverridesOf(spec.priceOverrides ?? []),
  };
}

/** Kill Bill's getNextTransitionsForSubscriptions: per subscription, its first billing event after now. */
function nextTransitionsOf(events: readonly BillingEvent[], now: Date): Map<string, Date> {
  const next = new Map<string, Date>();
  for (const event of events) {
    if (event.effectiveDate.getTime() <= now.getTime()) continue;
    const known = next.get(event.subscriptionId);
    if (!known || known.getTime() > event.effectiveDate.getTime()) next.set(event.subscriptionId, event.effectiveDate);
  }
  return next;
}

/** Kill Bill's getUpcomingInvoiceCandidateDates: pending next-billing dates and next transitions (of the given subscriptions, when any), in order. */
function candidateDates(
  notifications: readonly NextBillingDateNotification[],
  nextTransitions: ReadonlyMap<string, Date>,
  subscriptionIds: readonly string[],
  time: AccountTime,
): LocalDate[] {
  const kept = (subscriptionId: string) => subscriptionIds.length === 0 || subscriptionIds.includes(subscriptionId);
  const dates = [
    ...notifications.filter((n) => dueSubscriptionIds(n).some(kept)).map((n) => LocalDate.parse(n.targetDate)),
    ...[...nextTransitions].filter(([subscriptionId]) => kept(subscriptionId)).map(([, at]) => toAccountLocalDate(instantOf(at), time)),
  ];
  const unique = new Map(dates.map((date) => [date.toString(), date]));
  return [...unique.values()].sort((a, b) => a.compareTo(b));
}

/** UPCOMING_INVOICE's filter: the subscription, or the bundle's subscriptions; none: every candidate date. */
function filteredSubscriptionIds(spec: InvoiceDryRunSpec | undefined, events: readonly BillingEvent[]): string[] {
  if (spec?.subscriptionId) return [spec.subscriptionId];
  if (spec?.bundleId) return [...new Set(events.filter((event) => event.bundleId === spec.bundleId).map((event) => event.subscriptionId))];
  return [];
}

function takeEarliest(queue: LocalDate[]): LocalDate | undefined {
  if (queue.length === 0) return undefined;
  let index = 0;
  for (let i = 1; i < queue.length; i++) if (queue[i].isBefore(queue[index])) index = i;
  return queue.splice(index, 1)[0];
}

function required(value: string | null | undefined, message: string): void {
  if (value == null || value === '') invalid(message);
}

function invalid(message: string): never {
  throw new InvalidRequestException(message);
}
