import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { type LocalDate } from '@js-joda/core';
import { type AccountTime, type Currency, instantOf, KillBillError, toAccountInstant, toAccountLocalDate, toJsDate } from '@kb/kernel';
import { accountTimeOf, type AccountRow, AccountService } from '@kb/account';
import { type BillingEvent, BillingEventsService } from '@kb/entitlement';
import { UsageService } from '@kb/usage';
import { CONTROL_TAGS, PARK_TAG, TagService } from '@kb/tag';
import { Clock, insertManyLikeSave, KillBillException, Locks, Queues, tenantRepository } from '@kb/platform';
import { generateInvoiceItems } from './engine/generator';
import type { InvoiceGeneratorResult, InvoiceItemRecord, InvoiceRecord, RawUsageRecord } from './engine/model';
import { ChargedThroughDates } from './charged-through-dates';
import { InvoiceTrackingIdRow } from './invoice.entity';
import { InvoiceConfig } from './invoice-config';
import { dueSubscriptionIds, type NextBillingDateNotification, NextBillingDateQueue } from './invoice-events';
import { InvoiceStore } from './invoice-store';
import { InvoiceWriter } from './invoice-writer';

/** Who asked: the API (a user) or the system (bus events, notifications): Kill Bill's isApiCall. */
export type InvoiceRunOrigin = 'API' | 'SYSTEM';

/** What one run wrote: the invoice (new or the reused DRAFT) or nothing. */
export interface InvoiceRunResult {
  readonly invoiceId: string | null;
}

interface LockedRunResult extends InvoiceRunResult {
  /** An API run found nothing to bill: INVOICE_NOTHING_TO_DO once its transaction (an unpark) is committed. */
  readonly nothingToDo?: { readonly accountId: string; readonly targetDate: string };
}

/** The control tags of the account and the bundles tagged AUTO_INVOICING_OFF. */
export interface InvoicingFlags {
  readonly autoInvoicingOff: boolean;
  readonly autoInvoicingDraft: boolean;
  readonly reuseDraft: boolean;
  readonly parked: boolean;
  readonly excludedBundleIds: ReadonlySet<string>;
}

/**
 * Kill Bill's InvoiceDispatcher: one invoicing run of an account under its lock, in one
 * transaction: billing events and existing invoices in, the generator, then the invoice, its items,
 * the account credit, the charged-through dates and the next billing-date notifications out.
 */
@Injectable()
export class InvoiceDispatcher {
  private readonly logger = new Logger(InvoiceDispatcher.name);

  constructor(
    private readonly locks: Locks,
    private readonly clock: Clock,
    private readonly queues: Queues,
    private readonly config: InvoiceConfig,
    private readonly accounts: AccountService,
    private readonly billingEvents: BillingEventsService,
    private readonly chargedThroughDates: ChargedThroughDates,
    private readonly usage: UsageService,
    private readonly tags: TagService,
    private readonly store: InvoiceStore,
    private readonly writer: InvoiceWriter,
  ) {}

  /**
   * Invoices the account up to `targetDate` (account-local; default today). An API run with nothing
   * to bill is INVOICE_NOTHING_TO_DO; a system run that fails parks the account (Kill Bill's
   * parkAccountsOnAllExceptions) instead of failing the bus delivery for ever.
   */
  async run(accountId: string, targetDate: LocalDate | null, origin: InvoiceRunOrigin): Promise<InvoiceRunResult> {
    try {
      const result = await this.locks.withAccountLock(accountId, (manager) => this.runLocked(manager, accountId, targetDate, origin));
      if (result.nothingToDo)
        throw new KillBillException('INVOICE_NOTHING_TO_DO', [result.nothingToDo.accountId, result.nothingToDo.targetDate], { status: 404 });
      return { invoiceId: result.invoiceId };
    } catch (error) {
      const unexpected = error instanceof KillBillError && error.codeName === 'UNEXPECTED_ERROR';
      if (origin === 'SYSTEM' && (unexpected || this.config.parkAccountsOnAllExceptions) && !isLockTimeout(error)) {
        this.logger.warn(`Invoicing of account ${accountId} failed, parking it: ${(error as Error).message}`);
        await this.park(accountId);
        return { invoiceId: null };
      }
      if (unexpected && origin === 'API') await this.park(accountId);
      throw error;
    }
  }

