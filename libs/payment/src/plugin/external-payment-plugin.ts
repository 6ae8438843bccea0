import Big from 'big.js';
import { PaymentConfig } from '../payment-config';
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
  type PluginProperty,
  type PluginTransactionType,
} from './payment-plugin-api';
import { noFormDescriptor, noOpNotification, sleep, transactionInfo } from './plugin-results';

export const EXTERNAL_PAYMENT_PLUGIN_NAME = '__EXTERNAL_PAYMENT__';

/** The plugin properties that make the external plugin fail on purpose (set to "true"). */
export const EXTERNAL_PAYMENT_TEST_PROPERTIES = {
  error: 'killbill.external.payment.fail.error',
  exception: 'killbill.external.payment.fail.exception',
  cancellation: 'killbill.external.payment.fail.cancellation',
  timeout: 'killbill.external.payment.fail.timeout',
} as const;

/**
 * Kill Bill's `__EXTERNAL_PAYMENT__`: records money received outside Kill Bill. Every transaction is
 * PROCESSED for the amount asked, unless a test property says otherwise; it keeps nothing, so
 * getPaymentInfo knows of no transaction and payment methods have no gateway detail.
 */
export class ExternalPaymentPlugin implements PaymentPluginApi {
  constructor(private readonly config: PaymentConfig) {}

  authorizePayment(call: PaymentTransactionCall) {
    return this.transaction(call, 'AUTHORIZE');
  }
  capturePayment(call: PaymentTransactionCall) {
    return this.transaction(call, 'CAPTURE');
  }
  purchasePayment(call: PaymentTransactionCall) {
    return this.transaction(call, 'PURCHASE');
  }
  voidPayment(call: PaymentTransactionCall) {
    return this.transaction({ ...call, currency: null }, 'VOID', new Big(0));
  }
  creditPayment(call: PaymentTransactionCall) {
    return this.transaction(call, 'CREDIT');
  }
  refundPayment(call: PaymentTransactionCall) {
    return this.transaction(call, 'REFUND');
  }

  async getPaymentInfo(): Promise<PaymentTransactionInfoPlugin[]> {
    return [];
  }

  async searchPayments(_searchKey: string, offset: number) {
    return { offset, total: 0, maxNbRecords: 0, items: [] };
  }

  async addPaymentMethod(): Promise<void> {}
  async deletePaymentMethod(): Promise<void> {}

  async getPaymentMethodDetail(_kbAccountId: string, kbPaymentMethodId: string): Promise<PaymentMethodPlugin> {
    return { kbPaymentMethodId, externalPaymentMethodId: 'unknown', isDefaultPaymentMethod: false, properties: [] };
  }

  async setDefaultPaymentMethod(): Promise<void> {}

  async getPaymentMethods(): Promise<PaymentMethodInfoPlugin[]> {
    return [];
  }

  async searchPaymentMethods(_searchKey: string, offset: number) {
    return { offset, total: 0, maxNbRecords: 0, items: [] };
  }

  async resetPaymentMethods(): Promise<void> {}

  async buildFormDescriptor(kbAccountId: string): Promise<HostedPaymentPageFormDescriptor> {
    return noFormDescriptor(kbAccountId);
  }

  async processNotification(): Promise<GatewayNotification> {
    return noOpNotification();
  }

  private async transaction(call: PaymentTransactionCall, type: PluginTransactionType, processed: Big | null = call.amount): Promise<PaymentTransactionInfoPlugin> {
    return transactionInfo(call, type, await this.statusFor(call.properties), processed);
  }

  private async statusFor(properties: readonly PluginProperty[]): Promise<PaymentPluginStatus> {
    const isSet = (key: string) => properties.some((property) => property.key === key && property.value === 'true');
    if (isSet(EXTERNAL_PAYMENT_TEST_PROPERTIES.error)) return 'ERROR';
    if (isSet(EXTERNAL_PAYMENT_TEST_PROPERTIES.exception)) {
      throw new PaymentPluginApiException('Failed to process payment', `Triggered from ${EXTERNAL_PAYMENT_TEST_PROPERTIES.exception}`);
    }
    if (isSet(EXTERNAL_PAYMENT_TEST_PROPERTIES.cancellation)) return 'CANCELED';
    // Past the timeout the caller has already given up: the answer that follows is dropped.
    if (isSet(EXTERNAL_PAYMENT_TEST_PROPERTIES.timeout)) await sleep(this.config.pluginTimeoutMillis() + 1000);
    return 'PROCESSED';
  }
}
