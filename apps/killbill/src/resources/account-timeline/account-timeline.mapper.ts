import type { InvoiceView } from '@kb/invoice';
import type { BundleDetails } from '@kb/entitlement';
import { toAccountJson } from '../account/account.mapper';
import { toTimelineInvoiceJson } from '../invoice/invoice.mapper';
import { toInvoicePaymentJson } from '../payment/payment.mapper';
import { toBundleJson } from '../subscription/subscription.mapper';
import type { AccountTimeline } from './account-timeline.dto';
import type { AccountTimelineView } from './account-timeline.service';

export function toAccountTimelineJson(view: AccountTimelineView): AccountTimeline {
  // Kill Bill's AccountTimelineJson puts every credit of the account on each invoice.
  const credits = view.invoices.flatMap((invoice) => (invoice.items ?? []).filter((item) => item.item.type === 'CREDIT_ADJ')).map((item) => ({ ...item, childItems: [] }));
  return {
    account: toAccountJson(view.account),
    bundles: view.bundles.map(toBundleJson),
    invoices: view.invoices.map((invoice) => toTimelineInvoiceJson(invoice, bundleKeys(invoice, view.bundles), credits)),
    payments: view.payments.map(toInvoicePaymentJson),
  };
}

/** The external keys of the bundles the invoice's items belong to, comma-joined (empty when none). */
function bundleKeys(invoice: InvoiceView, bundles: readonly BundleDetails[]): string {
  const ids = new Set((invoice.items ?? []).map((item) => item.item.bundleId));
  return bundles
    .filter((bundle) => ids.has(bundle.bundle.id))
    .map((bundle) => bundle.externalKey)
    .join(',');
}
