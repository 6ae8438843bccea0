import { Injectable } from '@nestjs/common';
import type { LocalDate } from '@js-joda/core';
import Big from 'big.js';
import type { EntityManager } from 'typeorm';
import { isCurrency, isUuid, parseLocalDate } from '@kb/kernel';
import { AccountService } from '@kb/account';
import { allPhases, phaseName, PriceOverrideService, type VersionedCatalog } from '@kb/catalog';
import {
  type AuditLog,
  AuditLevel,
  AuditLogs,
  currentTenant,
  InvalidRequestException,
  KillBillException,
  type Page,
  type PageRequest,
  pageOfRows,
  type SqlCondition,
  Transactions,
} from '@kb/platform';
import { type InvoiceAmounts, invoiceAmounts, accountBalance, accountCredit, rawInvoiceAmounts } from './engine/balances';
import type { InvoiceItemRecord, InvoiceRecord } from './engine/model';
import { InvoiceItemRow, InvoiceRow } from './invoice.entity';
import { InvoiceStore, type LoadedInvoice, toItemRecord } from './invoice-store';

/** The catalog's display names of an item's plan, product, phase and usage (null when the catalog does not know them). */
export interface PrettyNames {
  readonly product: string | null;
  readonly plan: string | null;
  readonly phase: string | null;
  readonly usage: string | null;
}

export interface InvoiceItemView {
  readonly item: InvoiceItemRecord;
  readonly pretty: PrettyNames;
  /** Of a PARENT_SUMMARY item, with `withChildrenItems`: the child account's items on the invoices it summarises. */
  readonly childItems: readonly InvoiceItemView[] | null;
  readonly auditLogs: AuditLog[];
}

/** An invoice as the resources show it: its amounts, its parent, and (unless shallow) its items and tracking ids. */
export interface InvoiceView {
  readonly invoice: InvoiceRecord;
  readonly amounts: InvoiceAmounts & { readonly balance: Big };
  readonly parentInvoiceId: string | null;
  readonly parentAccountId: string | null;
  /** The parent invoice's balance (0 while it is DRAFT, VOID or written off); null without a parent. */
  readonly parentBalance: Big | null;
  /** null: a shallow invoice (listings), shown without items. */
  readonly items: readonly InvoiceItemView[] | null;
  readonly trackingIds: readonly string[];
  readonly auditLogs: AuditLog[];
}

export interface InvoiceViewOptions {
  /** With items (and tracking ids); listings are shallow. */
  readonly withItems?: boolean;
  readonly withChildrenItems?: boolean;
  readonly audit?: AuditLevel;
}

/** Kill Bill's filters of `GET /accounts/{id}/invoices`. */
export interface AccountInvoicesFilter {
  readonly startDate?: string;
  readonly endDate?: string;
  readonly withMigrationInvoices?: boolean;
  readonly unpaidInvoicesOnly?: boolean;
  readonly includeVoidedInvoices?: boolean;
  readonly includeInvoiceComponents?: boolean;
  /** Comma-separated invoice ids the answer is limited to. */
  readonly invoicesFilter?: string;
}

/** What an account owes and its credit (Kill Bill's accountBalance / accountCBA). */
export interface AccountBalances {
  readonly balance: Big;
  readonly credit: Big;
}

interface ParentLink {
  readonly parentInvoiceId: string;
  readonly parentAccountId: string;
  /** The parent's balance as it shows (0 while DRAFT, VOID or written off); null when the parent is not COMMITTED. */
  readonly parentBalance: Big | null;
}

const INVOICE_NUMBER_KEY = /^\d{1,18}$/;

/**
 * The read side of Kill Bill's invoices (InvoiceResource, the account's invoices, balances): every
 * answer is built from a batch of invoices in a fixed number of queries, whatever their number.
 */
@Injectable()
export class InvoiceQueryService {
  constructor(
    private readonly transactions: Transactions,
    private readonly store: InvoiceStore,
    private readonly auditLogs: AuditLogs,
    private readonly accounts: AccountService,
    private readonly catalogs: PriceOverrideService,
  ) {}

