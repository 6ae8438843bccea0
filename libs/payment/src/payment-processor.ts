import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type Big from 'big.js';
import { In, type EntityManager } from 'typeorm';
import {
  Clock,
  insertAllLikeSave,
  InvalidRequestException,
  KillBillException,
  Locks,
  type LockedScope,
  Queues,
  tenantRepository,
  Transactions,
  updateAllLikeSave,
  type WritePart,
} from '@kb/platform';
import { AccountRow } from '@kb/account';
import { type Currency, KillBillError } from '@kb/kernel';
import { PaymentAttemptRow, PaymentMethodRow, PaymentRow, PaymentTransactionRow } from './payment.entity';
import { PaymentPluginRegistry } from './plugin/payment-plugin-registry';
import {
  type PaymentPluginApi,
  PaymentPluginTimeoutException,
  type PaymentTransactionCall,
  type PaymentTransactionInfoPlugin,
  type PluginCallContext,
  type PluginProperty,
} from './plugin/payment-plugin-api';
import { PaymentMethodService } from './payment-method.service';
import { PaymentAttemptJanitorQueue, PaymentFailed, PaymentJanitorQueue, PaymentPluginError, PaymentSuccess, type PaymentEventPayload } from './payment-events';
import type { PaymentRecord, PaymentTransactionRecord, PluginCallResult, TransactionStatus, TransactionType } from './engine/model';
import { checkOperation, lastSuccessStateAfter, resolvePaymentId, stateAfter } from './engine/payment-state-machine';
import { type PaymentOutcome, pluginCallError, processedAmountsOf, transactionStatusOf } from './engine/plugin-result';
import { incompleteAttemptCheck, nextJanitorCheck } from './engine/retries';
import { attemptStateAfter } from './engine/retry-states';

const INITIAL_TYPES: readonly TransactionType[] = ['AUTHORIZE', 'PURCHASE', 'CREDIT'];
const KEY_LIMIT = 255;

/** One transaction asked of a payment (Kill Bill's PaymentApi create* arguments). */
export interface PaymentTransactionRequest {
  readonly transactionType: TransactionType;
  /** The payment to act on; for AUTHORIZE/PURCHASE/CREDIT resolved from the keys when absent (spec 2.5). */
  readonly paymentId?: string | null;
  readonly paymentExternalKey?: string | null;
  readonly transactionExternalKey?: string | null;
  /** Null for a void and a chargeback reversal. */
  readonly amount: Big | null;
  /** Null: the payment's, else the account's. */
  readonly currency?: Currency | null;
  /** Null: the payment's, else the account's default. */
  readonly paymentMethodId?: string | null;
  readonly properties?: readonly PluginProperty[];
  /** The control plugins the attempt is made through (e.g. the invoice payment control), comma-joined on the attempt row. */
  readonly controlPluginNames?: readonly string[];
  /** A chargeback reversal: a CHARGEBACK transaction recorded as PAYMENT_FAILURE (no plugin call). */
  readonly chargebackReversal?: boolean;
  /** The PENDING transaction a completion targets, when known by id (keys may repeat across retries). */
  readonly transactionId?: string | null;
  /** notifyPendingTransactionOfStateChanged: the outcome is the caller's, the plugin is not called. */
  readonly overridePluginResult?: 'SUCCESS' | 'FAILURE';
  /** The control plugin's writes, in the processor's two transactions (Kill Bill's priorCall / onSuccessCall / onFailureCall). */
  readonly control?: PaymentControl;
}

/** The rows a transaction wrote before its plugin call. */
export interface PaymentTransactionWrite {
  readonly payment: PaymentRow;
  readonly transaction: PaymentTransactionRow;
  readonly attempt: PaymentAttemptRow;
}

/**
 * Writes of a control layer (the invoice payment control) made atomically with the processor's own:
 * `beforeCall` in transaction 1 (e.g. the invoice payment row INIT), `afterCall` in transaction 2
 * (e.g. that row SUCCESS, the credit, a retry), so a crash never leaves one without the other.
 */
export interface PaymentControl {
  beforeCall?(manager: EntityManager, written: PaymentTransactionWrite): Promise<void>;
  afterCall?(manager: EntityManager, result: PaymentTransactionResult): Promise<void>;
}

