import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { In, type EntityManager } from 'typeorm';
import {
  Clock,
  currentTenant,
  InvalidRequestException,
  KillBillException,
  Locks,
  type LockedScope,
  OnBusEvent,
  OnNotificationOutsideTransaction,
  type QueueMessage,
  Queues,
  tenantRepository,
  Transactions,
} from '@kb/platform';
import { AccountRow } from '@kb/account';
import { CONTROL_TAGS, TagRow } from '@kb/tag';
import { type Currency } from '@kb/kernel';
import {
  InvoiceChargesService,
  InvoiceCreation,
  type InvoiceCreationPayload,
  InvoiceParentChildRow,
  InvoicePaymentRow,
  type InvoiceRecord,
  InvoiceStore,
  InvoiceWriter,
  invoiceAmounts,
  type LoadedInvoice,
  unpaidInvoices,
} from '@kb/invoice';
import { Instant, LocalDate, ZoneOffset } from '@js-joda/core';
import { PaymentAttemptRow, PaymentMethodRow, PaymentRow, PaymentTransactionRow } from './payment.entity';
import { PaymentConfig } from './payment-config';
import { InvoicePaymentAutoPayOff } from './invoice-payment-auto-pay-off';
import { type NewPaymentMethod, PaymentMethodService } from './payment-method.service';
import { type PaymentControl, PaymentProcessor, type PaymentTransactionResult, type PaymentTransactionWrite, toTransactionRecord } from './payment-processor';
import {
  InvoicePaymentDueQueue,
  type InvoicePaymentDueNotification,
  InvoicePaymentFailed,
  InvoicePaymentSuccess,
  PaymentRetryQueue,
  type PaymentRetryNotification,
} from './payment-events';
import { type PluginProperty, pluginPropertyValue } from './plugin/payment-plugin-api';
import type { PaymentTransactionRecord, TransactionStatus } from './engine/model';
import {
  INVOICE_PAYMENT_CONTROL_PLUGIN_NAME,
  IPCD_INVOICE_ID,
  IPCD_RETRIES,
  type InvoicePaymentDecision,
  invoicePaymentAmountOnSuccess,
  invoicePaymentPriorCall,
  invoicePaymentStatusOf,
} from './engine/invoice-payment-control';
import { DEFAULT_PAYMENT_RETRY_CONFIG, nextRetryDate } from './engine/retries';

const ZERO = new Big(0);

/** One invoice payment ordered (Kill Bill's InvoicePaymentApi / the control plugin's inputs). */
export interface InvoicePaymentOrder {
  readonly invoiceId: string;
  /** Null: the invoice's balance. */
  readonly amount: Big | null;
  /** Null: the account's default. */
  readonly paymentMethodId: string | null;
  /** Through the API (ignores AUTO_PAY_OFF/MANUAL_PAY, never retried unless IPCD_RETRIES=true), or the system's automatic payment. */
  readonly isApiPayment: boolean;
  /** Pay with the account's `__EXTERNAL_PAYMENT__` method, created (not as the default) when the account has none. */
  readonly externalPayment?: boolean;
  readonly paymentExternalKey?: string | null;
  readonly transactionExternalKey?: string | null;
  /** A retry: the payment it appends to. */
  readonly paymentId?: string | null;
  readonly properties?: readonly PluginProperty[];
}

/** payAllInvoices' inputs. */
export interface PayAllOrder {
  readonly paymentMethodId: string | null;
  readonly externalPayment: boolean;
  /** Null: the total of the balances. */
  readonly paymentAmount: Big | null;
  readonly targetDate: LocalDate | null;
  readonly properties: readonly PluginProperty[];
}

/** The invoices payAllInvoices paid, as the Location of the account's invoices filtered to them. */
export interface PaidInvoices {
  readonly accountId: string;
  readonly startDate: string;
  readonly endDate: string;
  /** The paid invoice ids, comma separated. */
  readonly invoicesFilter: string;
}

/** What the control plugin decided before any payment, with what paying needs. */
interface PriorCall {
  readonly decision: InvoicePaymentDecision;
  readonly account: AccountRow;
  readonly invoice: LoadedInvoice;
  readonly paymentMethodId: string | null;
}

