import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountModule } from '@kb/account';
import { TagModule } from '@kb/tag';
import { InvoiceModule } from '@kb/invoice';
import { ObjectRegistry, Transactions } from '@kb/platform';
import { PaymentAttemptRow, PaymentMethodRow, PaymentRow, PaymentTransactionRow } from './payment.entity';
import { PaymentConfig } from './payment-config';
import { PaymentPluginRegistry } from './plugin/payment-plugin-registry';
import { EXTERNAL_PAYMENT_PLUGIN_NAME, ExternalPaymentPlugin } from './plugin/external-payment-plugin';
import { TEST_PAYMENT_PLUGIN_DESCRIPTION, TEST_PAYMENT_PLUGIN_NAME, TestPaymentPlugin } from './plugin/test-payment-plugin';
import { TestPluginLedger } from './plugin/test-plugin-ledger';
import { PaymentMethodService } from './payment-method.service';
import { PaymentGatewayService } from './payment-gateway.service';
import { PaymentQueryService } from './payment-query.service';
import { PaymentProcessor } from './payment-processor';
import { InvoicePaymentService } from './invoice-payment.service';
import { InvoicePaymentRefundService } from './invoice-payment-refunds.service';
import { PaymentJanitor } from './payment-janitor';
import { PaymentCompletionService } from './payment-completion.service';
import { AdminPaymentService } from './payment-admin.service';
import { ComboPaymentService } from './combo-payment.service';
import { PaymentRetryService } from './payment-retry.service';
import { InvoicePaymentAutoPayOff } from './invoice-payment-auto-pay-off';

/** The test plugin of a test-mode server (one per process: its configuration is the node's, as in Kill Bill). */
export const TEST_PAYMENT_PLUGIN = Symbol('TEST_PAYMENT_PLUGIN');

/** Kill Bill's payment module: payment plugins, payment methods, gateways (payments themselves build on these). */
@Module({
  imports: [AccountModule, TagModule, InvoiceModule],
  providers: [
    PaymentConfig,
    PaymentPluginRegistry,
    PaymentMethodService,
    PaymentGatewayService,
    PaymentQueryService,
    PaymentProcessor,
    InvoicePaymentService,
    InvoicePaymentRefundService,
    PaymentJanitor,
    PaymentCompletionService,
    AdminPaymentService,
    ComboPaymentService,
    PaymentRetryService,
    InvoicePaymentAutoPayOff,
    { provide: TEST_PAYMENT_PLUGIN, useFactory: (dataSource: DataSource) => new TestPaymentPlugin(new TestPluginLedger(dataSource)), inject: [DataSource] },
  ],
  exports: [PaymentConfig, PaymentPluginRegistry, PaymentMethodService, PaymentGatewayService, PaymentQueryService, PaymentProcessor, InvoicePaymentService, InvoicePaymentRefundService, PaymentJanitor, PaymentRetryService, PaymentCompletionService, AdminPaymentService, ComboPaymentService, TEST_PAYMENT_PLUGIN],
})
export class PaymentModule implements OnModuleInit {
  constructor(
    private readonly registry: ObjectRegistry,
    private readonly transactions: Transactions,
    private readonly plugins: PaymentPluginRegistry,
    private readonly config: PaymentConfig,
    @Inject(TEST_PAYMENT_PLUGIN) private readonly testPlugin: TestPaymentPlugin,
  ) {}

  onModuleInit(): void {
    this.plugins.register(EXTERNAL_PAYMENT_PLUGIN_NAME, new ExternalPaymentPlugin(this.config));
    if (this.config.testMode()) this.plugins.register(TEST_PAYMENT_PLUGIN_NAME, this.testPlugin, TEST_PAYMENT_PLUGIN_DESCRIPTION);
    this.registry.register('PAYMENT_METHOD', (id, tenantRecordId) => this.ref(PaymentMethodRow, 'PAYMENT_METHOD', id, tenantRecordId));
    this.registry.register('PAYMENT', (id, tenantRecordId) => this.ref(PaymentRow, 'PAYMENT', id, tenantRecordId));
    this.registry.register('TRANSACTION', (id, tenantRecordId) => this.ref(PaymentTransactionRow, 'TRANSACTION', id, tenantRecordId));
    this.registry.register('PAYMENT_ATTEMPT', (id, tenantRecordId) => this.ref(PaymentAttemptRow, 'PAYMENT_ATTEMPT', id, tenantRecordId));
  }

  /** Lets tags, custom fields and audit find payment objects without importing this module. */
  private async ref(
    entity: typeof PaymentMethodRow | typeof PaymentRow | typeof PaymentTransactionRow | typeof PaymentAttemptRow,
    objectType: 'PAYMENT_METHOD' | 'PAYMENT' | 'TRANSACTION' | 'PAYMENT_ATTEMPT',
    id: string,
    tenantRecordId: number,
  ) {
    const row = await this.transactions.manager().getRepository<PaymentRow>(entity).findOne({ where: { id, tenantRecordId } });
    return row ? { objectType, id: row.id, recordId: row.recordId, accountRecordId: row.accountRecordId, tenantRecordId: row.tenantRecordId } : undefined;
  }
}