/** What a transaction left: the rows as written after the plugin's answer, and how it ended for the HTTP answer. */
export interface PaymentTransactionResult {
  readonly payment: PaymentRow;
  readonly transaction: PaymentTransactionRow;
  readonly attempt: PaymentAttemptRow;
  readonly outcome: PaymentOutcome;
}

/** Everything transaction 1 decided and wrote, for the plugin call and transaction 2. */
interface PreparedTransaction {
  readonly payment: PaymentRow;
  readonly transaction: PaymentTransactionRow;
  readonly attempt: PaymentAttemptRow;
  readonly pluginName: string;
  /** The operation's start state was a PENDING one (completion), else INIT. */
  readonly completing: boolean;
}

/**
 * Kill Bill's PaymentProcessor and PaymentAutomatonRunner: one transaction of a payment, with the
 * account lock held across the plugin call and no database transaction open during it. Transaction 1
 * checks the operation against the state machine and writes the attempt (INIT), the payment (its
 * operation's INIT state) and the transaction (UNKNOWN) before the plugin is called, so a crash
 * during the call leaves rows the janitor settles; transaction 2 writes the outcome, the events and,
 * for PENDING/UNKNOWN, the janitor's next look.
 */
@Injectable()
export class PaymentProcessor {
  constructor(
    private readonly locks: Locks,
    private readonly plugins: PaymentPluginRegistry,
    private readonly paymentMethods: PaymentMethodService,
    private readonly queues: Queues,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
  ) {}

  async createTransaction(accountId: string, request: PaymentTransactionRequest): Promise<PaymentTransactionResult> {
    checkKeyLength(request.paymentExternalKey);
    checkKeyLength(request.transactionExternalKey);
    if (request.amount !== null && request.amount.lte(0) && request.transactionType !== 'CHARGEBACK') {
      throw new KillBillException('PAYMENT_INVALID_PARAMETER', ['amount', 'should be greater than 0']);
    }
    return this.locks.withAccountLockAcross(accountId, (scope) => this.createLocked(scope, accountId, request));
  }

  /** A transaction on an existing payment (capture, refund, void, chargeback), by id or else by `paymentExternalKey`: the account is the payment's. */
  async createTransactionOnPayment(request: PaymentTransactionRequest & { readonly paymentId: string | null }): Promise<PaymentTransactionResult> {
    const payment = await this.requirePayment(request.paymentId, request.paymentExternalKey ?? null);
    return this.createTransaction(payment.accountId, { ...request, paymentId: payment.id });
  }

  /** processPaymentByExternalKey: a new transaction for the account of that external key. */
  async createTransactionForAccountKey(accountExternalKey: string | undefined, request: PaymentTransactionRequest): Promise<PaymentTransactionResult> {
    if (!accountExternalKey) throw new KillBillException('ACCOUNT_CANNOT_MAP_NULL_KEY', ['']);
    const account = await tenantRepository(this.transactions.manager(), AccountRow).findOne({ where: { externalKey: accountExternalKey } });
    if (!account) throw new KillBillException('ACCOUNT_DOES_NOT_EXIST_FOR_KEY', [accountExternalKey]);
    return this.createTransaction(account.id, request);
  }

  /** Kill Bill's getPaymentByIdOrKey: the id wins; 7020 (404) when no payment has it. */
  async requirePayment(paymentId: string | null, paymentExternalKey: string | null): Promise<PaymentRow> {
    if (paymentId === null && paymentExternalKey === null) throw new InvalidRequestException('Need to set either paymentId or payment externalKey');
    const where = paymentId !== null ? { id: paymentId } : { externalKey: paymentExternalKey as string };
    const payment = await tenantRepository(this.transactions.manager(), PaymentRow).findOne({ where });
    if (!payment) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT', [paymentId ?? paymentExternalKey]);
    return payment;
  }