  /** GET /invoices/{id}: with its items. */
  async byId(invoiceId: string, options: InvoiceViewOptions = {}): Promise<InvoiceView> {
    const row = await this.rows().andWhere('i.id = :invoiceId', { invoiceId }).getOne();
    if (!row) throw new KillBillException('INVOICE_NOT_FOUND', [invoiceId]);
    return (await this.views([row], { withItems: true, ...options }))[0];
  }

  /** GET /invoices/byNumber/{n}: the invoice number is its record id, looked up within the tenant. */
  async byNumber(invoiceNumber: string, options: InvoiceViewOptions = {}): Promise<InvoiceView> {
    const row = INVOICE_NUMBER_KEY.test(invoiceNumber) ? await this.rows().andWhere('i.record_id = :recordId', { recordId: invoiceNumber }).getOne() : null;
    if (!row) throw new KillBillException('INVOICE_NUMBER_NOT_FOUND', [invoiceNumber]);
    return (await this.views([row], { withItems: true, ...options }))[0];
  }

  /** GET /invoices/byItemId/{itemId}: the invoice holding that item. */
  async byItemId(itemId: string, options: InvoiceViewOptions = {}): Promise<InvoiceView> {
    const row = await this.rows()
      .innerJoin(InvoiceItemRow, 'it', 'it.invoice_id = i.id AND it.tenant_record_id = i.tenant_record_id')
      .andWhere('it.id = :itemId', { itemId })
      .getOne();
    if (!row) throw new KillBillException('INVOICE_ITEM_NOT_FOUND', [itemId]);
    return (await this.views([row], { withItems: true, ...options }))[0];
  }

  /** Invoices by id (any order of the ids; answered in invoice-number order), e.g. what an operation just wrote. */
  async byIds(invoiceIds: readonly string[], options: InvoiceViewOptions = {}): Promise<InvoiceView[]> {
    if (invoiceIds.length === 0) return [];
    const rows = await this.rows().andWhere('i.id = ANY(:invoiceIds)', { invoiceIds }).orderBy('i.record_id').getMany();
    return this.views(rows, { withItems: true, ...options });
  }

  /** GET /invoices/{groupId}/group?accountId: the invoices one run produced (404 when none). */
  async group(groupId: string, accountId: string | undefined, options: InvoiceViewOptions = {}): Promise<InvoiceView[]> {
    if (accountId === undefined) throw new InvalidRequestException('accountId is required');
    const rows = await this.rows()
      .andWhere('i.account_id = :accountId AND i.grp_id = :groupId', { accountId, groupId })
      .orderBy('i.invoice_date')
      .addOrderBy('i.record_id')
      .getMany();
    if (rows.length === 0) throw new KillBillException('INVOICE_NOT_FOUND', [groupId], { status: 404 });
    return this.views(rows, { withItems: true, ...options });
  }

  /**
   * GET /accounts/{id}/invoices with Kill Bill's filters: migrated and VOID invoices only when asked,
   * a target-date window, or the unpaid ones only; items only with `includeInvoiceComponents` (unpaid
   * invoices always carry theirs, as Kill Bill loads them whole).
   */
  async forAccount(accountId: string, filter: AccountInvoicesFilter, audit: AuditLevel): Promise<InvoiceView[]> {
    if (filter.unpaidInvoicesOnly && filter.withMigrationInvoices) throw new InvalidRequestException("We don't support fetching unpaid invoices incl. migration");
    if (filter.startDate !== undefined && filter.withMigrationInvoices)
      throw new InvalidRequestException("We don't support fetching migration invoices and specifying a start date");
    if (filter.unpaidInvoicesOnly && filter.includeInvoiceComponents) throw new InvalidRequestException("We don't support fetching unpaid invoices with invoice components");
    await this.accounts.requireById(this.transactions.manager(), accountId);
    const startDate = filter.startDate === undefined ? undefined : parseLocalDate(filter.startDate);
    const endDate = filter.endDate === undefined ? undefined : parseLocalDate(filter.endDate);
    const onlyIds = new Set((filter.invoicesFilter ?? '').split(',').map((id) => id.trim().toLowerCase()).filter((id) => id !== ''));
    const rows = (await this.rows().andWhere('i.account_id = :accountId', { accountId }).getMany())
      .filter((row) => filter.includeVoidedInvoices || filter.unpaidInvoicesOnly || row.status !== 'VOID')
      .filter((row) => filter.withMigrationInvoices || !row.migrated)
      .filter((row) => inWindow(row.targetDate, startDate, endDate))
      .filter((row) => onlyIds.size === 0 || onlyIds.has(row.id))
      .sort((a, b) => a.invoiceDate.compareTo(b.invoiceDate) || a.recordId - b.recordId);
    const withItems = filter.unpaidInvoicesOnly === true || filter.includeInvoiceComponents === true;
    const views = await this.views(rows, { withItems, audit });
    return filter.unpaidInvoicesOnly ? views.filter(isUnpaid) : views;
  }

