import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Currency } from '@kb/kernel';
import { CONTROL_TAGS } from '@kb/tag';
import type { InvoiceItemRecord, InvoicePaymentRecord, InvoiceRecord } from './engine/model';
import { InvoiceItemRow, InvoiceParentChildRow, InvoicePaymentRow, InvoiceRow } from './invoice.entity';

export function toItemRecord(row: InvoiceItemRow): InvoiceItemRecord {
  return {
    id: row.id,
    invoiceId: row.invoiceId,
    accountId: row.accountId,
    childAccountId: row.childAccountId,
    type: row.type,
    bundleId: row.bundleId,
    subscriptionId: row.subscriptionId,
    description: row.description,
    productName: row.productName,
    planName: row.planName,
    phaseName: row.phaseName,
    usageName: row.usageName,
    catalogEffectiveDate: row.catalogEffectiveDate,
    startDate: row.startDate,
    endDate: row.endDate,
    amount: row.amount,
    rate: row.rate,
    currency: row.currency as Currency,
    linkedItemId: row.linkedItemId,
    quantity: row.quantity,
    itemDetails: row.itemDetails,
    createdDate: row.createdDate,
  };
}

export function toPaymentRecord(row: InvoicePaymentRow): InvoicePaymentRecord {
  return {
    id: row.id,
    invoiceId: row.invoiceId,
    paymentId: row.paymentId,
    type: row.type,
    status: row.status,
    amount: row.amount,
    currency: row.currency as Currency,
    paymentDate: row.paymentDate,
    linkedInvoicePaymentId: row.linkedInvoicePaymentId,
  };
}

/** An invoice as loaded: the record the engines read and the row (record ids, audit) the services need. */
export interface LoadedInvoice {
  readonly row: InvoiceRow;
  readonly record: InvoiceRecord;
  readonly itemRows: readonly InvoiceItemRow[];
}

/**
 * Reads invoices with their items, payment rows and WRITTEN_OFF tags in four queries, whatever the
 * number of invoices: no query per invoice.
 */
@Injectable()
export class InvoiceStore {
  /** Every invoice of the account (any status), oldest first. */
  async forAccount(manager: EntityManager, tenantRecordId: number, accountId: string): Promise<LoadedInvoice[]> {
    const rows = await manager
      .getRepository(InvoiceRow)
      .createQueryBuilder('i')
      .where('i.tenant_record_id = :tenant AND i.account_id = :accountId', { tenant: tenantRecordId, accountId })
      .orderBy('i.record_id')
      .getMany();
    return this.withDetails(manager, tenantRecordId, rows);
  }

  async byIds(manager: EntityManager, tenantRecordId: number, invoiceIds: readonly string[]): Promise<LoadedInvoice[]> {
    if (invoiceIds.length === 0) return [];
    const rows = await manager
      .getRepository(InvoiceRow)
      .createQueryBuilder('i')
      .where('i.tenant_record_id = :tenant AND i.id = ANY(:invoiceIds)', { tenant: tenantRecordId, invoiceIds })
      .orderBy('i.record_id')
      .getMany();
    return this.withDetails(manager, tenantRecordId, rows);
  }

  /**
   * The parent invoice (with its items and payments) of each of the given child invoices that is
   * summarised on one, keyed by child invoice id: one query for the parents whatever their number.
   * Parents may belong to another account (the parent account) of the same tenant.
   */
  async parentInvoicesOf(manager: EntityManager, tenantRecordId: number, childInvoiceIds: readonly string[]): Promise<Map<string, LoadedInvoice>> {
    if (childInvoiceIds.length === 0) return new Map();
    const { entities, raw } = await manager
      .getRepository(InvoiceRow)
      .createQueryBuilder('i')
      .innerJoin(InvoiceParentChildRow, 'pc', 'pc.parent_invoice_id = i.id AND pc.tenant_record_id = i.tenant_record_id')
      .addSelect('pc.child_invoice_id', 'child_invoice_id')
      .where('pc.tenant_record_id = :tenant AND pc.child_invoice_id = ANY(:childInvoiceIds)', { tenant: tenantRecordId, childInvoiceIds })
      .orderBy('i.record_id')
      .getRawAndEntities<{ i_id: string; child_invoice_id: string }>();
    const parents = new Map((await this.withDetails(manager, tenantRecordId, entities)).map((loaded) => [loaded.row.id, loaded]));
    const byChild = new Map<string, LoadedInvoice>();
    for (const row of raw) {
      const parent = parents.get(row.i_id);
      if (parent) byChild.set(row.child_invoice_id, parent);
    }
    return byChild;
  }

  /** Items, payments and written-off tags of the given invoices. */
  async withDetails(manager: EntityManager, tenantRecordId: number, rows: readonly InvoiceRow[]): Promise<LoadedInvoice[]> {
    if (rows.length === 0) return [];
    const invoiceIds = rows.map((row) => row.id);
    // One after the other: the manager is often a transaction's single connection.
    const items = await manager
      .getRepository(InvoiceItemRow)
      .createQueryBuilder('it')
      .where('it.tenant_record_id = :tenant AND it.invoice_id = ANY(:invoiceIds)', { tenant: tenantRecordId, invoiceIds })
      .orderBy('it.record_id')
      .getMany();
    const payments = await manager
      .getRepository(InvoicePaymentRow)
      .createQueryBuilder('p')
      .where('p.tenant_record_id = :tenant AND p.invoice_id = ANY(:invoiceIds)', { tenant: tenantRecordId, invoiceIds })
      .orderBy('p.record_id')
      .getMany();
    const writtenOff: { object_id: string }[] = await manager.query(
      `SELECT object_id FROM tags WHERE tenant_record_id = $1 AND object_id = ANY($2) AND object_type = 'INVOICE' AND tag_definition_id = $3 AND is_active`,
      [tenantRecordId, invoiceIds, CONTROL_TAGS.WRITTEN_OFF.id],
    );
    const itemsByInvoice = groupBy(items, (item) => item.invoiceId);
    const paymentsByInvoice = groupBy(payments, (payment) => payment.invoiceId);
    const writtenOffIds = new Set(writtenOff.map((tag) => tag.object_id));
    return rows.map((row) =>
      loadedInvoiceOf(row, itemsByInvoice.get(row.id) ?? [], paymentsByInvoice.get(row.id) ?? [], writtenOffIds.has(row.id)),
    );
  }
}

/** An invoice row with its item and payment rows (in record id order) as the engines read it. */
export function loadedInvoiceOf(row: InvoiceRow, itemRows: readonly InvoiceItemRow[], paymentRows: readonly InvoicePaymentRow[], writtenOff: boolean): LoadedInvoice {
  return {
    row,
    itemRows,
    record: {
      id: row.id,
      accountId: row.accountId,
      invoiceNumber: Number(row.recordId),
      invoiceDate: row.invoiceDate,
      targetDate: row.targetDate,
      currency: row.currency as Currency,
      status: row.status,
      migrated: row.migrated,
      parentInvoice: row.parentInvoice,
      groupId: row.grpId,
      writtenOff,
      createdDate: row.createdDate,
      items: itemRows.map(toItemRecord),
      payments: paymentRows.map(toPaymentRecord),
    },
  };
}

function groupBy<T>(values: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const k = key(value);
    const group = groups.get(k);
    if (group) group.push(value);
    else groups.set(k, [value]);
  }
  return groups;
}
