import { defineBusEvent, defineQueue } from '@kb/platform';

/** Kill Bill's OverdueChangeInternalEvent: an account entered another overdue state. */
export interface OverdueChangePayload {
  readonly accountId: string;
  readonly previousOverdueStateName: string;
  readonly nextOverdueStateName: string;
  /** The new state blocks billing and the previous one did not. */
  readonly isBlockedBilling: boolean;
  /** The previous state blocked billing and the new one does not. */
  readonly isUnblockedBilling: boolean;
}

export const OverdueChange = defineBusEvent<OverdueChangePayload>('OVERDUE_CHANGE');

/** Kill Bill's overdue-check notification: evaluate the account again at that time. */
export interface OverdueCheckNotification {
  readonly accountId: string;
}

export const OverdueCheckQueue = defineQueue<OverdueCheckNotification>('overdue-check');