/**
 * Kill Bill's invoice payments (InvoicePaymentControlPluginApi around a PURCHASE, spec 2.6): a
 * COMMITTED invoice is paid with the account's default method when it is created; the API pays one
 * invoice or all unpaid ones. The invoice payment row is written INIT with the payment rows before the
 * plugin call and settled with the outcome after it (the processor's two transactions), the credit
 * is rebalanced so the balances follow, and a declined system payment is retried on
 * `org.killbill.payment.retry.days` through the notification queue.
 */
@Injectable()
export class InvoicePaymentService {
  constructor(
    private readonly locks: Locks,
    private readonly processor: PaymentProcessor,
    private readonly store: InvoiceStore,
    private readonly writer: InvoiceWriter,
    private readonly paymentMethods: PaymentMethodService,
    private readonly queues: Queues,
    private readonly clock: Clock,
    private readonly config: PaymentConfig,
    private readonly transactions: Transactions,
    private readonly autoPayOff: InvoicePaymentAutoPayOff,
    private readonly charges: InvoiceChargesService,
  ) {}

  /**
   * The automatic payment of a new COMMITTED invoice (Kill Bill's PaymentBusEventHandler on
   * INVOICE_CREATION). A bus handler runs inside the dispatcher's transaction, and a plugin call must
   * not hold a transaction open: the handler queues the payment, due at once, in that transaction
   * (so a redelivered event queues nothing twice), and the payment runs outside any transaction.
   */
  @OnBusEvent(InvoiceCreation)
  async onInvoiceCreation(message: QueueMessage<InvoiceCreationPayload>): Promise<void> {
    const { accountId, invoiceId } = message.payload;
    await this.queues.schedule(
      InvoicePaymentDueQueue,
      this.clock.nowFor(message.tenantRecordId),
      { accountId, invoiceId },
      { accountRecordId: message.accountRecordId },
    );
  }

  /**
   * The queued automatic payment, as a payment through the API: the account lock held across the
   * plugin call, the payment's rows written in its short transactions. A redelivery (a node died
   * during the call and its lease ran out) cannot charge twice: the control plugin finds the invoice
   * paid, or its transaction UNKNOWN for the attempt janitor to settle, and aborts.
   */
  @OnNotificationOutsideTransaction(InvoicePaymentDueQueue)
  async onInvoicePaymentDue(message: QueueMessage<InvoicePaymentDueNotification>): Promise<undefined> {
    const { accountId, invoiceId } = message.payload;
    await this.payInvoice(accountId, { invoiceId, amount: null, paymentMethodId: null, isApiPayment: false });
    return undefined;
  }

  /**
   * A scheduled retry: the same payment, the same transaction key, the method of the failed attempt.
   * Handled outside any transaction, as a payment through the API: the account lock is held across the
   * plugin call and the payment's rows (the next retry among them) are written in its short
   * transactions, so the notification's completion has nothing left to do. A redelivery (a node died
   * during the call and its lease ran out) cannot charge twice: the control plugin finds the invoice
   * paid, or its transaction UNKNOWN for the attempt janitor to settle, and aborts.
   */
  @OnNotificationOutsideTransaction(PaymentRetryQueue)
  async onRetry(message: QueueMessage<PaymentRetryNotification>): Promise<undefined> {
    const { accountId, invoiceId, paymentId, paymentExternalKey, transactionExternalKey, paymentMethodId } = message.payload;
    await this.payInvoice(accountId, { invoiceId, amount: null, paymentMethodId, isApiPayment: false, paymentId, paymentExternalKey, transactionExternalKey });
    return undefined;
  }

  /** Pays one invoice; null when the control plugin aborted (nothing to pay, AUTO_PAY_OFF, no method, …). */
  async payInvoice(accountId: string, request: InvoicePaymentOrder): Promise<PaymentTransactionResult | null> {
    const paymentMethodId = request.externalPayment ? await this.externalPaymentMethod(accountId, request.paymentMethodId) : request.paymentMethodId;
    return this.locks.withAccountLockAcross(accountId, (scope) => this.payLocked(scope, accountId, { ...request, paymentMethodId }));
  }

