import type Big from 'big.js';
import type { AccountInput, AccountView } from '@kb/account';
import type { BlockingStateView } from '@kb/entitlement';
import type { AccountEmailRow } from '@kb/account';
import type { Account, AccountEmail, BlockingState } from './dto/account.dto';

/** Kill Bill's AccountJson, every field present (nulls included) in Kill Bill's order; balances null unless given. */
export function toAccountJson({ account, auditLogs, balance = null, credit = null }: AccountView & { balance?: Big | null; credit?: Big | null }): Account {
  return {
    accountId: account.id,
    name: account.name,
    firstNameLength: account.firstNameLength,
    externalKey: account.externalKey,
    email: account.email,
    billCycleDayLocal: account.billingCycleDayLocal,
    currency: account.currency,
    parentAccountId: account.parentAccountId,
    isPaymentDelegatedToParent: account.isPaymentDelegatedToParent ?? false,
    paymentMethodId: account.paymentMethodId,
    referenceTime: account.referenceTime.toISOString(),
    timeZone: account.timeZone,
    address1: account.address1,
    address2: account.address2,
    postalCode: account.postalCode,
    company: account.companyName,
    city: account.city,
    state: account.stateOrProvince,
    country: account.country,
    locale: account.locale,
    phone: account.phone,
    notes: account.notes,
    isMigrated: account.migrated,
    accountBalance: balance,
    accountCBA: credit,
    auditLogs,
  };
}

/** The JSON names of Kill Bill's AccountJson onto the account's data. */
export function toAccountInput(body: Account): AccountInput {
  return {
    externalKey: body.externalKey,
    name: body.name,
    firstNameLength: body.firstNameLength,
    email: body.email,
    billCycleDayLocal: body.billCycleDayLocal,
    currency: body.currency,
    parentAccountId: body.parentAccountId?.toLowerCase(),
    isPaymentDelegatedToParent: body.isPaymentDelegatedToParent,
    paymentMethodId: body.paymentMethodId?.toLowerCase(),
    referenceTime: body.referenceTime,
    timeZone: body.timeZone,
    address1: body.address1,
    address2: body.address2,
    postalCode: body.postalCode,
    companyName: body.company,
    city: body.city,
    stateOrProvince: body.state,
    country: body.country,
    locale: body.locale,
    phone: body.phone,
    notes: body.notes,
    isMigrated: body.isMigrated,
  };
}

export function toAccountEmailJson(email: AccountEmailRow): AccountEmail {
  return { accountId: email.accountId, email: email.email, auditLogs: [] };
}

export function toBlockingStateJson({ state, auditLogs }: BlockingStateView): BlockingState {
  return {
    blockedId: state.blockableId,
    stateName: state.state,
    service: state.service,
    isBlockChange: state.blockChange,
    isBlockEntitlement: state.blockEntitlement,
    isBlockBilling: state.blockBilling,
    effectiveDate: state.effectiveDate.toISOString(),
    type: state.type,
    auditLogs,
  };
}
