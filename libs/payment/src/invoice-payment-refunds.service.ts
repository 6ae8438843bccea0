import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type Big from 'big.js';
import type { EntityManager } from 'typeorm';
import { LocalDate, ZoneOffset } from '@js-joda/core';
import { type Currency, instantOf } from '@kb/kernel';
import { Clock, currentTenant, KillBillException, Locks, tenantRepository, Transactions } from '@kb/platform';
import { AccountRow } from '@kb/account';
import { type InvoiceItemRecord, InvoicePaymentRow, itemAdjustment, InvoiceRow, InvoiceStore, InvoiceWriter, type LoadedInvoice } from '@kb/invoice';
import { PaymentRow } from './payment.entity';
import { PaymentProcessor, type PaymentTransactionResult } from './payment-processor';
import { PaymentMethodService } from './payment-method.service';
import type { PluginProperty } from './plugin/payment-plugin-api';
import {
  INVOICE_PAYMENT_CONTROL_PLUGIN_NAME,
  IPCD_PAYMENT_ID,
  type InvoiceRefundPlan,
  invoiceChargebackPlan,
  invoicePaymentStatusOf,
  invoiceRefundPlan,
} from './engine/invoice-payment-control';

/** A refund of an invoice payment (InvoicePaymentApi#createRefundForInvoicePayment). */
export interface InvoiceRefundOrder {
  /** Null: the listed items' amounts. */
  readonly amount: Big | null;
  readonly isAdjusted: boolean;
  /** Items to adjust, in request order, with their amounts (null: all that is left of the item). */
  readonly adjustments: ReadonlyMap<string, Big | null>;
  readonly transactionExternalKey?: string | null;
  readonly properties?: readonly PluginProperty[];
  /**
   * `externalPayment=true`: the money goes back through a CREDIT on a new payment (with
   * `paymentMethodId`, else the account's external method) instead of a REFUND of the original one.
   */
  readonly externalPayment?: boolean;
  readonly paymentMethodId?: string | null;
  /** The new payment's key (externalPayment only). */
  readonly paymentExternalKey?: string | null;
}

/** A chargeback of an invoice payment (InvoicePaymentApi#createChargebackForInvoicePayment). */
export interface InvoiceChargebackOrder {
  readonly amount: Big;
  readonly transactionExternalKey?: string | null;
  readonly properties?: readonly PluginProperty[];
}

/** What the control needs of the invoice a payment paid. */
interface PaidInvoice {
  readonly account: AccountRow;
  readonly invoice: LoadedInvoice;
  /** The items of all the account's invoices (what a later REPAIR_ADJ took from an item). */
  readonly accountItems: readonly InvoiceItemRecord[];
}

/**
 * The invoice side of refunds and chargebacks of an invoice payment (spec 2.7): the engine's plan is
 * checked before the transaction, then, in the processor's second transaction, the invoice_payments
 * row (REFUND / CHARGED_BACK, negative, linked to the ATTEMPT) follows the transaction, the refund's
 * ITEM_ADJ items are written and the account's credit is rebalanced, so the balances follow.
 */
@Injectable()
export class InvoicePaymentRefundService {
  constructor(
    private readonly locks: Locks,
    private readonly processor: PaymentProcessor,
    private readonly store: InvoiceStore,
    private readonly writer: InvoiceWriter,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly paymentMethods: PaymentMethodService,
  ) {}

