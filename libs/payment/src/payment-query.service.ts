import { Injectable } from '@nestjs/common';
import type Big from 'big.js';
import { type EntityManager, In } from 'typeorm';
import {
  type AuditLog,
  AuditLevel,
  AuditLogs,
  currentTenant,
  escapeLike,
  KillBillException,
  type Page,
  type PageRequest,
  pageOfRows,
  type SqlCondition,
  tenantRepository,
  Transactions,
} from '@kb/platform';
import { AccountRow } from '@kb/account';
import { InvoicePaymentRow, InvoiceRow } from '@kb/invoice';
import { type Currency, isUuid } from '@kb/kernel';
import { PaymentAttemptRow, PaymentMethodRow, PaymentRow, PaymentTransactionRow } from './payment.entity';
import { type PaymentAggregates, paymentAggregates } from './engine/aggregates';
import type { TransactionStatus, TransactionType } from './engine/model';
import { PAYMENT_STATE_NAMES } from './engine/payment-states';
import { PaymentPluginRegistry } from './plugin/payment-plugin-registry';
import type { PaymentTransactionInfoPlugin, PluginProperty } from './plugin/payment-plugin-api';
import { PaymentMethodService } from './payment-method.service';
import { PaymentRetryService, type ScheduledRetry } from './payment-retry.service';

/** One transaction of a payment as the API shows it; the plugin's view only with `withPluginInfo`. */
export interface PaymentTransactionView {
  readonly transaction: PaymentTransactionRow;
  readonly pluginInfo: PaymentTransactionInfoPlugin | null;
  readonly auditLogs: AuditLog[];
}

/**
 * One attempt of the payment-control layer. Not a row: a SCHEDULED attempt (a pending retry) has no
 * row of its own, so the retry side can add views built from its notifications.
 */
export interface PaymentAttemptView {
  readonly id: string;
  readonly accountId: string;
  readonly paymentMethodId: string | null;
  readonly paymentExternalKey: string;
  readonly transactionId: string | null;
  readonly transactionExternalKey: string;
  readonly transactionType: string;
  readonly effectiveDate: Date;
  readonly stateName: string;
  readonly amount: Big | null;
  readonly currency: string | null;
  readonly pluginName: string;
  readonly pluginProperties: PluginProperty[] | null;
  readonly auditLogs: AuditLog[];
}

/** A payment with its transactions (by effective date), its aggregated amounts and, when asked, its attempts. */
export interface PaymentView {
  readonly payment: PaymentRow;
  readonly aggregates: PaymentAggregates;
  readonly transactions: PaymentTransactionView[];
  /** null unless `withAttempts` (and the payment has transactions), as Kill Bill. */
  readonly attempts: PaymentAttemptView[] | null;
  readonly auditLogs: AuditLog[];
}

/** A payment with the invoice its ATTEMPT row of invoice_payments paid (null when none). */
export interface InvoicePaymentView extends PaymentView {
  readonly targetInvoiceId: string | null;
}

export interface PaymentReadOptions {
  readonly withPluginInfo?: boolean;
  readonly withAttempts?: boolean;
  readonly properties?: readonly PluginProperty[];
  readonly audit?: AuditLevel;
}

/**
 * The read side of payments (Kill Bill's PaymentRefresher without its janitor): payments with their
 * transactions and attempts loaded in batches by payment, never one query per payment.
 */
@Injectable()
export class PaymentQueryService {
  constructor(
    private readonly transactions: Transactions,
    private readonly auditLogs: AuditLogs,
    private readonly plugins: PaymentPluginRegistry,
    private readonly paymentMethods: PaymentMethodService,
    private readonly retries: PaymentRetryService,
  ) {}

  /** GET /payments/{id}. */
  async getById(paymentId: string, options: PaymentReadOptions = {}): Promise<PaymentView> {
    const row = await this.payments().findOne({ where: { id: paymentId } });
    if (!row) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT', [paymentId]);
    return (await this.views([row], options))[0];
  }

  /** GET /payments?externalKey=. */
  async getByExternalKey(externalKey: string, options: PaymentReadOptions = {}): Promise<PaymentView> {
    const row = await this.payments().findOne({ where: { externalKey } });
    if (!row) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT', [externalKey]);
    return (await this.views([row], options))[0];
  }

  /** GET /paymentTransactions/{id}: the payment the transaction belongs to. */
  async getByTransactionId(transactionId: string, options: PaymentReadOptions = {}): Promise<PaymentView> {
    const transaction = await tenantRepository(this.manager(), PaymentTransactionRow).findOne({ where: { id: transactionId } });
    if (!transaction) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT', [transactionId]);
    return this.getById(transaction.paymentId, options);
  }