  /** For callers that already hold the account lock across (the invoice payment flow). */
  async createLocked(scope: LockedScope, accountId: string, request: PaymentTransactionRequest): Promise<PaymentTransactionResult> {
    const prepared = await this.prepare(scope, accountId, request);
    const result = await this.call(prepared, request);
    // Without a control layer the outcome is one statement, its own transaction.
    const unit = request.control?.afterCall ? scope.inTransaction : scope.inStatement;
    return unit((manager) => this.record(manager, prepared, request, result));
  }

  /**
   * Reads what the operation needs outside any transaction (the account lock is held: no other
   * payment operation of the account runs meanwhile), then writes the new rows. A new payment or
   * transaction without a control layer is one statement; an update of existing rows or a control's
   * writes make it a transaction.
   */
  private async prepare(scope: LockedScope, accountId: string, request: PaymentTransactionRequest): Promise<PreparedTransaction> {
    const manager = scope.reader;
    // The account and its default payment method in one round trip (the method most payments use).
    const { row: account, referenced: defaultMethod } = await tenantRepository(manager, AccountRow).findByIdWithReferenced(
      accountId,
      'paymentMethodId',
      PaymentMethodRow,
    );
    if (!account) throw new KillBillException('ACCOUNT_DOES_NOT_EXIST_FOR_ID', [accountId]);
    const type = request.transactionType;
    const key = request.transactionExternalKey ?? null;
    const transactionsWithKey = key === null ? [] : await this.transactionsWithKey(manager, key);

    let paymentId = request.paymentId ?? null;
    if (paymentId === null && INITIAL_TYPES.includes(type)) {
      const byKey = request.paymentExternalKey
        ? await tenantRepository(manager, PaymentRow).findOne({ where: { externalKey: request.paymentExternalKey } })
        : null;
      paymentId = resolvePaymentId(request.paymentExternalKey ?? null, key, { paymentIdByExternalKey: byKey?.id ?? null, transactionsWithKey });
    } else if (paymentId === null) {
      throw new KillBillException('PAYMENT_INVALID_PARAMETER', ['paymentId', 'should not be null']);
    }
    const existing = paymentId === null ? null : await tenantRepository(manager, PaymentRow).findOne({ where: { id: paymentId } });
    if (paymentId !== null && existing === null) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT', [paymentId]);
    const existingTransactions = existing ? await this.transactionsOf(manager, existing.id) : [];
    const plan = checkOperation(
      existing ? toPaymentRecord(existing, existingTransactions) : null,
      { accountId, transactionType: type, transactionId: request.transactionId ?? null, transactionExternalKey: key, currency: request.currency ?? null },
      transactionsWithKey,
    );

    const paymentMethod = await this.paymentMethodFor(manager, account, existing, request.paymentMethodId ?? null, defaultMethod);
    const currency = (request.currency ?? existingTransactions[0]?.currency ?? account.currency) as Currency | null;
    if (currency === null) throw new KillBillException('PAYMENT_INVALID_PARAMETER', ['currency', 'should not be null']);
    const now = this.clock.now();

    const payments = tenantRepository(manager, PaymentRow);
    const payment =
      existing ??
      payments.create({
        id: paymentId ?? randomUUID(),
        accountId,
        accountRecordId: account.recordId,
        paymentMethodId: paymentMethod.id,
        lastSuccessStateName: null,
      });
    if (!existing) {
      payment.externalKey = request.paymentExternalKey ?? payment.id;
      // A key of our own is a fresh UUID: only a caller's key can already be taken.
      if (request.paymentExternalKey) await this.ensureUniquePaymentKey(manager, payment.externalKey);
    }
    payment.stateName = plan.startState;

    const transactions = tenantRepository(manager, PaymentTransactionRow);
    const completing = plan.transactionToComplete !== null;
    const transaction = completing
      ? existingTransactions.find((row) => row.id === plan.transactionToComplete?.id)!
      : transactions.create({
          id: randomUUID(),
          accountRecordId: account.recordId,
          paymentId: payment.id,
          transactionType: type,
          effectiveDate: now,
          transactionStatus: 'UNKNOWN',
          amount: request.amount,
          currency,
          processedAmount: null,
          processedCurrency: null,
          gatewayErrorCode: null,
          gatewayErrorMsg: null,
        });
    if (!completing) transaction.transactionExternalKey = key ?? transaction.id;

    const attempt = tenantRepository(manager, PaymentAttemptRow).create({
      id: randomUUID(),
      accountId,
      accountRecordId: account.recordId,
      paymentMethodId: paymentMethod.id,
      paymentExternalKey: payment.externalKey,
      transactionId: transaction.id,
      transactionExternalKey: transaction.transactionExternalKey,
      transactionType: type,
      stateName: 'INIT',
      amount: request.amount,
      currency,
      pluginName: (request.controlPluginNames ?? []).join(','),
      pluginProperties: request.properties?.length ? JSON.stringify(request.properties.map(({ key: k, value }) => ({ key: k, value }))) : null,
    });
    transaction.attemptId = attempt.id;
    // Should this node die during the plugin call, the janitor of any node settles the attempt later.
    const janitor =
      type === 'CHARGEBACK'
        ? []
        : [
            this.queues.schedulePart(
              PaymentAttemptJanitorQueue,
              incompleteAttemptCheck(now),
              { accountId, paymentId: payment.id, transactionId: transaction.id, attemptNumber: 0 },
              { accountRecordId: account.recordId },
            ),
          ];
    // The new rows and the janitor's notification in one round trip (each row with its history and audit row).
    const fresh = [...(existing ? [] : [payment]), attempt, ...(completing ? [] : [transaction])];
    const unit = existing || completing || request.control?.beforeCall ? scope.inTransaction : scope.inStatement;
    await unit(async (writer) => {
      if (existing) await tenantRepository(writer, PaymentRow).save(payment);
      if (completing) await tenantRepository(writer, PaymentTransactionRow).save(transaction);
      if (!(await insertAllLikeSave(writer, fresh, this.clock, janitor))) throw new Error('The payment rows are plain entities, written in one statement');
      await request.control?.beforeCall?.(writer, { payment, transaction, attempt });
    });
    return { payment, transaction, attempt, pluginName: paymentMethod.pluginName, completing };
  }

