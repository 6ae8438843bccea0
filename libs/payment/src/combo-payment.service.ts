import { Injectable } from '@nestjs/common';
import { KillBillException, tenantRepository, Transactions } from '@kb/platform';
import { type AccountInput, AccountRow, AccountService } from '@kb/account';
import { PaymentMethodRow } from './payment.entity';
import { type NewPaymentMethod, PaymentMethodService } from './payment-method.service';
import { PaymentGatewayService } from './payment-gateway.service';
import { PaymentProcessor, type PaymentTransactionRequest, type PaymentTransactionResult } from './payment-processor';
import type { HostedPaymentPageFormDescriptor, PluginProperty } from './plugin/payment-plugin-api';
import type { TransactionType } from './engine/model';

/** The combo body's account: found by id (404 when unknown), else by external key, else created from the fields. */
export interface ComboAccount {
  readonly accountId: string | null;
  readonly externalKey: string | null;
  readonly fields: AccountInput;
}

/** The combo body's payment method: none without a plugin name; found by id (7000 when not the account's) or external key, else added. */
export interface ComboPaymentMethod extends NewPaymentMethod {
  readonly paymentMethodId: string | null;
}

export interface ComboOrder {
  readonly account: ComboAccount;
  readonly paymentMethod: ComboPaymentMethod | null;
  readonly paymentMethodProperties: readonly PluginProperty[];
}

/** A combo transaction: its type is checked only once the account and method exist, as Kill Bill does. */
export type ComboTransaction = Omit<PaymentTransactionRequest, 'transactionType' | 'paymentId' | 'paymentMethodId'> & { readonly transactionType: string | null };

/** The combo's end: the transaction, or a type an account cannot start (Kill Bill's 412). */
export type ComboPaymentOutcome = { readonly kind: 'TRANSACTION'; readonly result: PaymentTransactionResult } | { readonly kind: 'TYPE_NOT_ALLOWED'; readonly transactionType: string | null };

const ACCOUNT_TYPES: readonly TransactionType[] = ['AUTHORIZE', 'PURCHASE', 'CREDIT'];

/**
 * Kill Bill's ComboPaymentResource calls (POST /payments/combo, POST /paymentGateways/hosted/form):
 * the account found or created, the payment method found or added (the account's default when it is
 * its first), then a new AUTHORIZE/PURCHASE/CREDIT or the hosted payment page. Each step commits on
 * its own, as in Kill Bill: a declined payment keeps the account and method it created.
 */
@Injectable()
export class ComboPaymentService {
  constructor(
    private readonly accounts: AccountService,
    private readonly paymentMethods: PaymentMethodService,
    private readonly processor: PaymentProcessor,
    private readonly gateways: PaymentGatewayService,
    private readonly transactions: Transactions,
  ) {}

  async createComboPayment(order: ComboOrder, transaction: ComboTransaction): Promise<ComboPaymentOutcome> {
    const account = await this.getOrCreateAccount(order.account);
    const paymentMethodId = await this.getOrCreatePaymentMethod(account, order.paymentMethod, order.paymentMethodProperties);
    const type = transaction.transactionType as TransactionType | null;
    if (type === null || !ACCOUNT_TYPES.includes(type)) return { kind: 'TYPE_NOT_ALLOWED', transactionType: transaction.transactionType };
    if (transaction.amount === null) throw new KillBillException('PAYMENT_INVALID_PARAMETER', ['amount', 'should not be null']);
    // A combo always starts a payment (a 3DS-like follow-up goes through the regular routes).
    const result = await this.processor.createTransaction(account.id, { ...transaction, transactionType: type, paymentId: null, paymentMethodId });
    return { kind: 'TRANSACTION', result };
  }

  async buildComboFormDescriptor(order: ComboOrder, customFields: readonly PluginProperty[], properties: readonly PluginProperty[]): Promise<HostedPaymentPageFormDescriptor> {
    const account = await this.getOrCreateAccount(order.account);
    const paymentMethodId = await this.getOrCreatePaymentMethod(account, order.paymentMethod, order.paymentMethodProperties);
    return this.gateways.buildFormDescriptor(account.id, paymentMethodId ?? undefined, customFields, properties);
  }

  private async getOrCreateAccount(ref: ComboAccount): Promise<AccountRow> {
    if (ref.accountId !== null) return (await this.accounts.getById(ref.accountId)).account;
    if (ref.externalKey !== null) {
      const existing = await tenantRepository(this.transactions.manager(), AccountRow).findOne({ where: { externalKey: ref.externalKey } });
      if (existing) return existing;
    }
    return this.accounts.create(ref.fields);
  }

  /** Null: no method named (the account's default is used). */
  private async getOrCreatePaymentMethod(account: AccountRow, method: ComboPaymentMethod | null, properties: readonly PluginProperty[]): Promise<string | null> {
    if (method === null || !method.pluginName) return null;
    const methods = await tenantRepository(this.transactions.manager(), PaymentMethodRow).find({ where: { accountId: account.id, isActive: true }, order: { recordId: 'ASC' } });
    if (method.paymentMethodId !== null) {
      if (methods.some((candidate) => candidate.id === method.paymentMethodId)) return method.paymentMethodId;
      throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT_METHOD', [method.paymentMethodId]);
    }
    const byKey = method.externalKey ? methods.find((candidate) => candidate.externalKey === method.externalKey) : undefined;
    if (byKey) return byKey.id;
    const added = await this.paymentMethods.add(account.id, method, { isDefault: methods.length === 0, properties });
    return added.id;
  }
}
