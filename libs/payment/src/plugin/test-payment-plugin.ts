import Big from 'big.js';
import {
  type GatewayNotification,
  type HostedPaymentPageFormDescriptor,
  type PaymentMethodInfoPlugin,
  type PaymentMethodPlugin,
  type PaymentPluginApi,
  PaymentPluginApiException,
  type PaymentPluginStatus,
  type PaymentTransactionCall,
  type PaymentTransactionInfoPlugin,
  type PluginCallContext,
  type PluginProperty,
  type PluginTransactionType,
} from './payment-plugin-api';
import { noFormDescriptor, noOpNotification, sleep, transactionInfo } from './plugin-results';
import type { TestPluginLedger } from './test-plugin-ledger';

export const TEST_PAYMENT_PLUGIN_NAME = 'killbill-payment-test';

/** How `GET /pluginsInfo` lists it (the bundle of Kill Bill's Java test plugin). */
export const TEST_PAYMENT_PLUGIN_DESCRIPTION = { bundleSymbolicName: 'org.kill-bill.billing.plugin.java.payment-test-plugin', pluginKey: 'payment-test', version: '1.0.0' };

/** The test plugin's actions (Kill Bill's TestingStates.Actions). */
export const TEST_PLUGIN_ACTIONS = [
  'ACTION_RETURN_PLUGIN_STATUS_PENDING',
  'ACTION_RETURN_PLUGIN_STATUS_ERROR',
  'ACTION_RETURN_PLUGIN_STATUS_CANCELED',
  'ACTION_THROW_EXCEPTION',
  'RETURN_NIL',
  'ACTION_SLEEP',
  'ACTION_CLEAR',
] as const;
export type TestPluginAction = (typeof TEST_PLUGIN_ACTIONS)[number];

export function isTestPluginAction(value: unknown): value is TestPluginAction {
  return typeof value === 'string' && (TEST_PLUGIN_ACTIONS as readonly string[]).includes(value);
}

/** The methods a global action may name (`METHODS` of the configure call). */
export const TEST_PLUGIN_METHODS: readonly (keyof PaymentPluginApi)[] = [
  'authorizePayment',
  'capturePayment',
  'purchasePayment',
  'voidPayment',
  'creditPayment',
  'refundPayment',
  'getPaymentInfo',
  'searchPayments',
  'addPaymentMethod',
  'deletePaymentMethod',
  'getPaymentMethodDetail',
  'setDefaultPaymentMethod',
  'getPaymentMethods',
  'searchPaymentMethods',
  'resetPaymentMethods',
  'buildFormDescriptor',
  'processNotification',
];

const ALL_METHODS = '*';
const SLEEP_PROPERTY = 'sleepFor';
const AMOUNT_PROPERTY = 'amount';

/** The body of `POST /plugins/killbill-payment-test/configure`. */
export interface TestPluginConfiguration {
  readonly action: TestPluginAction | null;
  readonly method: string | null;
  readonly sleepSeconds: number;
  readonly amount: Big | null;
}

/** What `GET /plugins/killbill-payment-test/status` shows (Kill Bill's TestingStates as JSON). */
export interface TestPluginStatus {
  readonly states: Record<string, TestPluginAction>;
  readonly sleeps: Record<string, number>;
  readonly amounts: Record<string, string>;
}

/**
 * Kill Bill's killbill-payment-test plugin: answers PROCESSED for the amount asked, unless a per-call
 * property (key = action, value empty, `*` or the method name) or the global configuration says
 * otherwise. As in Kill Bill the global configuration lives in the plugin's memory: it is per server
 * process (per node), for every tenant, and lost on restart. The answers it gave are what a gateway
 * records: they go to its ledger (in the database, shared by the nodes and kept across restarts) when
 * the transaction is processed, before the configured sleep delays the answer, and are what
 * getPaymentInfo reports. So a node that dies while waiting for the answer leaves a charge the
 * janitor of another node finds.
 */
export class TestPaymentPlugin implements PaymentPluginApi {
  private readonly states = new Map<string, TestPluginAction>();
  private readonly sleeps = new Map<string, number>();
  private readonly amounts = new Map<string, Big>();
  private readonly paymentMethods = new Map<string, Map<string, { readonly isDefault: boolean; readonly active: boolean }>>();