  /** The plugin call, outside any transaction; chargebacks are bookkeeping and never reach the plugin. */
  private async call(prepared: PreparedTransaction, request: PaymentTransactionRequest): Promise<PluginCallResult> {
    const type = request.transactionType;
    if (type === 'CHARGEBACK') return { kind: 'ANSWER', status: request.chargebackReversal ? 'ERROR' : 'PROCESSED' };
    if (request.overridePluginResult) return { kind: 'ANSWER', status: request.overridePluginResult === 'SUCCESS' ? 'PROCESSED' : 'ERROR' };
    const { payment, transaction } = prepared;
    const call: PaymentTransactionCall = {
      kbAccountId: payment.accountId,
      kbPaymentId: payment.id,
      kbTransactionId: transaction.id,
      kbPaymentMethodId: payment.paymentMethodId,
      amount: type === 'VOID' ? null : transaction.amount,
      currency: type === 'VOID' ? null : transaction.currency,
      properties: request.properties ?? [],
      context: this.pluginContext(),
    };
    let plugin: PaymentPluginApi;
    try {
      plugin = this.plugins.require(prepared.pluginName);
    } catch (error) {
      return { kind: 'EXCEPTION', message: error instanceof Error ? error.message : String(error) };
    }
    try {
      const info = await pluginMethod(plugin, type)(call);
      return info === null ? { kind: 'NULL_RESULT' } : answerOf(info);
    } catch (error) {
      if (error instanceof PaymentPluginTimeoutException) return { kind: 'TIMEOUT' };
      return { kind: 'EXCEPTION', message: error instanceof Error ? error.message : String(error) };
    }
  }