  /**
   * Pays the account's unpaid invoices with a target date up to `targetDate` (default: today, UTC),
   * oldest first, each up to its balance, until `paymentAmount` (default: all they owe) is used.
   * Returns the invoices a payment was made for (none: the caller answers 204).
   */
  async payAllInvoices(accountId: string, order: PayAllOrder): Promise<PaidInvoices | null> {
    const unpaid = await this.unpaidInvoicesUpTo(accountId, order.targetDate);
    let remaining = order.paymentAmount ?? unpaid.reduce((sum, invoice) => sum.plus(invoiceAmounts(invoice).balance), ZERO);
    const paid: InvoiceRecord[] = [];
    for (const invoice of unpaid) {
      if (remaining.lte(0)) break;
      const balance = invoiceAmounts(invoice).balance;
      const amount = balance.lt(remaining) ? balance : remaining;
      const result = await this.payInvoice(accountId, {
        invoiceId: invoice.id,
        amount,
        paymentMethodId: order.paymentMethodId,
        externalPayment: order.externalPayment,
        isApiPayment: true,
        properties: order.properties,
      });
      if (result === null) continue;
      paid.push(invoice);
      if (result.transaction.transactionStatus === 'SUCCESS') remaining = remaining.minus(result.transaction.processedAmount ?? ZERO);
    }
    // Money received outside Kill Bill beyond what was owed stays the customer's: account credit.
    if (order.externalPayment && remaining.gt(0)) await this.creditRemainder(accountId, remaining);
    if (paid.length === 0) return null;
    const dates = paid.map((invoice) => invoice.invoiceDate).sort((a, b) => a.compareTo(b));
    return {
      accountId,
      startDate: dates[0].toString(),
      endDate: dates[dates.length - 1].toString(),
      invoicesFilter: paid.map((invoice) => invoice.id).join(','),
    };
  }

  /**
   * AccountResource#setDefaultPaymentMethod: the method becomes the account's default and, with
   * `payAllUnpaidInvoices`, each unpaid invoice (target date up to today, UTC) is paid in full with it.
   */
  async setDefaultPaymentMethod(
    accountId: string,
    paymentMethodId: string,
    options: { payAllUnpaidInvoices: boolean; properties: readonly PluginProperty[] },
  ): Promise<void> {
    await this.paymentMethods.setDefault(accountId, paymentMethodId, options.properties);
    if (options.payAllUnpaidInvoices) await this.payUnpaidInvoicesWith(accountId, paymentMethodId, options.properties);
  }

  /**
   * AccountResource#createPaymentMethod: with `payAllUnpaidInvoices`, the unpaid invoices are paid
   * with the new method; an account left without a default method while it owes is refused (400).
   */
  async addPaymentMethod(
    accountId: string,
    input: NewPaymentMethod,
    options: { isDefault: boolean; payAllUnpaidInvoices: boolean; properties: readonly PluginProperty[] },
  ): Promise<PaymentMethodRow> {
    const unpaid = options.payAllUnpaidInvoices ? await this.unpaidInvoicesUpTo(accountId, null) : [];
    if (unpaid.length > 0 && !options.isDefault) {
      const account = await tenantRepository(this.transactions.manager(), AccountRow).findOne({ where: { id: accountId } });
      if (account && account.paymentMethodId === null) throw new InvalidRequestException('The account has unpaid invoices and no default payment method');
    }
    const method = await this.paymentMethods.add(accountId, input, { isDefault: options.isDefault, properties: options.properties });
    if (unpaid.length > 0) await this.payUnpaidInvoicesWith(accountId, method.id, options.properties);
    return method;
  }

  private async payUnpaidInvoicesWith(accountId: string, paymentMethodId: string, properties: readonly PluginProperty[]): Promise<void> {
    for (const invoice of await this.unpaidInvoicesUpTo(accountId, null)) {
      await this.payInvoice(accountId, { invoiceId: invoice.id, amount: invoiceAmounts(invoice).balance, paymentMethodId, isApiPayment: true, properties });
    }
  }

