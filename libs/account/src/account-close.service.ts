import { Injectable } from '@nestjs/common';
import { Clock, Transactions } from '@kb/platform';
import { AccountService } from './account.service';
import { BlockingStateService, CLOSE_ACCOUNT_STATE } from './blocking-state.service';

export interface CloseAccountOptions {
  readonly cancelAllSubscriptions: boolean;
  readonly writeOffUnpaidInvoices: boolean;
  readonly itemAdjustUnpaidInvoices: boolean;
  readonly removeFutureNotifications: boolean;
}

/** DELETE /accounts/{id}: Kill Bill closes an account softly, it is never deleted. */
@Injectable()
export class AccountCloseService {
  constructor(
    private readonly transactions: Transactions,
    private readonly accounts: AccountService,
    private readonly blockingStates: BlockingStateService,
    private readonly clock: Clock,
  ) {}

  async close(accountId: string, options: CloseAccountOptions): Promise<void> {
    await this.transactions.run(async (manager) => {
      const account = await this.accounts.lockedAccount(manager, accountId);
      // Still to come with their modules, in Kill Bill's order: the AUTO_INVOICING_OFF control tag
      // (tags), cancelAllSubscriptions (entitlement: IMMEDIATE entitlement, END_OF_TERM billing for
      // every non add-on subscription), writeOffUnpaidInvoices / itemAdjustUnpaidInvoices (invoice).
      // The flags are accepted; with no subscriptions or invoices yet there is nothing for them to do.
      await this.blockingStates.insert(account, CLOSE_ACCOUNT_STATE);
      if (options.removeFutureNotifications) {
        // Kill Bill's removeFutureNotificationsForSearchKeys: future notifications of the account leave
        // the queue for its history as REMOVED.
        await manager.query(
          `WITH removed AS (
             DELETE FROM notifications
              WHERE search_key1 = $1 AND search_key2 = $2 AND effective_date > $3 AND processing_state = 'AVAILABLE'
             RETURNING *)
           INSERT INTO notifications_history SELECT * FROM removed`,
          [account.recordId, account.tenantRecordId, this.clock.now()],
        );
        await manager.query(
          `UPDATE notifications_history SET processing_state = 'REMOVED'
            WHERE search_key1 = $1 AND search_key2 = $2 AND effective_date > $3 AND processing_state = 'AVAILABLE'`,
          [account.recordId, account.tenantRecordId, this.clock.now()],
        );
      }
    });
  }
}