  constructor(private readonly ledger: TestPluginLedger) {}

  /** Applies a configure call; false when it names an unknown method (Kill Bill answers 400). */
  configure({ action, method, sleepSeconds, amount }: TestPluginConfiguration): boolean {
    if (method !== null && !(TEST_PLUGIN_METHODS as readonly string[]).includes(method)) return false;
    const key = method ?? ALL_METHODS;
    if (action === 'ACTION_CLEAR') {
      for (const map of [this.states, this.sleeps, this.amounts]) {
        if (method === null) map.clear();
        else map.delete(method);
      }
    } else if (action !== null) {
      this.states.set(key, action);
    } else if (sleepSeconds === 0 && amount === null) {
      return false;
    }
    if (action !== 'ACTION_CLEAR') {
      if (sleepSeconds !== 0) this.sleeps.set(key, sleepSeconds);
      if (amount !== null) this.amounts.set(key, amount);
    }
    return true;
  }

  status(): TestPluginStatus {
    return {
      states: Object.fromEntries(this.states),
      sleeps: Object.fromEntries(this.sleeps),
      amounts: Object.fromEntries([...this.amounts].map(([key, value]) => [key, value.toString()])),
    };
  }

  authorizePayment(call: PaymentTransactionCall) {
    return this.transaction('authorizePayment', 'AUTHORIZE', call);
  }
  capturePayment(call: PaymentTransactionCall) {
    return this.transaction('capturePayment', 'CAPTURE', call);
  }
  purchasePayment(call: PaymentTransactionCall) {
    return this.transaction('purchasePayment', 'PURCHASE', call);
  }
  voidPayment(call: PaymentTransactionCall) {
    return this.transaction('voidPayment', 'VOID', { ...call, amount: null, currency: null });
  }
  creditPayment(call: PaymentTransactionCall) {
    return this.transaction('creditPayment', 'CREDIT', call);
  }
  refundPayment(call: PaymentTransactionCall) {
    return this.transaction('refundPayment', 'REFUND', call);
  }

  async getPaymentInfo(_kbAccountId: string, kbPaymentId: string, _properties: readonly PluginProperty[], context: PluginCallContext): Promise<PaymentTransactionInfoPlugin[]> {
    return this.ledger.answers(context.tenantRecordId, kbPaymentId);
  }

  async addPaymentMethod(kbAccountId: string, kbPaymentMethodId: string, _detail: PaymentMethodPlugin | null, setDefault: boolean, _properties: readonly PluginProperty[], context: PluginCallContext): Promise<void> {
    this.methodsOf(kbAccountId, context).set(kbPaymentMethodId, { isDefault: setDefault, active: true });
  }

  async deletePaymentMethod(kbAccountId: string, kbPaymentMethodId: string, _properties: readonly PluginProperty[], context: PluginCallContext): Promise<void> {
    const methods = this.methodsOf(kbAccountId, context);
    const known = methods.get(kbPaymentMethodId);
    if (known) methods.set(kbPaymentMethodId, { ...known, active: false });
  }

  async getPaymentMethodDetail(_kbAccountId: string, kbPaymentMethodId: string): Promise<PaymentMethodPlugin> {
    return { kbPaymentMethodId, externalPaymentMethodId: null, isDefaultPaymentMethod: false, properties: [] };
  }

  async setDefaultPaymentMethod(kbAccountId: string, kbPaymentMethodId: string, _properties: readonly PluginProperty[], context: PluginCallContext): Promise<void> {
    const methods = this.methodsOf(kbAccountId, context);
    for (const [id, method] of methods) methods.set(id, { ...method, isDefault: id === kbPaymentMethodId });
  }

  /** The methods Kill Bill added through this plugin and did not delete, with their Kill Bill ids. */
  async getPaymentMethods(kbAccountId: string, _refresh: boolean, _properties: readonly PluginProperty[], context: PluginCallContext): Promise<PaymentMethodInfoPlugin[]> {
    return [...this.methodsOf(kbAccountId, context)]
      .filter(([, method]) => method.active)
      .map(([paymentMethodId, method]) => ({ accountId: kbAccountId, paymentMethodId, isDefault: method.isDefault, externalPaymentMethodId: null }));
  }