  /** The account's unpaid invoices with a target date up to `targetDate` (default: today, UTC), oldest first; 404 for an unknown account. */
  private async unpaidInvoicesUpTo(accountId: string, targetDate: LocalDate | null): Promise<InvoiceRecord[]> {
    const manager = this.transactions.manager();
    if (!(await tenantRepository(manager, AccountRow).exists({ where: { id: accountId } })))
      throw new KillBillException('ACCOUNT_DOES_NOT_EXIST_FOR_ID', [accountId]);
    const upTo = targetDate ?? this.utcToday();
    const invoices = await this.store.forAccount(manager, currentTenant().recordId, accountId);
    return unpaidInvoices(invoices.map((invoice) => invoice.record)).filter((invoice) => invoice.targetDate === null || !invoice.targetDate.isAfter(upTo));
  }

  /** Kill Bill's insertCredits of payAllInvoices: a committed CREDIT_ADJ dated today (UTC) for what the external payment left. */
  private async creditRemainder(accountId: string, amount: Big): Promise<void> {
    const account = await tenantRepository(this.transactions.manager(), AccountRow).findOne({ where: { id: accountId } });
    await this.charges.insertCredits([{ accountId, amount, currency: account?.currency ?? null }], {
      requestedDate: this.utcToday().toString(),
      autoCommit: true,
    });
  }

  private utcToday(): LocalDate {
    return LocalDate.ofInstant(Instant.ofEpochMilli(this.clock.now().getTime()), ZoneOffset.UTC);
  }

  private async payLocked(scope: LockedScope, accountId: string, request: InvoicePaymentOrder): Promise<PaymentTransactionResult | null> {
    const prior = await scope.inTransaction((manager) => this.priorCall(manager, accountId, request));
    if (!prior.decision.proceed) return null;
    const amount = prior.decision.amount;
    const currency = prior.invoice.row.currency as Currency;
    let invoicePaymentRow: InvoicePaymentRow | null = null;
    const control: PaymentControl = {
      beforeCall: async (manager, written) => {
        invoicePaymentRow = await this.recordAttemptInit(manager, prior, written, amount);
      },
      afterCall: async (manager, result) => {
        if (invoicePaymentRow) await this.recordOutcome(manager, prior, request, invoicePaymentRow, result);
      },
    };
    return this.processor.createLocked(scope, accountId, {
      transactionType: 'PURCHASE',
      paymentId: request.paymentId ?? null,
      paymentExternalKey: request.paymentExternalKey ?? null,
      transactionExternalKey: request.transactionExternalKey ?? null,
      amount,
      currency,
      paymentMethodId: prior.paymentMethodId,
      properties: [...(request.properties ?? []), { key: IPCD_INVOICE_ID, value: request.invoiceId }],
      controlPluginNames: [INVOICE_PAYMENT_CONTROL_PLUGIN_NAME],
      control,
    });
  }

  /** The control plugin's priorCall checks, in Kill Bill's order; a repair of an ATTEMPT row a crash left INIT is written first. */
  private async priorCall(manager: EntityManager, accountId: string, request: InvoicePaymentOrder): Promise<PriorCall> {
    const tenantRecordId = currentTenant().recordId;
    const account = await tenantRepository(manager, AccountRow).findOne({ where: { id: accountId } });
    if (!account) throw new KillBillException('ACCOUNT_DOES_NOT_EXIST_FOR_ID', [accountId]);
    const [invoice] = await this.store.byIds(manager, tenantRecordId, [request.invoiceId]);
    if (!invoice || invoice.row.accountId !== accountId) throw new KillBillException('INVOICE_NOT_FOUND', [request.invoiceId]);

    const rows = await tenantRepository(manager, InvoicePaymentRow).find({ where: { invoiceId: invoice.row.id } });
    const cookieIds = new Map(rows.map((row) => [row.id, row.paymentCookieId]));
    const keys = [...new Set(rows.map((row) => row.paymentCookieId).filter((key): key is string => key !== null))];
    const transactionsByKey = await this.transactionsByKey(manager, keys, accountId);
    const autoPayOff = await tenantRepository(manager, TagRow).exists({
      where: { objectId: accountId, objectType: 'ACCOUNT', isActive: true, tagDefinitionId: In([CONTROL_TAGS.AUTO_PAY_OFF.id, CONTROL_TAGS.MANUAL_PAY.id]) },
    });
    const invoiceHasParent = await tenantRepository(manager, InvoiceParentChildRow).exists({ where: { childInvoiceId: invoice.row.id } });
    const paymentMethodId = request.paymentMethodId ?? account.paymentMethodId;

    const decision = invoicePaymentPriorCall({
      invoice: invoice.record,
      cookieIds,
      transactionsByKey,
      requestedAmount: request.amount,
      isApiPayment: request.isApiPayment,
      childDelegatingPayment: account.parentAccountId !== null && account.isPaymentDelegatedToParent === true,
      invoiceHasParent,
      autoPayOff,
      paymentMethodId,
      allowEmptyInvoice: this.config.allowEmptyInvoice(),
    });
    if (!decision.proceed && decision.reason === 'AUTO_PAY_OFF') await this.autoPayOff.remember(manager, account, invoice.row, decision.amount);
    if (decision.repair !== null) {
      const row = rows.find((candidate) => candidate.id === decision.repair?.invoicePaymentId);
      if (row) {
        row.status = 'SUCCESS';
        row.amount = decision.repair.amount;
        row.paymentId = decision.repair.paymentId;
        if (decision.repair.processedCurrency) row.processedCurrency = decision.repair.processedCurrency;
        await tenantRepository(manager, InvoicePaymentRow).save(row);
        await this.writer.rebalanceCredit(manager, account, []);
      }
    }
    return { decision, account, invoice, paymentMethodId };
  }

