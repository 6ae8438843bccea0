import { toAccountJson } from '../account/account.mapper';
import { toBundleJson } from '../subscription/subscription.mapper';
import type { AccountTimeline } from './account-timeline.dto';
import type { AccountTimelineView } from './account-timeline.service';

export function toAccountTimelineJson(view: AccountTimelineView): AccountTimeline {
  return { account: toAccountJson(view.account), bundles: view.bundles.map(toBundleJson), invoices: [], payments: [] };
}
