import { Injectable } from '@nestjs/common';
import { LocalDate, ZoneOffset } from '@js-joda/core';
import { instantOf } from '@kb/kernel';
import { AuditLevel, Clock, currentContext, Queues, Transactions } from '@kb/platform';
import { AccountService } from '@kb/account';
import { BlockingStateService, BundleService, CLOSE_ACCOUNT_STATE, SubscriptionCancelService } from '@kb/entitlement';
import { InvoiceAdjustmentsService, type InvoiceItemType, InvoiceStore, unpaidInvoices } from '@kb/invoice';
import { CONTROL_TAGS, TagService } from '@kb/tag';

export interface CloseAccountOptions {
  readonly cancelAllSubscriptions: boolean;
  readonly writeOffUnpaidInvoices: boolean;
  readonly itemAdjustUnpaidInvoices: boolean;
  readonly removeFutureNotifications: boolean;
}

/** The items Kill Bill's close adjusts on each unpaid invoice (AccountResource#closeAccount). */
const ADJUSTABLE_ON_CLOSE: ReadonlySet<InvoiceItemType> = new Set(['EXTERNAL_CHARGE', 'FIXED', 'RECURRING', 'TAX', 'USAGE', 'PARENT_SUMMARY']);

/**
 * DELETE /accounts/{id}: Kill Bill closes an account softly, it is never deleted. Closing spans
 * modules (tags, entitlement, invoices), so it is orchestrated here, above them, as Kill Bill's
 * AccountResource does (in its order), in one transaction under the account's lock.
 */
@Injectable()
export class AccountCloseService {
  constructor(
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    private readonly accounts: AccountService,
    private readonly blockingStates: BlockingStateService,
    private readonly bundles: BundleService,
    private readonly cancels: SubscriptionCancelService,
    private readonly invoices: InvoiceStore,
    private readonly adjustments: InvoiceAdjustmentsService,
    private readonly tags: TagService,
    private readonly queues: Queues,
  ) {}

  async close(accountId: string, options: CloseAccountOptions): Promise<void> {
    await this.transactions.run(async (manager) => {
      const account = await this.accounts.lockedAccount(manager, accountId);
      await this.tags.add('ACCOUNT', account.id, [CONTROL_TAGS.AUTO_INVOICING_OFF.id]);
      if (options.cancelAllSubscriptions) {
        // Entitlement ends now, billing at the end of the term, for every base and standalone not already ending.
        const bundles = await this.bundles.forAccount(account.id, undefined, undefined, AuditLevel.NONE);
        const toCancel = bundles.flatMap((bundle) => bundle.subscriptions).filter((s) => s.row.category !== 'ADD_ON' && s.view.billingEndDate === null);
        for (const subscription of toCancel) {
          await this.cancels.cancel(subscription.row.id, {
            entitlementPolicy: 'IMMEDIATE',
            billingPolicy: 'END_OF_TERM',
            useRequestedDateForBilling: false,
            callCompletion: false,
            callTimeoutSec: 0,
          });
        }
      }
      if (options.writeOffUnpaidInvoices || options.itemAdjustUnpaidInvoices) {
        const unpaid = unpaidInvoices((await this.invoices.forAccount(manager, account.tenantRecordId, account.id)).map((loaded) => loaded.record));
        if (options.writeOffUnpaidInvoices) {
          for (const invoice of unpaid) await this.tags.add('INVOICE', invoice.id, [CONTROL_TAGS.WRITTEN_OFF.id]);
        } else {
          const today = LocalDate.ofInstant(instantOf(this.clock.now()), ZoneOffset.UTC).toString();
          const description = currentContext().comments ?? 'Close Account';
          for (const invoice of unpaid) {
            for (const item of invoice.items.filter((candidate) => ADJUSTABLE_ON_CLOSE.has(candidate.type))) {
              await this.adjustments.adjustItem(invoice.id, { accountId: account.id, invoiceItemId: item.id, description }, today);
            }
          }
        }
      }
      await this.blockingStates.insert(account, CLOSE_ACCOUNT_STATE);
      if (options.removeFutureNotifications) await this.queues.removeFutureNotifications(account.recordId, account.tenantRecordId);
    });
  }
}