  /** The account's local today. */
  todayOf(account: AccountRow): LocalDate {
    return toAccountLocalDate(instantOf(this.clock.now()), accountTimeOf(account));
  }

  private async runLocked(manager: EntityManager, accountId: string, requestedTarget: LocalDate | null, origin: InvoiceRunOrigin): Promise<LockedRunResult> {
    const account = await this.accounts.requireById(manager, accountId);
    const flags = await this.flagsOf(manager, account);
    if (origin === 'SYSTEM' && (flags.parked || flags.autoInvoicingOff)) return { invoiceId: null };
    if (origin === 'SYSTEM' && !this.config.enabled) {
      await this.park(accountId);
      return { invoiceId: null };
    }
    const today = this.todayOf(account);
    const targetDate = requestedTarget ?? today;
    if (targetDate.isAfter(today.plusMonths(this.config.maxNumberOfMonthsInFuture))) {
      throw new KillBillException('INVOICE_TARGET_DATE_TOO_FAR_IN_THE_FUTURE', [targetDate.toString()]);
    }
    const events = await this.billingEvents.forAccount(manager, account, { excludedBundleIds: flags.excludedBundleIds });
    const loadedInvoices = await this.store.forAccount(manager, account.tenantRecordId, account.id);
    const invoices = loadedInvoices.map((loaded) => loaded.record);
    const draft = flags.reuseDraft ? invoices.find((invoice) => invoice.status === 'DRAFT' && !invoice.parentInvoice) : undefined;
    const invoiceId = draft?.id ?? randomUUID();
    const now = this.clock.now();
    const time = accountTimeOf(account);
    const result = generateInvoiceItems({
      accountId: account.id,
      currency: account.currency as Currency,
      billingEvents: events.events,
      existingInvoices: invoices,
      autoInvoicingOffSubscriptionIds: autoInvoicingOffSubscriptionIds(invoices, flags.excludedBundleIds),
      usage: await this.usageOf(manager, account, events.events, targetDate, time),
      targetDate,
      invoiceId,
      newItemId: randomUUID,
      now,
      config: this.config.generator,
      accountTime: time,
    });
    await this.scheduleNextBillingDates(account, result);
    const status = flags.autoInvoicingDraft ? 'DRAFT' : 'COMMITTED';
    // Kill Bill sets charged-through dates from a new COMMITTED invoice only; a DRAFT sets them on commit.
    if (!draft && status === 'COMMITTED') await this.chargedThroughDates.set(account, result.chargedThroughDates, events.storedSubscriptions);
    // An API run that succeeds unparks the account, even with nothing to bill (Kill Bill's processAccountInternal).
    if (origin === 'API' && flags.parked) await this.tags.remove('ACCOUNT', account.id, [PARK_TAG.id]);
    if (result.items.length === 0)
      return origin === 'API' ? { invoiceId: null, nothingToDo: { accountId: account.id, targetDate: targetDate.toString() } } : { invoiceId: null };
    if (draft) {
      await this.writer.addItems(manager, account, draft.id, result.items as InvoiceItemRecord[], loadedInvoices);
    } else {
      await this.writer.createInvoice(
        manager,
        account,
        { id: invoiceId, invoiceDate: today, targetDate: result.targetDate, currency: account.currency as Currency, status },
        result.items as InvoiceItemRecord[],
        loadedInvoices,
      );
    }
    await this.recordTrackingIds(manager, account, invoiceId, result);
    return { invoiceId };
  }