  /** The two-phase row: the ATTEMPT INIT for the amount, with the transaction's key as its cookie (a retry reuses its INIT row). */
  private async recordAttemptInit(manager: EntityManager, prior: PriorCall, written: PaymentTransactionWrite, amount: Big): Promise<InvoicePaymentRow> {
    const repository = tenantRepository(manager, InvoicePaymentRow);
    const key = written.transaction.transactionExternalKey;
    const existing = await repository.findOne({ where: { invoiceId: prior.invoice.row.id, type: 'ATTEMPT', paymentCookieId: key } });
    const row =
      existing && existing.status !== 'SUCCESS'
        ? existing
        : repository.create({
            id: randomUUID(),
            accountRecordId: prior.account.recordId,
            type: 'ATTEMPT',
            invoiceId: prior.invoice.row.id,
            paymentCookieId: key,
            linkedInvoicePaymentId: null,
            currency: prior.invoice.row.currency,
          });
    row.paymentId = written.payment.id;
    row.paymentDate = written.transaction.effectiveDate;
    row.amount = amount;
    row.processedCurrency = written.transaction.currency ?? prior.invoice.row.currency;
    row.status = 'INIT';
    return repository.save(row);
  }

  /** onSuccessCall / onFailureCall: the row follows the transaction, the credit is rebalanced, a declined system payment is scheduled again. */
  private async recordOutcome(
    manager: EntityManager,
    prior: PriorCall,
    request: InvoicePaymentOrder,
    row: InvoicePaymentRow,
    result: PaymentTransactionResult,
  ): Promise<void> {
    const transaction = toTransactionRecord(result.transaction, result.payment.accountId);
    const status = transaction.status;
    row.status = invoicePaymentStatusOf(status);
    row.amount = status === 'SUCCESS' || status === 'PENDING' ? invoicePaymentAmountOnSuccess(transaction) : ZERO;
    row.processedCurrency = transaction.processedCurrency ?? row.processedCurrency;
    await tenantRepository(manager, InvoicePaymentRow).save(row);
    if (row.status === 'SUCCESS') await this.writer.rebalanceCredit(manager, prior.account, []);

    const payload = {
      accountId: prior.account.id,
      invoiceId: row.invoiceId,
      paymentId: result.payment.id,
      amount: row.amount.toFixed(),
      currency: row.currency,
      status: row.status,
    };
    await this.queues.post(row.status === 'INIT' ? InvoicePaymentFailed : InvoicePaymentSuccess, payload, { accountRecordId: prior.account.recordId });

    const retryAt = await this.retryDate(manager, result, request, status);
    if (retryAt !== null) {
      result.attempt.stateName = 'RETRIED';
      await tenantRepository(manager, PaymentAttemptRow).save(result.attempt);
      await this.queues.schedule(
        PaymentRetryQueue,
        retryAt,
        {
          accountId: prior.account.id,
          invoiceId: row.invoiceId,
          paymentId: result.payment.id,
          paymentExternalKey: result.payment.externalKey,
          transactionExternalKey: result.transaction.transactionExternalKey,
          paymentMethodId: result.payment.paymentMethodId,
          attemptId: result.attempt.id,
        },
        { accountRecordId: prior.account.recordId },
      );
    }
  }