  /** GET /accounts/{id}/invoices/pagination: shallow, paged in SQL. */
  async forAccountPage(accountId: string, page: PageRequest, audit: AuditLevel): Promise<Page<InvoiceView>> {
    await this.accounts.requireById(this.transactions.manager(), accountId);
    return this.page({ sql: 'account_id = $2', parameters: [accountId] }, page, audit);
  }

  /** GET /invoices/pagination: the tenant's invoices, shallow, paged in SQL. */
  async list(page: PageRequest, audit: AuditLevel): Promise<Page<InvoiceView>> {
    return this.page({ sql: 'TRUE', parameters: [] }, page, audit);
  }

  /**
   * GET /invoices/search/{key}, as Kill Bill's InvoiceDao#searchInvoices: a number is the invoice
   * number, a currency code matches the currency, otherwise the invoice id or its account id.
   */
  async search(searchKey: string, page: PageRequest, audit: AuditLevel): Promise<Page<InvoiceView>> {
    return this.page(invoiceSearchCondition(searchKey), page, audit);
  }

  /** Balance and credit of each account (COMMITTED invoices; a child invoice owes nothing while its parent does not). */
  async balances(accountIds: readonly string[]): Promise<Map<string, AccountBalances>> {
    const result = new Map<string, AccountBalances>();
    if (accountIds.length === 0) return result;
    const manager = this.transactions.manager();
    const rows = await this.rows().andWhere('i.account_id = ANY(:accountIds)', { accountIds }).orderBy('i.record_id').getMany();
    const loaded = await this.store.withDetails(manager, currentTenant().recordId, rows);
    const parents = await this.parentLinks(manager, loaded.map((entry) => entry.record.id));
    const parentBalances = new Map([...parents].map(([childId, link]) => [childId, link.parentBalance]));
    for (const accountId of accountIds) {
      const invoices = loaded.filter((entry) => entry.record.accountId === accountId).map((entry) => entry.record);
      result.set(accountId, { balance: accountBalance(invoices, parentBalances), credit: accountCredit(invoices) });
    }
    return result;
  }

  /** The tenant's invoices; callers narrow with andWhere (where() would drop the tenant). */
  private rows() {
    return this.transactions.manager().getRepository(InvoiceRow).createQueryBuilder('i').where('i.tenant_record_id = :tenant', { tenant: currentTenant().recordId });
  }

  private async page(condition: SqlCondition, page: PageRequest, audit: AuditLevel): Promise<Page<InvoiceView>> {
    const found = await pageOfRows(this.transactions.manager(), InvoiceRow, currentTenant().recordId, condition, page);
    return { items: await this.views(found.rows, { withItems: false, audit }), ...page, total: found.total, maxNbRecords: found.maxNbRecords };
  }

