import type Big from 'big.js';

/**
 * Kill Bill's payment plugin API (org.killbill.billing.payment.plugin.api.PaymentPluginApi) in
 * TypeScript. A gateway plugin implements it and registers under a name (see docs/payment-plugins.md);
 * payment methods name the plugin that serves them. Every call is bounded by
 * `org.killbill.payment.plugin.timeout`: a plugin that does not answer in time leaves an UNKNOWN
 * transaction for the janitor, never a blocked server.
 */
export interface PaymentPluginApi {
  authorizePayment(call: PaymentTransactionCall): Promise<PaymentTransactionInfoPlugin | null>;
  capturePayment(call: PaymentTransactionCall): Promise<PaymentTransactionInfoPlugin | null>;
  purchasePayment(call: PaymentTransactionCall): Promise<PaymentTransactionInfoPlugin | null>;
  /** A void carries no amount. */
  voidPayment(call: PaymentTransactionCall): Promise<PaymentTransactionInfoPlugin | null>;
  creditPayment(call: PaymentTransactionCall): Promise<PaymentTransactionInfoPlugin | null>;
  refundPayment(call: PaymentTransactionCall): Promise<PaymentTransactionInfoPlugin | null>;
  /** What the gateway knows of a payment's transactions (the janitor and `withPluginInfo=true` read it). */
  getPaymentInfo(kbAccountId: string, kbPaymentId: string, properties: readonly PluginProperty[], context: PluginCallContext): Promise<PaymentTransactionInfoPlugin[]>;
  /** Optional: payments the gateway finds for a search key. */
  searchPayments?(searchKey: string, offset: number, limit: number, properties: readonly PluginProperty[], context: PluginCallContext): Promise<PluginPage<PaymentTransactionInfoPlugin>>;

  addPaymentMethod(kbAccountId: string, kbPaymentMethodId: string, detail: PaymentMethodPlugin | null, setDefault: boolean, properties: readonly PluginProperty[], context: PluginCallContext): Promise<void>;
  deletePaymentMethod(kbAccountId: string, kbPaymentMethodId: string, properties: readonly PluginProperty[], context: PluginCallContext): Promise<void>;
  getPaymentMethodDetail(kbAccountId: string, kbPaymentMethodId: string, properties: readonly PluginProperty[], context: PluginCallContext): Promise<PaymentMethodPlugin | null>;
  setDefaultPaymentMethod(kbAccountId: string, kbPaymentMethodId: string, properties: readonly PluginProperty[], context: PluginCallContext): Promise<void>;
  /** The account's payment methods as the gateway knows them (`refreshFromGateway`: ask the gateway, not a cache). */
  getPaymentMethods(kbAccountId: string, refreshFromGateway: boolean, properties: readonly PluginProperty[], context: PluginCallContext): Promise<PaymentMethodInfoPlugin[]>;
  /** Optional: payment methods the gateway finds for a search key. */
  searchPaymentMethods?(searchKey: string, offset: number, limit: number, properties: readonly PluginProperty[], context: PluginCallContext): Promise<PluginPage<PaymentMethodPlugin>>;
  /** After a refresh: the methods Kill Bill now holds for the account, with their Kill Bill ids. */
  resetPaymentMethods(kbAccountId: string, paymentMethods: readonly PaymentMethodInfoPlugin[], properties: readonly PluginProperty[], context: PluginCallContext): Promise<void>;

  /** The hosted payment page form to redirect a customer to. */
  buildFormDescriptor(kbAccountId: string, customFields: readonly PluginProperty[], properties: readonly PluginProperty[], context: PluginCallContext): Promise<HostedPaymentPageFormDescriptor>;
  /** A notification the gateway posted to `/paymentGateways/notification/{pluginName}`; the answer tells how to reply to it. */
  processNotification(notification: string, properties: readonly PluginProperty[], context: PluginCallContext): Promise<GatewayNotification>;
}

/** Kill Bill's PluginProperty: a key and a value (strings over HTTP; plugins may pass anything). */
export interface PluginProperty {
  readonly key: string;
  readonly value: unknown;
  readonly isUpdatable?: boolean;
}

/** Who calls, for which tenant, when (Kill Bill's CallContext / TenantContext as plugins see it). */
export interface PluginCallContext {
  readonly tenantId: string | null;
  readonly tenantRecordId: number;
  /** The server clock's now (the test clock in test mode). */
  readonly createdDate: Date;
  readonly userName: string | null;
  readonly reasonCode: string | null;
  readonly comments: string | null;
}

