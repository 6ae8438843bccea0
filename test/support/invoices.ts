import { randomUUID } from 'node:crypto';
import { LocalDate } from '@js-joda/core';
import Big from 'big.js';
import { newRequestContext, runWithContext, Transactions } from '@kb/platform';
import {
  type InvoiceItemType,
  InvoiceItemRow,
  InvoiceParentChildRow,
  type InvoicePaymentStatus,
  type InvoicePaymentType,
  InvoicePaymentRow,
  InvoiceRow,
  type InvoiceStatus,
  InvoiceTrackingIdRow,
} from '@kb/invoice';
import type { TestApp } from './test-app';

export interface ItemSpec {
  readonly type: InvoiceItemType;
  readonly amount: string | number;
  readonly id?: string;
  /** Defaults to the invoice's account. */
  readonly accountId?: string;
  readonly childAccountId?: string | null;
  readonly bundleId?: string | null;
  readonly subscriptionId?: string | null;
  readonly productName?: string | null;
  readonly planName?: string | null;
  readonly phaseName?: string | null;
  readonly usageName?: string | null;
  readonly description?: string | null;
  readonly startDate?: string;
  readonly endDate?: string | null;
  readonly rate?: string | number | null;
  readonly quantity?: string | number | null;
  readonly linkedItemId?: string | null;
  readonly catalogEffectiveDate?: Date | null;
}

export interface PaymentSpec {
  readonly amount: string | number;
  readonly type?: InvoicePaymentType;
  readonly status?: InvoicePaymentStatus;
  readonly paymentId?: string;
}

export interface InvoiceSpec {
  readonly accountId: string;
  readonly status?: InvoiceStatus;
  readonly currency?: string;
  readonly invoiceDate?: string;
  /** Defaults to the invoice date; null for none. */
  readonly targetDate?: string | null;
  readonly migrated?: boolean;
  readonly parentInvoice?: boolean;
  readonly groupId?: string | null;
  readonly items?: readonly ItemSpec[];
  readonly payments?: readonly PaymentSpec[];
  /** Links this (child) invoice to its parent's invoice (invoice_parent_children). */
  readonly parentInvoiceId?: string;
  readonly trackingIds?: readonly { readonly trackingId: string; readonly subscriptionId?: string; readonly isActive?: boolean }[];
}

export interface InsertedInvoice {
  readonly invoiceId: string;
  readonly invoiceNumber: number;
  readonly itemIds: string[];
  readonly paymentIds: string[];
}

/**
 * Writes an invoice with its items, payment rows, parent link and tracking ids straight through the
 * entities (history and audit rows included), in one transaction of the account's tenant: invoices
 * for the read side's tests before anything generates them.
 */
export async function insertInvoice(t: TestApp, spec: InvoiceSpec): Promise<InsertedInvoice> {
  const [account] = await t.query<{ record_id: string; tenant_record_id: string }>(`SELECT record_id, tenant_record_id FROM accounts WHERE id = $1`, [spec.accountId]);
  if (!account) throw new Error(`No account ${spec.accountId}`);
  const tenantRecordId = Number(account.tenant_record_id);
  const accountRecordId = Number(account.record_id);
  const now = new Date();
  const stamp = { createdDate: now, createdBy: 'test', updatedDate: now, updatedBy: 'test', tenantRecordId, accountRecordId };
  const currency = spec.currency ?? 'USD';
  const invoiceDate = LocalDate.parse(spec.invoiceDate ?? '2024-01-01');
  const transactions = t.app.get(Transactions);
  return runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'test' }), () =>
    transactions.run(async (manager) => {
      const invoice = await manager.save(
        Object.assign(new InvoiceRow(), {
          ...stamp,
          id: randomUUID(),
          accountId: spec.accountId,
          invoiceDate,
          targetDate: spec.targetDate === null ? null : spec.targetDate ? LocalDate.parse(spec.targetDate) : invoiceDate,
          currency,
          status: spec.status ?? 'COMMITTED',
          migrated: spec.migrated ?? false,
          parentInvoice: spec.parentInvoice ?? false,
          grpId: spec.groupId === undefined ? null : spec.groupId,
        }),
      );
      const itemIds: string[] = [];
      for (const item of spec.items ?? []) {
        const saved = await manager.save(
          Object.assign(new InvoiceItemRow(), {
            ...stamp,
            id: item.id ?? randomUUID(),
            type: item.type,
            invoiceId: invoice.id,
            accountId: item.accountId ?? spec.accountId,
            childAccountId: item.childAccountId ?? null,
            bundleId: item.bundleId ?? null,
            subscriptionId: item.subscriptionId ?? null,
            description: item.description ?? null,
            productName: item.productName ?? null,
            planName: item.planName ?? null,
            phaseName: item.phaseName ?? null,
            usageName: item.usageName ?? null,
            catalogEffectiveDate: item.catalogEffectiveDate ?? null,
            startDate: LocalDate.parse(item.startDate ?? invoiceDate.toString()),
            endDate: item.endDate ? LocalDate.parse(item.endDate) : null,
            amount: new Big(item.amount),
            rate: item.rate === undefined || item.rate === null ? null : new Big(item.rate),
            currency,
            linkedItemId: item.linkedItemId ?? null,
            quantity: item.quantity === undefined || item.quantity === null ? null : new Big(item.quantity),
            itemDetails: null,
          }),
        );
        itemIds.push(saved.id);
      }
      const paymentIds: string[] = [];
      for (const payment of spec.payments ?? []) {
        const saved = await manager.save(
          Object.assign(new InvoicePaymentRow(), {
            ...stamp,
            id: randomUUID(),
            type: payment.type ?? 'ATTEMPT',
            invoiceId: invoice.id,
            paymentId: payment.paymentId ?? randomUUID(),
            paymentDate: now,
            amount: new Big(payment.amount),
            currency,
            processedCurrency: currency,
            paymentCookieId: null,
            linkedInvoicePaymentId: null,
            status: payment.status ?? 'SUCCESS',
          }),
        );
        paymentIds.push(saved.id);
      }
      if (spec.parentInvoiceId) {
        await manager.save(
          Object.assign(new InvoiceParentChildRow(), {
            ...stamp,
            id: randomUUID(),
            parentInvoiceId: spec.parentInvoiceId,
            childInvoiceId: invoice.id,
            childAccountId: spec.accountId,
          }),
        );
      }
      for (const tracking of spec.trackingIds ?? []) {
        await manager.save(
          Object.assign(new InvoiceTrackingIdRow(), {
            ...stamp,
            id: randomUUID(),
            trackingId: tracking.trackingId,
            invoiceId: invoice.id,
            subscriptionId: tracking.subscriptionId ?? randomUUID(),
            unitType: 'unit',
            recordDate: invoiceDate,
            isActive: tracking.isActive ?? true,
          }),
        );
      }
      return { invoiceId: invoice.id, invoiceNumber: Number(invoice.recordId), itemIds, paymentIds };
    }),
  );
}