  /** The views of invoice rows: details, parents, tracking ids, child items, audit logs and pretty names, each in one batch. */
  private async views(rows: readonly InvoiceRow[], options: InvoiceViewOptions): Promise<InvoiceView[]> {
    if (rows.length === 0) return [];
    const manager = this.transactions.manager();
    const tenantRecordId = currentTenant().recordId;
    const audit = options.audit ?? AuditLevel.NONE;
    const withItems = options.withItems === true;
    const loaded = await this.store.withDetails(manager, tenantRecordId, rows);
    const invoiceIds = loaded.map((entry) => entry.record.id);
    const parentSummaryIds = withItems && options.withChildrenItems ? loaded.filter((entry) => entry.record.parentInvoice).map((entry) => entry.record.id) : [];
    const [parents, trackingIds, childItems, invoiceLogs, itemLogs, catalog] = await Promise.all([
      this.parentLinks(manager, invoiceIds),
      withItems ? this.trackingIds(manager, invoiceIds) : Promise.resolve(new Map<string, string[]>()),
      this.childItems(manager, parentSummaryIds),
      this.auditLogs.forRecords({ tableName: 'invoices', objectType: 'INVOICE', tenantRecordId }, rows.map((row) => row.recordId), audit),
      withItems
        ? this.auditLogs.forRecords({ tableName: 'invoice_items', objectType: 'INVOICE_ITEM', tenantRecordId }, loaded.flatMap((entry) => entry.itemRows.map((item) => item.recordId)), audit)
        : Promise.resolve(new Map<number, AuditLog[]>()),
      withItems ? this.catalog() : Promise.resolve(null),
    ]);
    return loaded.map((entry) => {
      const parent = parents.get(entry.record.id);
      const children = childItems.get(entry.record.id) ?? [];
      return {
        invoice: entry.record,
        amounts: invoiceAmounts(entry.record, parent ? { parentRawBalance: parent.parentBalance ?? new Big(0) } : {}),
        parentInvoiceId: parent?.parentInvoiceId ?? null,
        parentAccountId: parent?.parentAccountId ?? null,
        parentBalance: parent ? (parent.parentBalance ?? new Big(0)) : null,
        items: withItems ? itemViews(entry, catalog, itemLogs, options.withChildrenItems ? children : null) : null,
        trackingIds: trackingIds.get(entry.record.id) ?? [],
        auditLogs: invoiceLogs.get(entry.row.recordId) ?? [],
      };
    });
  }

  /** Per child invoice: its parent invoice, that invoice's account and balance. */
  private async parentLinks(manager: EntityManager, invoiceIds: readonly string[]): Promise<Map<string, ParentLink>> {
    const links = new Map<string, ParentLink>();
    if (invoiceIds.length === 0) return links;
    const tenantRecordId = currentTenant().recordId;
    const pairs: { child_invoice_id: string; parent_invoice_id: string }[] = await manager.query(
      `SELECT child_invoice_id, parent_invoice_id FROM invoice_parent_children WHERE tenant_record_id = $1 AND child_invoice_id = ANY($2::uuid[]) ORDER BY record_id`,
      [tenantRecordId, invoiceIds],
    );
    if (pairs.length === 0) return links;
    const parents = new Map((await this.store.byIds(manager, tenantRecordId, [...new Set(pairs.map((pair) => pair.parent_invoice_id))])).map((p) => [p.record.id, p.record]));
    for (const pair of pairs) {
      const parent = parents.get(pair.parent_invoice_id);
      if (!parent) continue;
      links.set(pair.child_invoice_id, {
        parentInvoiceId: parent.id,
        parentAccountId: parent.accountId,
        parentBalance: parent.status === 'COMMITTED' ? invoiceAmounts(parent).balance : null,
      });
    }
    return links;
  }

  private async trackingIds(manager: EntityManager, invoiceIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows: { invoice_id: string; tracking_id: string }[] = await manager.query(
      `SELECT invoice_id, tracking_id FROM invoice_tracking_ids WHERE tenant_record_id = $1 AND invoice_id = ANY($2::uuid[]) AND is_active ORDER BY record_id`,
      [currentTenant().recordId, invoiceIds],
    );
    const result = new Map<string, string[]>();
    for (const row of rows) result.set(row.invoice_id, [...(result.get(row.invoice_id) ?? []), row.tracking_id]);
    return result;
  }

  /** Per parent invoice: the items of the child invoices it summarises (Kill Bill's getInvoiceItemsByParentInvoice). */
  private async childItems(manager: EntityManager, parentInvoiceIds: readonly string[]): Promise<Map<string, InvoiceItemRecord[]>> {
    const result = new Map<string, InvoiceItemRecord[]>();
    if (parentInvoiceIds.length === 0) return result;
    const tenantRecordId = currentTenant().recordId;
    const pairs: { child_invoice_id: string; parent_invoice_id: string }[] = await manager.query(
      `SELECT child_invoice_id, parent_invoice_id FROM invoice_parent_children WHERE tenant_record_id = $1 AND parent_invoice_id = ANY($2::uuid[]) ORDER BY record_id`,
      [tenantRecordId, parentInvoiceIds],
    );
    if (pairs.length === 0) return result;
    const items = await manager
      .getRepository(InvoiceItemRow)
      .createQueryBuilder('it')
      .where('it.tenant_record_id = :tenant AND it.invoice_id = ANY(:childIds)', { tenant: tenantRecordId, childIds: pairs.map((pair) => pair.child_invoice_id) })
      .orderBy('it.record_id')
      .getMany();
    for (const pair of pairs) {
      const ofChild = items.filter((item) => item.invoiceId === pair.child_invoice_id).map(toItemRecord);
      result.set(pair.parent_invoice_id, [...(result.get(pair.parent_invoice_id) ?? []), ...ofChild]);
    }
    return result;
  }

