import { Injectable } from '@nestjs/common';
import { Queues, Transactions } from '@kb/platform';
import { AccountService } from '@kb/account';
import { BlockingStateService, CLOSE_ACCOUNT_STATE } from '@kb/entitlement';
import { CONTROL_TAGS, TagService } from '@kb/tag';

export interface CloseAccountOptions {
  readonly cancelAllSubscriptions: boolean;
  readonly writeOffUnpaidInvoices: boolean;
  readonly itemAdjustUnpaidInvoices: boolean;
  readonly removeFutureNotifications: boolean;
}

/**
 * DELETE /accounts/{id}: Kill Bill closes an account softly, it is never deleted. Closing spans
 * modules (tags, entitlement, and soon invoices), so it is orchestrated here, above them, as Kill
 * Bill's AccountResource does, in one transaction under the account's lock.
 */
@Injectable()
export class AccountCloseService {
  constructor(
    private readonly transactions: Transactions,
    private readonly accounts: AccountService,
    private readonly blockingStates: BlockingStateService,
    private readonly tags: TagService,
    private readonly queues: Queues,
  ) {}

  async close(accountId: string, options: CloseAccountOptions): Promise<void> {
    await this.transactions.run(async (manager) => {
      const account = await this.accounts.lockedAccount(manager, accountId);
      await this.tags.add('ACCOUNT', account.id, [CONTROL_TAGS.AUTO_INVOICING_OFF.id]);
      // Still to come with their modules, in Kill Bill's order: cancelAllSubscriptions (entitlement:
      // IMMEDIATE entitlement, END_OF_TERM billing for every non add-on subscription) and
      // writeOffUnpaidInvoices / itemAdjustUnpaidInvoices (invoice). The flags are accepted; with no
      // subscriptions or invoices yet there is nothing for them to act on.
      await this.blockingStates.insert(account, CLOSE_ACCOUNT_STATE);
      if (options.removeFutureNotifications) await this.queues.removeFutureNotifications(account.recordId, account.tenantRecordId);
    });
  }
}
