import { Injectable } from '@nestjs/common';
import type Big from 'big.js';
import { AccountService, type AccountView } from '@kb/account';
import { InvoiceQueryService } from '@kb/invoice';
import type { AuditLevel, Page, PageRequest } from '@kb/platform';

/** `accountWithBalance` / `accountWithBalanceAndCBA`: which balances an account read carries. */
export interface BalanceFlags {
  readonly withBalance: boolean;
  readonly withBalanceAndCba: boolean;
}

/** An account with its balance and credit, each null unless asked for (Kill Bill's AccountJson). */
export interface AccountWithBalances extends AccountView {
  readonly balance: Big | null;
  readonly credit: Big | null;
}

/**
 * The account reads of AccountResource with the balances the invoice module computes: accounts sit
 * below invoices, so the two are joined here, as Kill Bill's REST layer does, one batch per answer.
 */
@Injectable()
export class AccountReadService {
  constructor(
    private readonly accounts: AccountService,
    private readonly invoices: InvoiceQueryService,
  ) {}

  async getById(accountId: string, audit: AuditLevel, flags: BalanceFlags): Promise<AccountWithBalances> {
    return (await this.withBalances([await this.accounts.getById(accountId, audit)], flags))[0];
  }

  async getByExternalKey(externalKey: string | undefined, audit: AuditLevel, flags: BalanceFlags): Promise<AccountWithBalances> {
    return (await this.withBalances([await this.accounts.getByExternalKey(externalKey, audit)], flags))[0];
  }

  async list(page: PageRequest, audit: AuditLevel, flags: BalanceFlags): Promise<Page<AccountWithBalances>> {
    return this.pageWithBalances(await this.accounts.list(page, audit), flags);
  }

  async search(searchKey: string, page: PageRequest, audit: AuditLevel, flags: BalanceFlags): Promise<Page<AccountWithBalances>> {
    return this.pageWithBalances(await this.accounts.search(searchKey, page, audit), flags);
  }

  async children(parentId: string, audit: AuditLevel, flags: BalanceFlags): Promise<AccountWithBalances[]> {
    return this.withBalances(await this.accounts.children(parentId, audit), flags);
  }

  private async pageWithBalances(page: Page<AccountView>, flags: BalanceFlags): Promise<Page<AccountWithBalances>> {
    return { ...page, items: await this.withBalances(page.items, flags) };
  }

  private async withBalances(views: readonly AccountView[], { withBalance, withBalanceAndCba }: BalanceFlags): Promise<AccountWithBalances[]> {
    if (!withBalance && !withBalanceAndCba) return views.map((view) => ({ ...view, balance: null, credit: null }));
    const balances = await this.invoices.balances(views.map((view) => view.account.id));
    return views.map((view) => {
      const of = balances.get(view.account.id);
      return { ...view, balance: of?.balance ?? null, credit: withBalanceAndCba ? (of?.credit ?? null) : null };
    });
  }
}
