import type Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import { instantOf, parseLocalDate, toAccountLocalDate } from '@kb/kernel';
import { InvalidRequestException } from '@kb/platform';
import { accountTimeOf, type AccountRow } from '@kb/account';

/** What an API call gives of an item (Kill Bill's InvoiceItemJson as input; the resource's DTO fits). */
export interface InvoiceItemInput {
  readonly invoiceItemId?: string | null;
  readonly invoiceId?: string | null;
  readonly linkedInvoiceItemId?: string | null;
  readonly accountId?: string | null;
  readonly childAccountId?: string | null;
  readonly bundleId?: string | null;
  readonly subscriptionId?: string | null;
  readonly productName?: string | null;
  readonly planName?: string | null;
  readonly phaseName?: string | null;
  readonly usageName?: string | null;
  readonly itemType?: string | null;
  readonly description?: string | null;
  readonly startDate?: string | null;
  readonly endDate?: string | null;
  readonly amount?: Big | null;
  readonly rate?: Big | null;
  readonly currency?: string | null;
  readonly quantity?: Big | null;
  readonly itemDetails?: string | null;
  readonly catalogEffectiveDate?: string | null;
}

/** The account's local day of an instant (Kill Bill's context.toLocalDate). */
export function accountLocalDate(account: AccountRow, instant: Date): LocalDate {
  return toAccountLocalDate(instantOf(instant), accountTimeOf(account));
}

/** A `yyyy-MM-dd` from the request (already checked by the route's pipe), or the fallback. */
export function localDateOr(text: string | null | undefined, fallback: LocalDate, name = 'date'): LocalDate {
  if (text === undefined || text === null || text === '') return fallback;
  const date = parseLocalDate(text);
  if (!date) throw new InvalidRequestException(`Invalid format: "${text}" for ${name}`);
  return date;
}
