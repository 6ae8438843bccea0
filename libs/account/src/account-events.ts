import { defineBusEvent } from '@kb/platform';
import type { ChangedField } from './account-rules';

export interface AccountCreationPayload {
  readonly accountId: string;
  /** Kill Bill's DefaultAccountData. */
  readonly data: Record<string, unknown>;
}

export interface AccountChangePayload {
  readonly accountId: string;
  readonly changedFields: readonly ChangedField[];
}

export const AccountCreation = defineBusEvent<AccountCreationPayload>('ACCOUNT_CREATION');
export const AccountChange = defineBusEvent<AccountChangePayload>('ACCOUNT_CHANGE');