  /** The tenant's catalog for pretty names; none uploaded (or unreadable) leaves them null, as Kill Bill's getCatalogSafelyForPrettyNames. */
  private async catalog(): Promise<VersionedCatalog | null> {
    try {
      const catalog = await this.catalogs.catalog();
      return catalog.isEmpty ? null : catalog;
    } catch {
      return null;
    }
  }
}

function inWindow(targetDate: LocalDate | null, startDate: LocalDate | undefined, endDate: LocalDate | undefined): boolean {
  if (!startDate && !endDate) return true;
  if (!targetDate) return false;
  return (!startDate || !targetDate.isBefore(startDate)) && (!endDate || !targetDate.isAfter(endDate));
}

/** Kill Bill's unpaid invoice: COMMITTED, not written off nor migrated, owing something; a child tests its parent's balance. */
function isUnpaid(view: InvoiceView): boolean {
  const { invoice } = view;
  if (invoice.status !== 'COMMITTED' || invoice.writtenOff || invoice.migrated) return false;
  return (view.parentBalance ?? rawInvoiceAmounts(invoice).rawBalance).gt(0);
}

function itemViews(
  entry: LoadedInvoice,
  catalog: VersionedCatalog | null,
  logs: ReadonlyMap<number, AuditLog[]>,
  childItems: readonly InvoiceItemRecord[] | null,
): InvoiceItemView[] {
  return entry.record.items.map((item, index) => ({
    item,
    pretty: prettyNames(item, catalog),
    childItems:
      item.type === 'PARENT_SUMMARY' && childItems?.length
        ? childItems.filter((child) => child.accountId === item.childAccountId).map((child) => ({ item: child, pretty: prettyNames(child, catalog), childItems: null, auditLogs: [] }))
        : null,
    auditLogs: logs.get(entry.itemRows[index].recordId) ?? [],
  }));
}

/** The names the catalog version in force for the item gives its plan, product, phase and usage. */
export function prettyNames(item: InvoiceItemRecord, catalog: VersionedCatalog | null): PrettyNames {
  const none = { product: null, plan: null, phase: null, usage: null };
  if (!catalog) return none;
  const version = catalog.versionFor(item.catalogEffectiveDate ?? item.createdDate);
  const plan = item.planName ? version.getPlan(item.planName) : undefined;
  const product = item.productName ? version.getProduct(item.productName) : undefined;
  const phase = plan && item.phaseName ? allPhases(plan).find((p) => phaseName(plan.name, p.type) === item.phaseName) : undefined;
  const usage = phase && item.usageName ? phase.usages.find((u) => u.name === item.usageName) : undefined;
  return {
    product: product ? (product.prettyName ?? product.name) : null,
    plan: plan ? (plan.prettyName ?? plan.name) : null,
    phase: phase && item.phaseName ? (phase.prettyName ?? item.phaseName) : null,
    usage: usage ? (usage.prettyName ?? usage.name) : null,
  };
}

/** The WHERE of an invoice search (Kill Bill's searchInvoices): invoice number, currency, or invoice/account id. */
export function invoiceSearchCondition(searchKey: string): SqlCondition {
  if (INVOICE_NUMBER_KEY.test(searchKey)) return { sql: 'record_id = $2::bigint', parameters: [searchKey] };
  if (isCurrency(searchKey)) return { sql: 'currency = $2', parameters: [searchKey] };
  if (searchKey.startsWith('_q=1&')) throw new InvalidRequestException(`The advanced search syntax is not supported for invoices: ${searchKey}`);
  if (isUuid(searchKey)) return { sql: '(id = $2::uuid OR account_id = $2::uuid)', parameters: [searchKey] };
  return { sql: 'FALSE', parameters: [] };
}