  /**
   * A REFUND transaction of the payment; with `isAdjusted`, ITEM_ADJ items so the invoice stays paid.
   * With `externalPayment` a CREDIT on a new payment instead (Kill Bill's createCreditForInvoicePayment):
   * the invoice side is the same REFUND row, on the original payment.
   */
  async refund(paymentId: string, order: InvoiceRefundOrder): Promise<PaymentTransactionResult> {
    const accountId = await this.accountOf(paymentId);
    const creditMethodId = order.externalPayment ? (order.paymentMethodId ?? (await this.paymentMethods.externalPaymentMethodOf(accountId))) : null;
    return this.locks.withAccountLockAcross(accountId, async (scope) => {
      const paid = await scope.inTransaction((manager) => this.paidInvoice(manager, paymentId));
      const plan = invoiceRefundPlan({
        invoice: paid.invoice.record,
        paymentId,
        amount: order.amount,
        isAdjusted: order.isAdjusted,
        adjustments: order.adjustments,
        accountItems: paid.accountItems,
      });
      const onPayment = creditMethodId === null ? { transactionType: 'REFUND' as const, paymentId } : { transactionType: 'CREDIT' as const, paymentId: null, paymentMethodId: creditMethodId, paymentExternalKey: order.paymentExternalKey ?? null };
      return this.processor.createLocked(scope, accountId, {
        ...onPayment,
        transactionExternalKey: order.transactionExternalKey ?? null,
        amount: plan.amount,
        currency: paid.invoice.row.currency as Currency,
        properties: [...(order.properties ?? []), { key: IPCD_PAYMENT_ID, value: paymentId }],
        controlPluginNames: [INVOICE_PAYMENT_CONTROL_PLUGIN_NAME],
        control: { afterCall: (manager, result) => this.recordRefund(manager, paid, plan, paymentId, result) },
      });
    });
  }

  /** A CHARGEBACK transaction (no plugin call); the first one of the payment is recorded on the invoice, which owes again. */
  async chargeback(paymentId: string, order: InvoiceChargebackOrder): Promise<PaymentTransactionResult> {
    const accountId = await this.accountOf(paymentId);
    return this.locks.withAccountLockAcross(accountId, async (scope) => {
      const paid = await scope.inTransaction((manager) => this.paidInvoice(manager, paymentId));
      const plan = invoiceChargebackPlan(paid.invoice.record, paymentId, order.amount);
      return this.processor.createLocked(scope, accountId, {
        transactionType: 'CHARGEBACK',
        paymentId,
        transactionExternalKey: order.transactionExternalKey ?? null,
        amount: plan.amount,
        currency: paid.invoice.row.currency as Currency,
        properties: order.properties ?? [],
        controlPluginNames: [INVOICE_PAYMENT_CONTROL_PLUGIN_NAME],
        control: {
          afterCall: async (manager, result) => {
            if (!plan.recordOnInvoice || result.transaction.transactionStatus !== 'SUCCESS') return;
            await this.insertLinkedRow(manager, paid, plan.attempt.id, 'CHARGED_BACK', plan.amount, result);
            await this.writer.rebalanceCredit(manager, paid.account, [paid.invoice.row.id]);
          },
        },
      });
    });
  }

  /** The chargeback of `transactionExternalKey` reversed: its CHARGED_BACK row goes back to INIT (ignored), the invoice is settled again. */
  async chargebackReversal(paymentId: string, transactionExternalKey: string, properties: readonly PluginProperty[] = []): Promise<PaymentTransactionResult> {
    const accountId = await this.accountOf(paymentId);
    return this.locks.withAccountLockAcross(accountId, async (scope) => {
      const paid = await scope.inTransaction((manager) => this.paidInvoice(manager, paymentId));
      return this.processor.createLocked(scope, accountId, {
        transactionType: 'CHARGEBACK',
        paymentId,
        transactionExternalKey,
        amount: null,
        currency: null,
        chargebackReversal: true,
        properties,
        controlPluginNames: [INVOICE_PAYMENT_CONTROL_PLUGIN_NAME],
        control: {
          afterCall: async (manager) => {
            const repository = tenantRepository(manager, InvoicePaymentRow);
            const row = await repository.findOne({ where: { paymentId, type: 'CHARGED_BACK', paymentCookieId: transactionExternalKey, status: 'SUCCESS' } });
            if (!row) return;
            row.status = 'INIT';
            await repository.save(row);
            await this.writer.rebalanceCredit(manager, paid.account, [paid.invoice.row.id]);
          },
        },
      });
    });
  }

