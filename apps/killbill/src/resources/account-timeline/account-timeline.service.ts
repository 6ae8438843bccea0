import { Injectable } from '@nestjs/common';
import { AccountService, type AccountView } from '@kb/account';
import { type BundleDetails, BundleService } from '@kb/entitlement';
import { InvoiceQueryService, type InvoiceView } from '@kb/invoice';
import { type InvoicePaymentView, PaymentQueryService } from '@kb/payment';
import type { AuditLevel } from '@kb/platform';

export interface AccountTimelineView {
  readonly account: AccountView;
  readonly bundles: readonly BundleDetails[];
  /** Not migrated nor VOID, with their items (Kill Bill's getInvoicesByAccount(false, false, true)). */
  readonly invoices: readonly InvoiceView[];
  /** Every payment of the account, with the invoice its ATTEMPT row paid (Kill Bill's getAccountPayments(false, false)). */
  readonly payments: readonly InvoicePaymentView[];
}

/**
 * Kill Bill's AccountResource#getAccountTimeline: the account with its bundles (each with its
 * subscriptions and merged timeline) and its invoices, read across modules as Kill Bill's REST layer
 * does.
 */
@Injectable()
export class AccountTimelineService {
  constructor(
    private readonly accounts: AccountService,
    private readonly bundles: BundleService,
    private readonly invoices: InvoiceQueryService,
    private readonly payments: PaymentQueryService,
  ) {}

  /** `parallel` runs the reads concurrently, as Kill Bill's flag does; the answer is the same either way. */
  async timeline(accountId: string, parallel: boolean, audit: AuditLevel): Promise<AccountTimelineView> {
    const readAccount = () => this.accounts.getById(accountId, audit);
    const readBundles = () => this.bundles.forAccount(accountId, undefined, undefined, audit);
    const readInvoices = () => this.invoices.forAccount(accountId, { includeInvoiceComponents: true }, audit);
    const readPayments = () => this.payments.invoicePaymentsForAccount(accountId, { audit });
    if (parallel) {
      const [account, bundles, invoices, payments] = await Promise.all([readAccount(), readBundles(), readInvoices(), readPayments()]);
      return { account, bundles, invoices, payments };
    }
    const account = await readAccount();
    return { account, bundles: await readBundles(), invoices: await readInvoices(), payments: await readPayments() };
  }
}
