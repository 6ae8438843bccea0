import { Injectable, Logger } from '@nestjs/common';
import Big from 'big.js';
import type { EntityManager } from 'typeorm';
import { instantOf, KillBillError, toAccountLocalDate } from '@kb/kernel';
import { Clock, Locks, OnNotification, type QueueMessage, Queues, tenantRepository, Transactions } from '@kb/platform';
import { CONTROL_TAGS, TagService } from '@kb/tag';
import { accountTimeOf, type AccountRow, AccountService } from '@kb/account';
import { BlockingStateRow, BlockingStateService, SubscriptionCancelService, SubscriptionRow, BundleRow } from '@kb/entitlement';
import { InvoiceStore, invoiceAmounts, unpaidInvoices } from '@kb/invoice';
import {
  type BillingState,
  blockingFlagsOf,
  CLEAR_STATE,
  CLEAR_STATE_NAME,
  evaluatesAccounts,
  findOverdueState,
  type OverdueStateConfig,
  overdueStateFor,
  OVERDUE_SERVICE_NAME,
  reevaluationPlan,
  transitionOf,
} from './engine';
import { OverdueConfigService } from './overdue-config.service';
import { OverdueChange, OverdueCheckQueue, type OverdueCheckNotification } from './overdue-events';

/**
 * An account's overdue state (Kill Bill's OverdueWrapper + OverdueStateApplicator + BillingStateCalculator):
 * under the account lock and in one transaction, compute the billing state, find the state it
 * matches, schedule the next check, and on a change of state apply its effects (cancellations,
 * AUTO_INVOICING_OFF, the ACCOUNT blocking state of overdue-service) and post OVERDUE_CHANGE.
 */
