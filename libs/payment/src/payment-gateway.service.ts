import { Injectable } from '@nestjs/common';
import { KillBillException, tenantRepository, Transactions } from '@kb/platform';
import { AccountRow } from '@kb/account';
import { PaymentMethodRow } from './payment.entity';
import { PaymentMethodService } from './payment-method.service';
import { PaymentPluginRegistry } from './plugin/payment-plugin-registry';
import { type GatewayNotification, type HostedPaymentPageFormDescriptor, PaymentPluginApiException, PaymentPluginTimeoutException, type PluginProperty } from './plugin/payment-plugin-api';

/** Kill Bill's PaymentGatewayApi: hosted payment pages and gateway notifications, answered by the payment method's plugin. */
@Injectable()
export class PaymentGatewayService {
  constructor(
    private readonly transactions: Transactions,
    private readonly plugins: PaymentPluginRegistry,
    private readonly paymentMethods: PaymentMethodService,
  ) {}

  /** POST /paymentGateways/hosted/form/{accountId}: the plugin of the given method (default: the account's default method). */
  async buildFormDescriptor(accountId: string, paymentMethodId: string | undefined, customFields: readonly PluginProperty[], properties: readonly PluginProperty[]): Promise<HostedPaymentPageFormDescriptor> {
    const manager = this.transactions.manager();
    const account = await tenantRepository(manager, AccountRow).findOne({ where: { id: accountId } });
    if (!account) throw new KillBillException('ACCOUNT_DOES_NOT_EXIST_FOR_ID', [accountId]);
    const methodId = paymentMethodId ?? account.paymentMethodId;
    if (!methodId) throw new KillBillException('PAYMENT_NO_DEFAULT_PAYMENT_METHOD', [accountId]);
    const method = await tenantRepository(manager, PaymentMethodRow).findOne({ where: { id: methodId, isActive: true } });
    if (!method) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT_METHOD', [methodId]);
    if (method.accountId !== accountId) throw new KillBillException('PAYMENT_METHOD_DIFFERENT_ACCOUNT_ID', [methodId]);
    const plugin = this.plugins.require(method.pluginName);
    return this.call(accountId, () => plugin.buildFormDescriptor(accountId, customFields, properties, this.paymentMethods.pluginContext()));
  }

  /** POST /paymentGateways/notification/{pluginName}: the payload is opaque here, the plugin reads it and says how to answer. */
  async processNotification(pluginName: string, notification: string, properties: readonly PluginProperty[]): Promise<GatewayNotification> {
    const plugin = this.plugins.require(pluginName);
    return this.call(pluginName, () => plugin.processNotification(notification, properties, this.paymentMethods.pluginContext()));
  }

  private async call<T>(subject: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof PaymentPluginTimeoutException) throw new KillBillException('PAYMENT_PLUGIN_TIMEOUT', [subject, error.message]);
      if (error instanceof PaymentPluginApiException) throw new KillBillException('PAYMENT_PLUGIN_EXCEPTION', [error.errorMessage]);
      throw error;
    }
  }
}