  /** GET /paymentTransactions?transactionExternalKey=: the payment of the (first) transaction with that key; a key never spans payments. */
  async getByTransactionExternalKey(transactionExternalKey: string, options: PaymentReadOptions = {}): Promise<PaymentView> {
    const transaction = await tenantRepository(this.manager(), PaymentTransactionRow).findOne({ where: { transactionExternalKey }, order: { recordId: 'ASC' } });
    if (!transaction) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT', [transactionExternalKey]);
    return this.getById(transaction.paymentId, options);
  }

  /** GET /accounts/{id}/payments: no account check, as Kill Bill (an unknown account has no payments). */
  async forAccount(accountId: string, options: PaymentReadOptions = {}): Promise<PaymentView[]> {
    const rows = await this.payments().find({ where: { accountId }, order: { createdDate: 'ASC', recordId: 'ASC' } });
    return this.views(rows, options);
  }

  /** GET /invoicePayments/{paymentId}: the payment with the invoice of its first ATTEMPT row. */
  async invoicePayment(paymentId: string, options: PaymentReadOptions = {}): Promise<InvoicePaymentView> {
    const view = await this.getById(paymentId, options);
    return (await this.withTargetInvoices([view]))[0];
  }

  /** GET /accounts/{id}/invoicePayments (404 for an unknown account) and the account timeline's payments. */
  async invoicePaymentsForAccount(accountId: string, options: PaymentReadOptions = {}): Promise<InvoicePaymentView[]> {
    if (!(await tenantRepository(this.manager(), AccountRow).exists({ where: { id: accountId } }))) throw new KillBillException('ACCOUNT_DOES_NOT_EXIST_FOR_ID', [accountId]);
    return this.withTargetInvoices(await this.forAccount(accountId, options));
  }

  /**
   * GET /invoices/{id}/payments: every payment an invoice_payments row of the invoice names, each
   * targeting this invoice, ordered by their first transaction's effective date (Kill Bill's order).
   */
  async forInvoice(invoiceId: string, options: PaymentReadOptions = {}): Promise<InvoicePaymentView[]> {
    const manager = this.manager();
    const invoice = await tenantRepository(manager, InvoiceRow).findOne({ where: { id: invoiceId }, select: { id: true, recordId: true } });
    if (!invoice) throw new KillBillException('INVOICE_NOT_FOUND', [invoiceId]);
    const links = await tenantRepository(manager, InvoicePaymentRow).find({ where: { invoiceId }, order: { recordId: 'ASC' } });
    const paymentIds = [...new Set(links.map((link) => link.paymentId).filter((id): id is string => id !== null))];
    if (paymentIds.length === 0) return [];
    const rows = await this.payments().find({ where: { id: In(paymentIds) } });
    const found = new Set(rows.map((row) => row.id));
    const missing = paymentIds.find((id) => !found.has(id));
    if (missing) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT', [missing]);
    const views = await this.views(rows, options);
    const firstEffective = (view: PaymentView) => view.transactions[0]?.transaction.effectiveDate.getTime() ?? Number.MAX_SAFE_INTEGER;
    return views.map((view) => ({ ...view, targetInvoiceId: invoiceId })).sort((a, b) => firstEffective(a) - firstEffective(b));
  }

  /**
   * GET /payments/pagination: the tenant's payments, or those made with a method of one plugin. As
   * Kill Bill, the plugin must exist only when its information is asked for.
   */
  async list(page: PageRequest, options: PaymentReadOptions & { pluginName?: string }): Promise<Page<PaymentView>> {
    if (!options.pluginName) return this.page({ sql: 'TRUE', parameters: [] }, page, options);
    if (options.withPluginInfo) this.plugins.require(options.pluginName);
    return this.page({ sql: 'payment_method_id IN (SELECT id FROM payment_methods WHERE tenant_record_id = $1 AND plugin_name = $2)', parameters: [options.pluginName] }, page, options);
  }

  /**
   * GET /payments/search/{key}. Without a plugin named, Kill Bill's own search: a key that is part of
   * a payment state name finds the payments in those states, otherwise the id, account id or payment
   * method id equal to the key or an external key containing it. With a plugin named, the plugin
   * searches and its answers name the payments.
   */
  async search(searchKey: string, page: PageRequest, options: PaymentReadOptions & { pluginName?: string }): Promise<Page<PaymentView>> {
    if (options.pluginName) return this.searchPlugin(options.pluginName, searchKey, page, options);
    const states = PAYMENT_STATE_NAMES.filter((state) => state.includes(searchKey));
    if (states.length > 0) return this.page({ sql: 'state_name = ANY($2)', parameters: [states] }, page, options);
    const byId = isUuid(searchKey) ? 'id = $3::uuid OR account_id = $3::uuid OR payment_method_id = $3::uuid OR ' : '';
    return this.page({ sql: `(${byId}external_key LIKE $2)`, parameters: [`%${escapeLike(searchKey)}%`, ...(byId ? [searchKey] : [])] }, page, options);
  }

