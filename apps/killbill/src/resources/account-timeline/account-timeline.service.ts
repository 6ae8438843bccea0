import { Injectable } from '@nestjs/common';
import { AccountService, type AccountView } from '@kb/account';
import { type BundleDetails, BundleService } from '@kb/entitlement';
import type { AuditLevel } from '@kb/platform';

export interface AccountTimelineView {
  readonly account: AccountView;
  readonly bundles: readonly BundleDetails[];
}

/**
 * Kill Bill's AccountResource#getAccountTimeline: the account with its bundles (each with its
 * subscriptions and merged timeline), read across modules as Kill Bill's REST layer does. Invoices and
 * payments join it when those modules exist.
 */
@Injectable()
export class AccountTimelineService {
  constructor(
    private readonly accounts: AccountService,
    private readonly bundles: BundleService,
  ) {}

  /** `parallel` runs the reads concurrently, as Kill Bill's flag does; the answer is the same either way. */
  async timeline(accountId: string, parallel: boolean, audit: AuditLevel): Promise<AccountTimelineView> {
    const readAccount = () => this.accounts.getById(accountId, audit);
    const readBundles = () => this.bundles.forAccount(accountId, undefined, undefined, audit);
    if (parallel) {
      const [account, bundles] = await Promise.all([readAccount(), readBundles()]);
      return { account, bundles };
    }
    const account = await readAccount();
    return { account, bundles: await readBundles() };
  }
}