/** The arguments of a transaction call (Kill Bill passes them positionally). */
export interface PaymentTransactionCall {
  readonly kbAccountId: string;
  readonly kbPaymentId: string;
  readonly kbTransactionId: string;
  readonly kbPaymentMethodId: string;
  /** Absent for a void. */
  readonly amount: Big | null;
  readonly currency: string | null;
  readonly properties: readonly PluginProperty[];
  readonly context: PluginCallContext;
}

/** Kill Bill's PaymentPluginStatus (what the gateway said of a transaction): the payment engine's. */
import type { PaymentPluginStatus } from '../engine/model';
export type { PaymentPluginStatus };

/** Kill Bill's TransactionType as plugins see it. */
export type PluginTransactionType = 'AUTHORIZE' | 'CAPTURE' | 'PURCHASE' | 'VOID' | 'REFUND' | 'CREDIT' | 'CHARGEBACK';

/** Kill Bill's PaymentTransactionInfoPlugin: the gateway's answer for one transaction. */
export interface PaymentTransactionInfoPlugin {
  readonly kbPaymentId: string;
  readonly kbTransactionPaymentId: string;
  readonly transactionType: PluginTransactionType;
  /** What the gateway processed (Kill Bill's getAmount), which may differ from what was asked for. */
  readonly processedAmount: Big | null;
  /** Kill Bill's getCurrency. */
  readonly processedCurrency: string | null;
  readonly effectiveDate: Date | null;
  readonly createdDate: Date | null;
  /** null is read as UNDEFINED (the transaction ends UNKNOWN). */
  readonly status: PaymentPluginStatus | null;
  readonly gatewayError: string | null;
  readonly gatewayErrorCode: string | null;
  readonly firstPaymentReferenceId: string | null;
  readonly secondPaymentReferenceId: string | null;
  readonly properties: readonly PluginProperty[];
}

/** Kill Bill's PaymentMethodPlugin: the gateway's detail of a payment method. */
export interface PaymentMethodPlugin {
  readonly kbPaymentMethodId: string | null;
  readonly externalPaymentMethodId: string | null;
  readonly isDefaultPaymentMethod: boolean;
  readonly properties: readonly PluginProperty[];
}

/** Kill Bill's PaymentMethodInfoPlugin: one entry of getPaymentMethods (kbPaymentMethodId null: unknown to Kill Bill). */
export interface PaymentMethodInfoPlugin {
  readonly accountId: string;
  readonly paymentMethodId: string | null;
  readonly isDefault: boolean;
  readonly externalPaymentMethodId: string | null;
}

export interface HostedPaymentPageFormDescriptor {
  readonly kbAccountId: string;
  readonly formMethod: string | null;
  readonly formUrl: string | null;
  readonly formFields: readonly PluginProperty[];
  readonly properties: readonly PluginProperty[];
}

/** Kill Bill's GatewayNotification: how to answer the gateway (status, body, headers). */
export interface GatewayNotification {
  readonly kbPaymentId: string | null;
  readonly status: number;
  readonly entity: string | null;
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly properties: readonly PluginProperty[];
}

export interface PluginPage<T> {
  readonly offset: number;
  readonly total: number;
  readonly maxNbRecords: number;
  readonly items: readonly T[];
}

/** Kill Bill's PaymentPluginApiException: a plugin that failed to process a call (error type and message). */
export class PaymentPluginApiException extends Error {
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
  ) {
    super(`${errorType}: ${errorMessage}`);
    this.name = 'PaymentPluginApiException';
  }
}

/** A plugin call that did not answer within `org.killbill.payment.plugin.timeout`. */
export class PaymentPluginTimeoutException extends Error {
  constructor(
    readonly pluginName: string,
    readonly method: string,
    readonly timeoutMillis: number,
  ) {
    super(`Plugin ${pluginName} did not answer ${method} within ${timeoutMillis} ms`);
    this.name = 'PaymentPluginTimeoutException';
  }
}

/** The value of the first property with that key, as Kill Bill's PluginProperties.findPluginPropertyValue. */
export function pluginPropertyValue(properties: readonly PluginProperty[], key: string): unknown {
  return properties.find((property) => property.key === key)?.value;
}

/**
 * The `pluginProperty` query values (`key=value`) as Kill Bill's extractPluginProperties reads them:
 * split at every `=`, trailing empty parts dropped (Java's split), an entry without a value skipped,
 * the value re-joined with `=` (plus one more when the text ends with `=`).
 */
export function parsePluginProperties(values: readonly string[] | string | undefined): PluginProperty[] {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  const properties: PluginProperty[] = [];
  for (const text of list as readonly string[]) {
    const parts = text.split('=');
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length <= 1) continue;
    const value = parts.slice(1).join('=') + (text.endsWith('=') ? '=' : '');
    properties.push({ key: parts[0], value, isUpdatable: false });
  }
  return properties;
}