  private async record(
    manager: EntityManager,
    prepared: PreparedTransaction,
    request: PaymentTransactionRequest,
    result: PluginCallResult,
  ): Promise<PaymentTransactionResult> {
    const { payment, transaction, attempt } = prepared;
    const type = request.transactionType;
    const status = transactionStatusOf(result);
    const processed = processedAmountsOf(status, result, { amount: transaction.amount, currency: transaction.currency as Currency | null });
    transaction.transactionStatus = status;
    transaction.processedAmount = type === 'VOID' ? null : processed.processedAmount;
    transaction.processedCurrency = processed.processedCurrency;
    transaction.gatewayErrorCode = processed.gatewayErrorCode;
    transaction.gatewayErrorMsg = processed.gatewayErrorMsg;

    // CANCELED, UNDEFINED and calls without an answer end `<OP>_ERRORED` (the automaton's EXCEPTION).
    const operationResult = status === 'SUCCESS' || status === 'PENDING' || status === 'PAYMENT_FAILURE' ? status : 'EXCEPTION';
    payment.stateName = stateAfter(type, operationResult, prepared.completing ? 'PENDING' : 'INIT');
    payment.lastSuccessStateName = lastSuccessStateAfter(payment.lastSuccessStateName, payment.stateName);
    attempt.stateName = attemptStateAfter('INIT', status === 'SUCCESS' || status === 'PENDING' ? 'SUCCESS' : 'EXCEPTION') ?? 'ABORTED';
    const now = this.clock.now();
    const janitorAt = nextJanitorCheck(status, 1, now);
    const janitor =
      janitorAt === null
        ? []
        : [
            this.queues.schedulePart(
              PaymentJanitorQueue,
              janitorAt,
              { accountId: payment.accountId, paymentId: payment.id, transactionId: transaction.id, attemptNumber: 1 },
              { accountRecordId: payment.accountRecordId },
            ),
          ];
    // The three rows were written or read under the lock still held: one statement updates them (with
    // their history and audit), announces the outcome and schedules the janitor's check.
    await updateAllLikeSave(manager, [transaction, payment, attempt], this.clock, [this.announcement(payment, transaction, status), ...janitor]);
    const written: PaymentTransactionResult = {
      payment,
      transaction,
      attempt,
      outcome: outcomeOf(result, status, transaction, payment.accountId, prepared.pluginName),
    };
    await request.control?.afterCall?.(manager, written);
    return written;
  }

  /** PAYMENT_SUCCESS (SUCCESS, PENDING), PAYMENT_FAILED (declined) or PAYMENT_PLUGIN_ERROR (the rest), in the caller's transaction. */
  async announce(payment: PaymentRow, transaction: PaymentTransactionRow, status: TransactionStatus): Promise<void> {
    await this.queues.write([this.announcement(payment, transaction, status)]);
  }

  /** The outcome's event, as a part of the caller's statement. */
  private announcement(payment: PaymentRow, transaction: PaymentTransactionRow, status: TransactionStatus): WritePart {
    const payload: PaymentEventPayload = {
      accountId: payment.accountId,
      paymentId: payment.id,
      paymentTransactionId: transaction.id,
      transactionType: transaction.transactionType,
      status,
      amount: transaction.processedAmount?.toFixed() ?? null,
      currency: transaction.processedCurrency ?? transaction.currency,
      effectiveDate: transaction.effectiveDate.toISOString(),
    };
    const event = status === 'SUCCESS' || status === 'PENDING' ? PaymentSuccess : status === 'PAYMENT_FAILURE' ? PaymentFailed : PaymentPluginError;
    return this.queues.postPart(event, payload, { accountRecordId: payment.accountRecordId });
  }

  /** Every transaction of the tenant with that key, with its payment's account (what the key checks need). */
  private async transactionsWithKey(manager: EntityManager, key: string): Promise<PaymentTransactionRecord[]> {
    const rows = await tenantRepository(manager, PaymentTransactionRow).find({ where: { transactionExternalKey: key }, order: { recordId: 'ASC' } });
    if (rows.length === 0) return [];
    const payments = await tenantRepository(manager, PaymentRow).find({ where: { id: In([...new Set(rows.map((row) => row.paymentId))]) } });
    const accountOf = new Map(payments.map((payment) => [payment.id, payment.accountId]));
    return rows.map((row) => toTransactionRecord(row, accountOf.get(row.paymentId) ?? ''));
  }

  private transactionsOf(manager: EntityManager, paymentId: string): Promise<PaymentTransactionRow[]> {
    return tenantRepository(manager, PaymentTransactionRow).find({ where: { paymentId }, order: { recordId: 'ASC' } });
  }