  /**
   * Kill Bill's setFutureNotifications: one notification per account and next billing day, naming
   * the subscriptions due that day (DefaultNextBillingDatePoster). A day already pending gains the
   * subscriptions it lacks; pending days are kept, so a run that bills nothing for a subscription (a
   * repair after a billing block) does not lose its next billing date.
   */
  private async scheduleNextBillingDates(account: AccountRow, result: InvoiceGeneratorResult): Promise<void> {
    const dueByDay = new Map<string, { date: LocalDate; subscriptionIds: Set<string> }>();
    for (const next of result.nextBillingDates) {
      const day = next.date.toString();
      let due = dueByDay.get(day);
      if (!due) dueByDay.set(day, (due = { date: next.date, subscriptionIds: new Set() }));
      due.subscriptionIds.add(next.subscriptionId);
    }
    if (dueByDay.size === 0) return;
    const time = accountTimeOf(account);
    const now = this.clock.now().getTime();
    const pendingByDay = new Map<string, { recordId: number; payload: NextBillingDateNotification }>();
    for (const pending of await this.queues.futureNotifications(NextBillingDateQueue, account.recordId, account.tenantRecordId)) {
      if (!pendingByDay.has(pending.payload.targetDate)) pendingByDay.set(pending.payload.targetDate, pending);
    }
    const notifications: { effectiveDate: Date; payload: NextBillingDateNotification }[] = [];
    for (const [day, { date, subscriptionIds: due }] of dueByDay) {
      const pending = pendingByDay.get(day);
      if (pending) {
        const known = new Set(dueSubscriptionIds(pending.payload));
        const missing = [...due].filter((subscriptionId) => !known.has(subscriptionId));
        if (missing.length > 0)
          await this.queues.updateFutureNotification(NextBillingDateQueue, pending.recordId, {
            ...pending.payload,
            subscriptionIds: [...known, ...missing],
          });
        continue;
      }
      const effectiveDate = toJsDate(toAccountInstant(date, time));
      if (effectiveDate.getTime() <= now) continue;
      notifications.push({ effectiveDate, payload: { accountId: account.id, subscriptionIds: [...due], targetDate: day } });
    }
    await this.queues.scheduleMany(NextBillingDateQueue, notifications, { accountRecordId: account.recordId, tenantRecordId: account.tenantRecordId });
  }

  /** The recorded usage of the subscriptions with usage sections, up to the end of the target day (account zone). */
  async usageOf(
    manager: EntityManager,
    account: AccountRow,
    events: readonly BillingEvent[],
    targetDate: LocalDate,
    time: AccountTime,
  ): Promise<RawUsageRecord[]> {
    const subscriptionIds = [...new Set(events.filter((event) => event.usages.length > 0).map((event) => event.subscriptionId))];
    if (subscriptionIds.length === 0) return [];
    const end = toJsDate(targetDate.plusDays(1).atStartOfDay().toInstant(time.fixedOffset));
    const rows = await this.usage.rawUsageFor(manager, account.tenantRecordId, subscriptionIds, new Date(0), new Date(end.getTime() - 1));
    return rows.map((row) => ({
      subscriptionId: row.subscriptionId,
      unitType: row.unitType,
      recordDate: toAccountLocalDate(instantOf(row.recordDate), time),
      amount: row.amount,
      trackingId: row.trackingId,
    }));
  }