  /**
   * The janitor settled a transaction (PENDING/UNKNOWN → a definite status): the invoice payment row
   * of its key follows it as onSuccessCall / onFailureCall would have, and the credit is rebalanced.
   */
  async settleFromTransaction(manager: EntityManager, payment: PaymentRow, transactionRow: PaymentTransactionRow): Promise<void> {
    const repository = tenantRepository(manager, InvoicePaymentRow);
    const row = await repository.findOne({ where: { type: 'ATTEMPT', paymentId: payment.id, paymentCookieId: transactionRow.transactionExternalKey } });
    if (!row || row.status === 'SUCCESS') return;
    const transaction = toTransactionRecord(transactionRow, payment.accountId);
    row.status = invoicePaymentStatusOf(transaction.status);
    row.amount = transaction.status === 'SUCCESS' || transaction.status === 'PENDING' ? invoicePaymentAmountOnSuccess(transaction) : ZERO;
    row.processedCurrency = transaction.processedCurrency ?? row.processedCurrency;
    await repository.save(row);
    const account = { id: payment.accountId, recordId: payment.accountRecordId ?? 0, tenantRecordId: payment.tenantRecordId };
    if (row.status === 'SUCCESS') await this.writer.rebalanceCredit(manager, account, []);
    const payload = {
      accountId: payment.accountId,
      invoiceId: row.invoiceId,
      paymentId: payment.id,
      amount: row.amount.toFixed(),
      currency: row.currency,
      status: row.status,
    };
    await this.queues.post(row.status === 'INIT' ? InvoicePaymentFailed : InvoicePaymentSuccess, payload, { accountRecordId: payment.accountRecordId });
  }

  private async retryDate(
    manager: EntityManager,
    result: PaymentTransactionResult,
    request: InvoicePaymentOrder,
    status: TransactionStatus,
  ): Promise<Date | null> {
    if (status !== 'PAYMENT_FAILURE' && status !== 'PLUGIN_FAILURE') return null;
    const purchases = await tenantRepository(manager, PaymentTransactionRow).find({
      where: { paymentId: result.payment.id, transactionType: 'PURCHASE' },
      order: { recordId: 'ASC' },
    });
    return nextRetryDate({
      purchaseStatuses: purchases.map((purchase) => purchase.transactionStatus as TransactionStatus),
      isApiPayment: request.isApiPayment,
      ipcdRetries: String(pluginPropertyValue(request.properties ?? [], IPCD_RETRIES) ?? '').toLowerCase() === 'true',
      now: this.clock.now(),
      config: { ...DEFAULT_PAYMENT_RETRY_CONFIG, paymentFailureRetryDays: this.config.paymentFailureRetryDays() },
    });
  }

  private async transactionsByKey(manager: EntityManager, keys: readonly string[], accountId: string): Promise<Map<string, PaymentTransactionRecord[]>> {
    const byKey = new Map<string, PaymentTransactionRecord[]>();
    if (keys.length === 0) return byKey;
    const rows = await tenantRepository(manager, PaymentTransactionRow).find({ where: { transactionExternalKey: In([...keys]) }, order: { recordId: 'ASC' } });
    for (const row of rows) byKey.set(row.transactionExternalKey, [...(byKey.get(row.transactionExternalKey) ?? []), toTransactionRecord(row, accountId)]);
    return byKey;
  }

  /** `externalPayment=true`: the account's external method; a method given with it is refused. */
  private async externalPaymentMethod(accountId: string, requested: string | null): Promise<string> {
    if (requested !== null) throw new KillBillException('PAYMENT_INVALID_PARAMETER', ['paymentMethodId', 'should not be set when externalPayment is true']);
    return this.paymentMethods.externalPaymentMethodOf(accountId);
  }
}
