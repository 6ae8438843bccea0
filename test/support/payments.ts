import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { newRequestContext, runWithContext, Transactions } from '@kb/platform';
import { type InvoicePaymentStatus, type InvoicePaymentType, InvoicePaymentRow } from '@kb/invoice';
import { PaymentAttemptRow, PaymentRow, PaymentTransactionRow, type TransactionStatus, type TransactionType } from '@kb/payment';
import type { TestApp } from './test-app';

export interface TransactionSpec {
  readonly type: TransactionType;
  readonly status?: TransactionStatus;
  /** Null for a VOID. */
  readonly amount?: string | number | null;
  readonly currency?: string;
  /** Defaults to the amount (0 for a failed transaction, as Kill Bill records them). */
  readonly processedAmount?: string | number | null;
  readonly processedCurrency?: string;
  readonly externalKey?: string;
  readonly effectiveDate?: string;
  readonly gatewayErrorCode?: string | null;
  readonly gatewayErrorMsg?: string | null;
  readonly id?: string;
}

export interface AttemptSpec {
  readonly stateName?: string;
  readonly transactionType?: TransactionType;
  readonly amount?: string | number | null;
  readonly currency?: string;
  /** Index into the payment's transactions (its id and external key), when the attempt made one. */
  readonly transaction?: number;
  readonly pluginName?: string;
  readonly pluginProperties?: readonly { key: string; value: unknown }[] | null;
}

export interface InvoicePaymentSpec {
  readonly invoiceId: string;
  readonly amount: string | number;
  readonly type?: InvoicePaymentType;
  readonly status?: InvoicePaymentStatus;
  readonly currency?: string;
}

export interface PaymentInsertSpec {
  readonly accountId: string;
  readonly paymentMethodId: string;
  readonly externalKey?: string;
  readonly stateName?: string | null;
  readonly lastSuccessStateName?: string | null;
  readonly transactions?: readonly TransactionSpec[];
  readonly attempts?: readonly AttemptSpec[];
  readonly invoicePayments?: readonly InvoicePaymentSpec[];
}

export interface InsertedPayment {
  readonly paymentId: string;
  readonly paymentNumber: number;
  readonly externalKey: string;
  readonly transactionIds: string[];
  readonly transactionExternalKeys: string[];
  readonly attemptIds: string[];
  readonly invoicePaymentIds: string[];
}

/**
 * Writes a payment with its transactions, attempts and invoice_payments rows straight through the
 * entities (history and audit rows included), in one transaction of the account's tenant: payments
 * for the read side's tests without going through a plugin.
 */
export async function insertPayment(t: TestApp, spec: PaymentInsertSpec): Promise<InsertedPayment> {
  const [account] = await t.query<{ record_id: string; tenant_record_id: string }>(`SELECT record_id, tenant_record_id FROM accounts WHERE id = $1`, [spec.accountId]);
  if (!account) throw new Error(`No account ${spec.accountId}`);
  const tenantRecordId = Number(account.tenant_record_id);
  const now = new Date();
  const stamp = { createdDate: now, createdBy: 'test', updatedDate: now, updatedBy: 'test', tenantRecordId, accountRecordId: Number(account.record_id) };
  const transactions = t.app.get(Transactions);
  const paymentId = randomUUID();
  return runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'test' }), () =>
    transactions.run(async (manager) => {
      const payment = await manager.save(
        Object.assign(new PaymentRow(), {
          ...stamp,
          id: paymentId,
          accountId: spec.accountId,
          paymentMethodId: spec.paymentMethodId,
          externalKey: spec.externalKey ?? paymentId,
          stateName: spec.stateName ?? null,
          lastSuccessStateName: spec.lastSuccessStateName ?? null,
        }),
      );
      const saved: PaymentTransactionRow[] = [];
      for (const [index, transaction] of (spec.transactions ?? []).entries()) {
        const id = transaction.id ?? randomUUID();
        const status = transaction.status ?? 'SUCCESS';
        const amount = transaction.amount === undefined || transaction.amount === null ? null : new Big(transaction.amount);
        const processed =
          transaction.processedAmount !== undefined ? (transaction.processedAmount === null ? null : new Big(transaction.processedAmount)) : status === 'SUCCESS' ? amount : new Big(0);
        const currency = transaction.currency ?? 'USD';
        // Distinct creation instants keep the insertion order where effective dates tie.
        const created = new Date(now.getTime() + index);
        saved.push(
          await manager.save(
            Object.assign(new PaymentTransactionRow(), {
              ...stamp,
              createdDate: created,
              updatedDate: created,
              id,
              attemptId: null,
              transactionExternalKey: transaction.externalKey ?? id,
              transactionType: transaction.type,
              effectiveDate: transaction.effectiveDate ? new Date(transaction.effectiveDate) : created,
              transactionStatus: status,
              amount,
              currency,
              processedAmount: processed,
              processedCurrency: transaction.processedCurrency ?? currency,
              paymentId: payment.id,
              gatewayErrorCode: transaction.gatewayErrorCode ?? null,
              gatewayErrorMsg: transaction.gatewayErrorMsg ?? null,
            }),
          ),
        );
      }
      const attemptIds: string[] = [];
      for (const attempt of spec.attempts ?? []) {
        const transaction = attempt.transaction === undefined ? undefined : saved[attempt.transaction];
        const row = await manager.save(
          Object.assign(new PaymentAttemptRow(), {
            ...stamp,
            id: randomUUID(),
            accountId: spec.accountId,
            paymentMethodId: spec.paymentMethodId,
            paymentExternalKey: payment.externalKey,
            transactionId: transaction?.id ?? null,
            transactionExternalKey: transaction?.transactionExternalKey ?? randomUUID(),
            transactionType: attempt.transactionType ?? transaction?.transactionType ?? 'PURCHASE',
            stateName: attempt.stateName ?? 'SUCCESS',
            amount: attempt.amount === undefined ? (transaction?.amount ?? null) : attempt.amount === null ? null : new Big(attempt.amount),
            currency: attempt.currency ?? transaction?.currency ?? 'USD',
            pluginName: attempt.pluginName ?? '__INVOICE_PAYMENT_CONTROL_PLUGIN__',
            pluginProperties: attempt.pluginProperties === undefined || attempt.pluginProperties === null ? null : JSON.stringify(attempt.pluginProperties),
          }),
        );
        attemptIds.push(row.id);
      }
      const invoicePaymentIds: string[] = [];
      for (const link of spec.invoicePayments ?? []) {
        const currency = link.currency ?? 'USD';
        const row = await manager.save(
          Object.assign(new InvoicePaymentRow(), {
            ...stamp,
            id: randomUUID(),
            type: link.type ?? 'ATTEMPT',
            invoiceId: link.invoiceId,
            paymentId: payment.id,
            paymentDate: now,
            amount: new Big(link.amount),
            currency,
            processedCurrency: currency,
            paymentCookieId: saved[0]?.transactionExternalKey ?? null,
            linkedInvoicePaymentId: null,
            status: link.status ?? 'SUCCESS',
          }),
        );
        invoicePaymentIds.push(row.id);
      }
      return {
        paymentId: payment.id,
        paymentNumber: Number(payment.recordId),
        externalKey: payment.externalKey,
        transactionIds: saved.map((row) => row.id),
        transactionExternalKeys: saved.map((row) => row.transactionExternalKey),
        attemptIds,
        invoicePaymentIds,
      };
    }),
  );
}