  /** The audit targets of the payment tables. */
  auditTargets(tenantRecordId: number) {
    return {
      payment: { tableName: 'payments', objectType: 'PAYMENT', tenantRecordId },
      transaction: { tableName: 'payment_transactions', objectType: 'TRANSACTION', tenantRecordId },
      attempt: { tableName: 'payment_attempts', objectType: 'PAYMENT_ATTEMPT', tenantRecordId },
    } as const;
  }

  private async searchPlugin(pluginName: string, searchKey: string, page: PageRequest, options: PaymentReadOptions): Promise<Page<PaymentView>> {
    const plugin = this.plugins.require(pluginName);
    if (!plugin.searchPayments) return { items: [], ...page, total: 0, maxNbRecords: 0 };
    const found = await plugin.searchPayments(searchKey, page.offset, page.limit, options.properties ?? [], this.paymentMethods.pluginContext());
    const byPayment = new Map<string, PaymentTransactionInfoPlugin[]>();
    for (const info of found.items) byPayment.set(info.kbPaymentId, [...(byPayment.get(info.kbPaymentId) ?? []), info]);
    const rows = byPayment.size ? await this.payments().find({ where: { id: In([...byPayment.keys()]) }, order: { recordId: 'ASC' } }) : [];
    const views = await this.views(rows, { ...options, withPluginInfo: false });
    const items = options.withPluginInfo ? views.map((view) => withPluginInfo(view, byPayment.get(view.payment.id) ?? [])) : views;
    return { items, ...page, total: found.total, maxNbRecords: found.maxNbRecords };
  }

  private async page(condition: SqlCondition, page: PageRequest, options: PaymentReadOptions): Promise<Page<PaymentView>> {
    const found = await pageOfRows(this.manager(), PaymentRow, currentTenant().recordId, condition, page);
    return { items: await this.views(found.rows, options), ...page, total: found.total, maxNbRecords: found.maxNbRecords };
  }

  /** The payments' views: transactions, attempts and audit logs each read once for all the payments. */
  private async views(rows: readonly PaymentRow[], options: PaymentReadOptions): Promise<PaymentView[]> {
    if (rows.length === 0) return [];
    const manager = this.manager();
    const targets = this.auditTargets(currentTenant().recordId);
    const audit = options.audit ?? AuditLevel.NONE;
    const transactions = await tenantRepository(manager, PaymentTransactionRow).find({
      where: { paymentId: In(rows.map((row) => row.id)) },
      order: { createdDate: 'ASC', recordId: 'ASC' },
    });
    const attempts = options.withAttempts
      ? await tenantRepository(manager, PaymentAttemptRow).find({ where: { paymentExternalKey: In(rows.map((row) => row.externalKey)) }, order: { createdDate: 'ASC', recordId: 'ASC' } })
      : [];
    const [paymentLogs, transactionLogs, attemptLogs] = await Promise.all([
      this.auditLogs.forRecords(targets.payment, rows.map((row) => row.recordId), audit),
      this.auditLogs.forRecords(targets.transaction, transactions.map((row) => row.recordId), audit),
      this.auditLogs.forRecords(targets.attempt, attempts.map((row) => row.recordId), audit),
    ]);
    const scheduled = options.withAttempts ? await this.scheduledRetries(rows) : [];
    const pluginInfo = options.withPluginInfo ? await this.pluginInfo(manager, rows, options.properties ?? []) : new Map<string, PaymentTransactionInfoPlugin[]>();
    return rows.map((row) => {
      // Kill Bill sorts a payment's transactions by effective date (stable: creation order among equals).
      const own = transactions.filter((transaction) => transaction.paymentId === row.id).sort((a, b) => a.effectiveDate.getTime() - b.effectiveDate.getTime());
      const infos = pluginInfo.get(row.id) ?? [];
      const ownAttempts = attempts.filter((attempt) => attempt.paymentExternalKey === row.externalKey);
      return {
        payment: row,
        aggregates: paymentAggregates(own.map(amountsOf)),
        transactions: own.map((transaction) => ({
          transaction,
          pluginInfo: infos.find((info) => info.kbTransactionPaymentId === transaction.id) ?? null,
          auditLogs: transactionLogs.get(transaction.recordId) ?? [],
        })),
        attempts:
          options.withAttempts && own.length > 0
            ? [...ownAttempts.map((attempt) => attemptView(attempt, attemptLogs.get(attempt.recordId) ?? [])), ...scheduledAttemptViews(ownAttempts, scheduled)]
            : null,
        auditLogs: paymentLogs.get(row.recordId) ?? [],
      };
    });
  }