  async resetPaymentMethods(kbAccountId: string, paymentMethods: readonly PaymentMethodInfoPlugin[], _properties: readonly PluginProperty[], context: PluginCallContext): Promise<void> {
    const methods = this.methodsOf(kbAccountId, context);
    methods.clear();
    for (const method of paymentMethods) if (method.paymentMethodId) methods.set(method.paymentMethodId, { isDefault: method.isDefault, active: true });
  }

  async buildFormDescriptor(kbAccountId: string): Promise<HostedPaymentPageFormDescriptor> {
    return noFormDescriptor(kbAccountId);
  }

  async processNotification(): Promise<GatewayNotification> {
    return noOpNotification();
  }

  private methodsOf(kbAccountId: string, context: PluginCallContext) {
    const key = `${context.tenantRecordId}/${kbAccountId}`;
    let methods = this.paymentMethods.get(key);
    if (!methods) this.paymentMethods.set(key, (methods = new Map()));
    return methods;
  }

  /** The gateway processes the call (and records it) at once; the answer comes after the sleep, if any. */
  private async transaction(method: string, type: PluginTransactionType, call: PaymentTransactionCall): Promise<PaymentTransactionInfoPlugin | null> {
    const action = this.actionFor(method, call.properties);
    const status = statusOf(action);
    const info = status === null ? null : transactionInfo(call, type, status, call.amount === null ? null : (this.amountFor(method, call.properties) ?? call.amount));
    if (info !== null) await this.ledger.record(call.context.tenantRecordId, info);
    const sleepSeconds = this.sleepSecondsFor(method, call.properties);
    if (sleepSeconds > 0) await sleep(sleepSeconds * 1000);
    if (action === 'ACTION_THROW_EXCEPTION') throw new PaymentPluginApiException('test', `${action} for ${method}`);
    return info;
  }

  /** The per-call action first, then the method's global one, then the global one for every method. */
  private actionFor(method: string, properties: readonly PluginProperty[]): TestPluginAction | undefined {
    const fromCall = properties.find((property) => isTestPluginAction(property.key) && appliesTo(property.value, method));
    if (fromCall) return fromCall.key as TestPluginAction;
    return this.states.get(method) ?? this.states.get(ALL_METHODS);
  }

  private sleepSecondsFor(method: string, properties: readonly PluginProperty[]): number {
    const sleepsThisCall = properties.some((property) => property.key === 'ACTION_SLEEP' && appliesTo(property.value, method));
    const fromCall = sleepsThisCall ? Number(properties.find((property) => property.key === SLEEP_PROPERTY)?.value ?? 0) : 0;
    if (fromCall > 0) return fromCall;
    return this.sleeps.get(method) ?? this.sleeps.get(ALL_METHODS) ?? 0;
  }

  private amountFor(method: string, properties: readonly PluginProperty[]): Big | null {
    const fromCall = properties.find((property) => property.key === AMOUNT_PROPERTY)?.value;
    if (typeof fromCall === 'string') {
      try {
        return new Big(fromCall);
      } catch {
        throw new PaymentPluginApiException('test', `Invalid amount ${fromCall}`);
      }
    }
    return this.amounts.get(method) ?? this.amounts.get(ALL_METHODS) ?? null;
  }
}

/** The status an action makes the plugin answer; null: no answer (RETURN_NIL, or the exception thrown). */
function statusOf(action: TestPluginAction | undefined): PaymentPluginStatus | null {
  switch (action) {
    case undefined:
      return 'PROCESSED';
    case 'RETURN_NIL':
    case 'ACTION_THROW_EXCEPTION':
      return null;
    case 'ACTION_RETURN_PLUGIN_STATUS_CANCELED':
      return 'CANCELED';
    case 'ACTION_RETURN_PLUGIN_STATUS_PENDING':
      return 'PENDING';
    case 'ACTION_RETURN_PLUGIN_STATUS_ERROR':
      return 'ERROR';
    default:
      // As Kill Bill's: ACTION_SLEEP (once the sleep is over) answers UNDEFINED.
      return 'UNDEFINED';
  }
}

/** A per-call action applies when its value is empty, `*` or the method's name. */
function appliesTo(value: unknown, method: string): boolean {
  return value === null || value === undefined || value === '' || value === ALL_METHODS || value === method;
}