  /** The payment's method, else the one asked for, else the account's default (7031 without any); it must be the account's and active. */
  private async paymentMethodFor(
    manager: EntityManager,
    account: AccountRow,
    payment: PaymentRow | null,
    requested: string | null,
    defaultMethod: PaymentMethodRow | null,
  ): Promise<PaymentMethodRow> {
    const id = payment?.paymentMethodId ?? requested ?? account.paymentMethodId;
    if (!id) throw new KillBillException('PAYMENT_INVALID_PARAMETER', ['paymentMethodId', 'should not be null']);
    const method = defaultMethod?.id === id ? defaultMethod : await tenantRepository(manager, PaymentMethodRow).findOne({ where: { id } });
    if (!method || method.accountId !== account.id || (payment === null && !method.isActive))
      throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT_METHOD', [id]);
    return method;
  }

  private async ensureUniquePaymentKey(manager: EntityManager, externalKey: string): Promise<void> {
    if (await tenantRepository(manager, PaymentRow).exists({ where: { externalKey } })) {
      throw new KillBillException('PAYMENT_INVALID_PARAMETER', ['paymentExternalKey', `payment with external key ${externalKey} already exists`]);
    }
  }

  private pluginContext(): PluginCallContext {
    return this.paymentMethods.pluginContext();
  }
}

function checkKeyLength(key: string | null | undefined): void {
  if (key != null && key.length > KEY_LIMIT) throw new KillBillException('EXTERNAL_KEY_LIMIT_EXCEEDED');
}

function pluginMethod(plugin: PaymentPluginApi, type: TransactionType): (call: PaymentTransactionCall) => Promise<PaymentTransactionInfoPlugin | null> {
  switch (type) {
    case 'AUTHORIZE':
      return (call) => plugin.authorizePayment(call);
    case 'CAPTURE':
      return (call) => plugin.capturePayment(call);
    case 'PURCHASE':
      return (call) => plugin.purchasePayment(call);
    case 'VOID':
      return (call) => plugin.voidPayment(call);
    case 'REFUND':
      return (call) => plugin.refundPayment(call);
    case 'CREDIT':
      return (call) => plugin.creditPayment(call);
    case 'CHARGEBACK':
      throw new KillBillError('PAYMENT_INVALID_OPERATION', [type, 'plugin']);
  }
}

function answerOf(info: PaymentTransactionInfoPlugin): PluginCallResult {
  return {
    kind: 'ANSWER',
    status: info.status,
    amount: info.processedAmount,
    currency: info.processedCurrency as Currency | null,
    gatewayErrorCode: info.gatewayErrorCode,
    gatewayError: info.gatewayError,
  };
}

function outcomeOf(
  result: PluginCallResult,
  status: TransactionStatus,
  transaction: PaymentTransactionRow,
  accountId: string,
  pluginName: string,
): PaymentOutcome {
  const error = pluginCallError(result, { accountId, pluginName });
  if (error !== null) {
    const kind = result.kind === 'TIMEOUT' ? 'PLUGIN_TIMEOUT' : result.kind === 'EXCEPTION' ? 'PLUGIN_EXCEPTION' : 'PLUGIN_NULL_RESULT';
    return { kind, error };
  }
  return { kind: 'TRANSACTION', status, gatewayErrorMsg: transaction.gatewayErrorMsg };
}

export function toTransactionRecord(row: PaymentTransactionRow, accountId: string): PaymentTransactionRecord {
  return {
    id: row.id,
    paymentId: row.paymentId,
    accountId,
    externalKey: row.transactionExternalKey,
    type: row.transactionType as TransactionType,
    status: row.transactionStatus as TransactionStatus,
    amount: row.amount,
    currency: row.currency as Currency | null,
    processedAmount: row.processedAmount,
    processedCurrency: row.processedCurrency as Currency | null,
  };
}

export function toPaymentRecord(row: PaymentRow, transactions: readonly PaymentTransactionRow[]): PaymentRecord {
  return {
    id: row.id,
    accountId: row.accountId,
    stateName: row.stateName,
    lastSuccessStateName: row.lastSuccessStateName,
    transactions: transactions.map((transaction) => toTransactionRecord(transaction, row.accountId)),
  };
}