@Injectable()
export class OverdueService {
  private readonly logger = new Logger('Overdue');

  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly clock: Clock,
    private readonly queues: Queues,
    private readonly configs: OverdueConfigService,
    private readonly accounts: AccountService,
    private readonly tags: TagService,
    private readonly blockingStates: BlockingStateService,
    private readonly cancels: SubscriptionCancelService,
    private readonly invoices: InvoiceStore,
  ) {}

  /** The account's current state (`GET /accounts/{id}/overdue`); unknown account: 404. */
  async stateOf(accountId: string): Promise<OverdueStateConfig> {
    const account = await this.accounts.requireById(this.transactions.manager(), accountId);
    const config = await this.configs.config();
    return findOverdueState(config, await this.currentStateName(this.transactions.manager(), account));
  }

  /** Evaluates the account again, unless its tenant's configuration has no condition at all. */
  async refresh(accountId: string): Promise<void> {
    const config = await this.configs.config();
    if (!evaluatesAccounts(config)) return;
    await this.locks.withAccountLock(accountId, async (manager) => {
      const account = await this.accounts.lockedAccount(manager, accountId);
      if (await this.hasControlTag(account, 'OVERDUE_ENFORCEMENT_OFF')) return;
      const now = this.clock.now();
      const billingState = await this.billingState(manager, account, now);
      const previous = findOverdueState(config, await this.currentStateName(manager, account));
      const next = overdueStateFor(config, billingState, toAccountLocalDate(instantOf(now), accountTimeOf(account)));
      const plan = reevaluationPlan(config, next, billingState, now);
      if (plan.kind === 'schedule') await this.scheduleCheck(account, plan.at);
      else if (plan.kind === 'clear') await this.queues.removeFutureNotifications(account.recordId, account.tenantRecordId, OverdueCheckQueue);
      if (previous.name === next.name) return;
      this.logger.log(`Account ${account.id} goes from overdue state ${previous.name} to ${next.name}`);
      await this.cancelSubscriptionsIfRequired(manager, account, next);
      await this.enter(account, previous, next, now);
    });
  }

  /** OVERDUE_ENFORCEMENT_OFF was added: back to clear, no check pending. */
  async clear(accountId: string): Promise<void> {
    const config = await this.configs.config();
    if (!evaluatesAccounts(config)) return;
    await this.locks.withAccountLock(accountId, async (manager) => {
      const account = await this.accounts.lockedAccount(manager, accountId);
      const previous = findOverdueState(config, await this.currentStateName(manager, account));
      await this.queues.removeFutureNotifications(account.recordId, account.tenantRecordId, OverdueCheckQueue);
      await this.enter(account, previous, CLEAR_STATE, this.clock.now());
    });
  }

  @OnNotification(OverdueCheckQueue)
  async onCheckDue(message: QueueMessage<OverdueCheckNotification>): Promise<void> {
    await this.refresh(message.payload.accountId);
  }

  /** Kill Bill's BillingStateCalculator: the unpaid invoices of the account, or of its parent when the parent pays. */
  private async billingState(manager: EntityManager, account: AccountRow, now: Date): Promise<BillingState> {
    const payer = account.parentAccountId && account.isPaymentDelegatedToParent ? account.parentAccountId : account.id;
    const payerAccount = payer === account.id ? account : await this.accounts.requireById(manager, payer);
    const today = toAccountLocalDate(instantOf(now), accountTimeOf(payerAccount));
    const records = (await this.invoices.forAccount(manager, account.tenantRecordId, payer)).map((loaded) => loaded.record);
    // Kill Bill's getUnpaidInvoicesByAccountId(upToDate = today)
    const unpaid = unpaidInvoices(records).filter((invoice) => invoice.targetDate === null || !invoice.targetDate.isAfter(today));
    const tags = await this.tags.forObject('ACCOUNT', account.id);
    return {
      numberOfUnpaidInvoices: unpaid.length,
      balanceOfUnpaidInvoices: unpaid.reduce((total, invoice) => total.plus(invoiceAmounts(invoice).balance), new Big(0)),
      dateOfEarliestUnpaidInvoice: unpaid[0]?.invoiceDate ?? null,
      // Kill Bill hard-wires it (BillingStateCalculator: "TODO")
      responseForLastFailedPayment: 'INSUFFICIENT_FUNDS',
      accountControlTags: tags.map((tag) => tag.tagDefinitionName ?? ''),
    };
  }

  private async currentStateName(manager: EntityManager, account: AccountRow): Promise<string> {
    const state = await manager
      .getRepository(BlockingStateRow)
      .createQueryBuilder('b')
      .where('b.tenant_record_id = :tenant AND b.blockable_id = :id AND b.type = :type AND b.service = :service AND b.is_active AND b.effective_date <= :now', {
        tenant: account.tenantRecordId,
        id: account.id,
        type: 'ACCOUNT',
        service: OVERDUE_SERVICE_NAME,
        now: this.clock.now(),
      })
      .orderBy('b.effective_date', 'DESC')
      .addOrderBy('b.record_id', 'DESC')
      .getOne();
    return state?.state ?? CLEAR_STATE_NAME;
  }

  /** Kill Bill's OverdueCheckPoster: one pending check per account, the earliest. */
  private async scheduleCheck(account: AccountRow, at: Date): Promise<void> {
    const [earliest] = await this.queues.futureNotifications(OverdueCheckQueue, account.recordId, account.tenantRecordId);
    await this.queues.removeFutureNotifications(account.recordId, account.tenantRecordId, OverdueCheckQueue);
    const when = earliest && earliest.effectiveDate.getTime() < at.getTime() ? earliest.effectiveDate : at;
    await this.queues.schedule(OverdueCheckQueue, when, { accountId: account.id }, { accountRecordId: account.recordId, tenantRecordId: account.tenantRecordId });
  }

  /** Entering `next`: AUTO_INVOICING_OFF when billing blocking starts or ends, the blocking state, OVERDUE_CHANGE. */
  private async enter(account: AccountRow, previous: OverdueStateConfig, next: OverdueStateConfig, now: Date): Promise<void> {
    const transition = transitionOf(previous, next);
    const autoInvoicingOff = CONTROL_TAGS.AUTO_INVOICING_OFF.id;
    if (transition.isBlockedBilling) await this.tags.add('ACCOUNT', account.id, [autoInvoicingOff]);
    else if (transition.isUnblockedBilling && (await this.hasControlTag(account, 'AUTO_INVOICING_OFF'))) await this.tags.remove('ACCOUNT', account.id, [autoInvoicingOff]);
    await this.blockingStates.insert(account, { stateName: next.name, service: OVERDUE_SERVICE_NAME, ...blockingFlagsOf(next) }, now);
    await this.queues.post(
      OverdueChange,
      {
        accountId: account.id,
        previousOverdueStateName: previous.name,
        nextOverdueStateName: next.name,
        isBlockedBilling: transition.isBlockedBilling,
        isUnblockedBilling: transition.isUnblockedBilling,
      },
      { accountRecordId: account.recordId, tenantRecordId: account.tenantRecordId },
    );
  }

  /** END_OF_TERM / IMMEDIATE: every subscription but add-ons is cancelled today, billing per the policy (add-ons follow their base). */
  private async cancelSubscriptionsIfRequired(manager: EntityManager, account: AccountRow, next: OverdueStateConfig): Promise<void> {
    const policy = next.subscriptionCancellationPolicy;
    if (policy === null || policy === 'NONE') return;
    const bundles = await tenantRepository(manager, BundleRow, account.tenantRecordId).find({ where: { accountId: account.id } });
    for (const bundle of bundles) {
      const subscriptions = await tenantRepository(manager, SubscriptionRow, account.tenantRecordId).find({ where: { bundleId: bundle.id }, order: { recordId: 'ASC' } });
      for (const subscription of subscriptions.filter((s) => s.category !== 'ADD_ON')) {
        try {
          await this.cancels.cancel(subscription.id, { billingPolicy: policy, useRequestedDateForBilling: false, callCompletion: false, callTimeoutSec: 0 });
        } catch (error) {
          // already cancelled or expired (refused before any write): nothing to do for that one
          if (!(error instanceof KillBillError)) throw error;
          this.logger.log(`Overdue cancellation of subscription ${subscription.id} skipped: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }

  private async hasControlTag(account: AccountRow, name: keyof typeof CONTROL_TAGS): Promise<boolean> {
    return (await this.tags.forObject('ACCOUNT', account.id)).some((tag) => tag.tag.tagDefinitionId === CONTROL_TAGS[name].id);
  }
}