  private async accountOf(paymentId: string): Promise<string> {
    const payment = await tenantRepository(this.transactions.manager(), PaymentRow).findOne({ where: { id: paymentId } });
    if (!payment) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT', [paymentId]);
    return payment.accountId;
  }

  /** The invoice of the payment's ATTEMPT row, with its account. */
  private async paidInvoice(manager: EntityManager, paymentId: string): Promise<PaidInvoice> {
    const attempt = await tenantRepository(manager, InvoicePaymentRow).findOne({ where: { paymentId, type: 'ATTEMPT' } });
    if (!attempt) throw new KillBillException('INVOICE_PAYMENT_BY_ATTEMPT_NOT_FOUND', [paymentId]);
    const invoiceRow = await tenantRepository(manager, InvoiceRow).findOne({ where: { id: attempt.invoiceId } });
    if (!invoiceRow) throw new KillBillException('INVOICE_NOT_FOUND', [attempt.invoiceId]);
    const account = await tenantRepository(manager, AccountRow).findOne({ where: { id: invoiceRow.accountId } });
    if (!account) throw new KillBillException('ACCOUNT_DOES_NOT_EXIST_FOR_ID', [invoiceRow.accountId]);
    const invoices = await this.store.forAccount(manager, currentTenant().recordId, account.id);
    const invoice = invoices.find((candidate) => candidate.row.id === attempt.invoiceId);
    if (!invoice) throw new KillBillException('INVOICE_NOT_FOUND', [attempt.invoiceId]);
    return { account, invoice, accountItems: invoices.flatMap((loaded) => loaded.record.items) };
  }

  /** onSuccessCall of a REFUND: the REFUND row mirrors the transaction; a successful one adjusts the items, then the credit follows. */
  private async recordRefund(manager: EntityManager, paid: PaidInvoice, plan: InvoiceRefundPlan, refundedPaymentId: string, result: PaymentTransactionResult): Promise<void> {
    const status = invoicePaymentStatusOf(result.transaction.transactionStatus as Parameters<typeof invoicePaymentStatusOf>[0]);
    if (status === 'INIT') return;
    await this.insertLinkedRow(manager, paid, plan.attempt.id, 'REFUND', plan.amount, result, status, refundedPaymentId);
    if (status !== 'SUCCESS') return;
    const now = this.clock.now();
    const today = LocalDate.ofInstant(instantOf(now), ZoneOffset.UTC);
    const adjustments = [...plan.itemAdjustments].map(([itemId, amount]) => {
      const target = paid.invoice.record.items.find((item) => item.id === itemId)!;
      return itemAdjustment(target, { id: randomUUID(), amount, date: today, now });
    });
    if (adjustments.length > 0) await this.writer.addItems(manager, paid.account, paid.invoice.row.id, adjustments);
    else await this.writer.rebalanceCredit(manager, paid.account, [paid.invoice.row.id]);
  }

  /** A REFUND / CHARGED_BACK row: the negated amount, linked to the ATTEMPT, keyed by the transaction's external key. */
  private async insertLinkedRow(
    manager: EntityManager,
    paid: PaidInvoice,
    attemptRowId: string,
    type: 'REFUND' | 'CHARGED_BACK',
    amount: Big,
    result: PaymentTransactionResult,
    status: InvoicePaymentRow['status'] = 'SUCCESS',
    /** The payment the row belongs to: the original one, also for a refund made as a CREDIT on a new payment. */
    paymentId: string = result.payment.id,
  ): Promise<void> {
    const repository = tenantRepository(manager, InvoicePaymentRow);
    await repository.save(
      repository.create({
        id: randomUUID(),
        accountRecordId: paid.account.recordId,
        type,
        invoiceId: paid.invoice.row.id,
        paymentId,
        paymentDate: result.transaction.effectiveDate,
        amount: amount.neg(),
        currency: paid.invoice.row.currency,
        processedCurrency: result.transaction.processedCurrency ?? paid.invoice.row.currency,
        paymentCookieId: result.transaction.transactionExternalKey,
        linkedInvoicePaymentId: attemptRowId,
        status,
      }),
    );
  }
}