  /** The usage tracking ids the new items billed (Kill Bill's invoice_tracking_ids), those already recorded left out. */
  private async recordTrackingIds(manager: EntityManager, account: AccountRow, invoiceId: string, result: InvoiceGeneratorResult): Promise<void> {
    if (result.trackingIds.length === 0) return;
    const known: { tracking_id: string; subscription_id: string }[] = await manager.query(
      `SELECT tracking_id, subscription_id FROM invoice_tracking_ids WHERE tenant_record_id = $1 AND subscription_id = ANY($2) AND is_active`,
      [account.tenantRecordId, [...new Set(result.trackingIds.map((tracking) => tracking.subscriptionId))]],
    );
    const seen = new Set(known.map((row) => `${row.subscription_id}/${row.tracking_id}`));
    const repository = tenantRepository(manager, InvoiceTrackingIdRow, account.tenantRecordId);
    const rows: InvoiceTrackingIdRow[] = [];
    for (const tracking of result.trackingIds) {
      const key = `${tracking.subscriptionId}/${tracking.trackingId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push(
        repository.create({
          id: randomUUID(),
          tenantRecordId: account.tenantRecordId,
          accountRecordId: account.recordId,
          trackingId: tracking.trackingId,
          invoiceId,
          subscriptionId: tracking.subscriptionId,
          unitType: tracking.unitType,
          recordDate: tracking.recordDate,
          isActive: true,
        }),
      );
    }
    await insertManyLikeSave(manager, InvoiceTrackingIdRow, rows, this.clock);
  }

  /** The control tags that shape a run (also read by dry runs). */
  async flagsOf(manager: EntityManager, account: AccountRow): Promise<InvoicingFlags> {
    const rows: { object_id: string; object_type: string; tag_definition_id: string }[] = await manager.query(
      `SELECT object_id, object_type, tag_definition_id FROM tags
        WHERE tenant_record_id = $1 AND account_record_id = $2 AND is_active AND object_type IN ('ACCOUNT', 'BUNDLE')
          AND tag_definition_id = ANY($3)`,
      [
        account.tenantRecordId,
        account.recordId,
        [CONTROL_TAGS.AUTO_INVOICING_OFF.id, CONTROL_TAGS.AUTO_INVOICING_DRAFT.id, CONTROL_TAGS.AUTO_INVOICING_REUSE_DRAFT.id, PARK_TAG.id],
      ],
    );
    const onAccount = (id: string) => rows.some((row) => row.object_type === 'ACCOUNT' && row.object_id === account.id && row.tag_definition_id === id);
    return {
      autoInvoicingOff: onAccount(CONTROL_TAGS.AUTO_INVOICING_OFF.id),
      autoInvoicingDraft: onAccount(CONTROL_TAGS.AUTO_INVOICING_DRAFT.id),
      reuseDraft: onAccount(CONTROL_TAGS.AUTO_INVOICING_REUSE_DRAFT.id),
      parked: onAccount(PARK_TAG.id),
      excludedBundleIds: new Set(
        rows.filter((row) => row.object_type === 'BUNDLE' && row.tag_definition_id === CONTROL_TAGS.AUTO_INVOICING_OFF.id).map((row) => row.object_id),
      ),
    };
  }

  /** Kill Bill's ParkedAccountsManager#parkAccount: the system tag __PARK__ (adding it again is a no-op), in a transaction of its own. */
  private async park(accountId: string): Promise<void> {
    try {
      await this.tags.add('ACCOUNT', accountId, [PARK_TAG.id], { system: true });
    } catch (error) {
      this.logger.error(`Unable to park account ${accountId}: ${(error as Error).message}`);
    }
  }
}

/**
 * The subscriptions of the bundles tagged AUTO_INVOICING_OFF, from their billed items: the generator
 * leaves out their items and the adjustments of those items (which carry no bundle of their own).
 */
export function autoInvoicingOffSubscriptionIds(invoices: readonly InvoiceRecord[], excludedBundleIds: ReadonlySet<string>): string[] {
  if (excludedBundleIds.size === 0) return [];
  const ids = new Set<string>();
  for (const invoice of invoices) {
    for (const item of invoice.items)
      if (item.bundleId !== null && item.subscriptionId !== null && excludedBundleIds.has(item.bundleId)) ids.add(item.subscriptionId);
  }
  return [...ids];
}

function isLockTimeout(error: unknown): boolean {
  return error instanceof KillBillException && error.codeName === 'UNEXPECTED_ERROR' && /lock/i.test(error.message);
}