  /** The retries scheduled on the payments' accounts (one read for all of them). */
  private async scheduledRetries(rows: readonly PaymentRow[]): Promise<ScheduledRetry[]> {
    const accounts = [...new Set(rows.map((row) => row.accountRecordId).filter((id): id is number => id !== null))];
    return accounts.length ? this.retries.scheduledRetries(accounts, currentTenant().recordId) : [];
  }

  /** What each payment's plugin reports for it (Kill Bill's getPaymentInfo), by payment id. */
  private async pluginInfo(manager: EntityManager, rows: readonly PaymentRow[], properties: readonly PluginProperty[]): Promise<Map<string, PaymentTransactionInfoPlugin[]>> {
    const methods = await tenantRepository(manager, PaymentMethodRow).find({ where: { id: In([...new Set(rows.map((row) => row.paymentMethodId))]) }, select: { id: true, pluginName: true } });
    const pluginOf = new Map(methods.map((method) => [method.id, method.pluginName]));
    const context = this.paymentMethods.pluginContext();
    const result = new Map<string, PaymentTransactionInfoPlugin[]>();
    for (const row of rows) {
      const pluginName = pluginOf.get(row.paymentMethodId);
      if (!pluginName) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT_METHOD', [row.paymentMethodId]);
      result.set(row.id, await this.plugins.require(pluginName).getPaymentInfo(row.accountId, row.id, properties, context));
    }
    return result;
  }

  private async withTargetInvoices(views: PaymentView[]): Promise<InvoicePaymentView[]> {
    if (views.length === 0) return [];
    const attempts = await tenantRepository(this.manager(), InvoicePaymentRow).find({
      where: { paymentId: In(views.map((view) => view.payment.id)), type: 'ATTEMPT' },
      order: { recordId: 'ASC' },
    });
    return views.map((view) => ({ ...view, targetInvoiceId: attempts.find((attempt) => attempt.paymentId === view.payment.id)?.invoiceId ?? null }));
  }

  private payments() {
    return tenantRepository(this.manager(), PaymentRow);
  }

  private manager(): EntityManager {
    return this.transactions.manager();
  }
}

function amountsOf(row: PaymentTransactionRow) {
  return {
    type: row.transactionType as TransactionType,
    status: row.transactionStatus as TransactionStatus,
    externalKey: row.transactionExternalKey,
    amount: row.amount,
    currency: row.currency as Currency | null,
    processedAmount: row.processedAmount,
    processedCurrency: row.processedCurrency as Currency | null,
  };
}

function attemptView(row: PaymentAttemptRow, auditLogs: AuditLog[]): PaymentAttemptView {
  return {
    id: row.id,
    accountId: row.accountId,
    paymentMethodId: row.paymentMethodId,
    paymentExternalKey: row.paymentExternalKey,
    transactionId: row.transactionId,
    transactionExternalKey: row.transactionExternalKey,
    transactionType: row.transactionType,
    // Kill Bill's past attempts take their creation as effective date.
    effectiveDate: row.createdDate,
    stateName: row.stateName,
    amount: row.amount,
    currency: row.currency,
    pluginName: row.pluginName,
    pluginProperties: row.pluginProperties === null ? null : (JSON.parse(row.pluginProperties) as PluginProperty[]),
    auditLogs,
  };
}

/**
 * Kill Bill's future attempts: each retry scheduled after one of the payment's attempts, shown as
 * that attempt again with state SCHEDULED, the retry's date as effective date, and no transaction yet.
 */
function scheduledAttemptViews(attempts: readonly PaymentAttemptRow[], scheduled: readonly ScheduledRetry[]): PaymentAttemptView[] {
  return scheduled.flatMap((retry) => {
    const retried = attempts.find((attempt) => attempt.id === retry.attemptId);
    if (!retried) return [];
    return [{ ...attemptView(retried, []), transactionId: null, effectiveDate: retry.effectiveDate, stateName: 'SCHEDULED' }];
  });
}

function withPluginInfo(view: PaymentView, infos: readonly PaymentTransactionInfoPlugin[]): PaymentView {
  return { ...view, transactions: view.transactions.map((entry) => ({ ...entry, pluginInfo: infos.find((info) => info.kbTransactionPaymentId === entry.transaction.id) ?? null })) };
}
