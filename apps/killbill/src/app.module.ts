import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import {
  AccessGuard,
  BodyRequiredGuard,
  CallContextGuard,
  ClockRefreshInterceptor,
  createRootLogger,
  HttpRequestMiddleware,
  KillBillConfig,
  KillBillExceptionFilter,
  loggingModule,
  PlatformModule,
  type RootLogger,
} from '@kb/platform';
import { SECURITY_ENTITIES, SECURITY_MIGRATIONS, SecurityModule } from '@kb/security';
import { TENANT_ENTITIES, TENANT_MIGRATIONS, TenantModule } from '@kb/tenant';
import { ACCOUNT_ENTITIES, ACCOUNT_MIGRATIONS } from '@kb/account';
import { ENTITLEMENT_ENTITIES, ENTITLEMENT_MIGRATIONS } from '@kb/entitlement';
import { USAGE_ENTITIES, USAGE_MIGRATIONS } from '@kb/usage';
import { INVOICE_ENTITIES, INVOICE_MIGRATIONS, InvoiceModule } from '@kb/invoice';
import { PAYMENT_ENTITIES, PAYMENT_MIGRATIONS } from '@kb/payment';
import { NotificationModule } from '@kb/notification';
import { AccountResourceModule } from './resources/account/account.resource.module';
import { TAG_ENTITIES, TAG_MIGRATIONS } from '@kb/tag';
import { CUSTOM_FIELD_ENTITIES, CUSTOM_FIELD_MIGRATIONS } from '@kb/custom-field';
import { AccountMetadataResourceModule } from './resources/account-metadata/account-metadata.resource.module';
import { CustomFieldResourceModule } from './resources/custom-field/custom-field.resource.module';
import { TagDefinitionResourceModule } from './resources/tag-definition/tag-definition.resource.module';
import { TagResourceModule } from './resources/tag/tag.resource.module';
import { CATALOG_ENTITIES, CATALOG_MIGRATIONS, CatalogModule } from '@kb/catalog';
import { AdminResourceModule } from './resources/admin/admin.resource.module';
import { CatalogResourceModule } from './resources/catalog/catalog.resource.module';
import { HealthResourceModule } from './resources/health/health.resource.module';
import { MetricsResourceModule } from './resources/metrics/metrics.resource.module';
import { SecurityResourceModule } from './resources/security/security.resource.module';
import { TenantResourceModule } from './resources/tenant/tenant.resource.module';
import { TestResourceModule } from './resources/test/test.resource.module';
import { BundleResourceModule } from './resources/bundle/bundle.resource.module';
import { AccountTimelineResourceModule } from './resources/account-timeline/account-timeline.resource.module';
import { SubscriptionResourceModule } from './resources/subscription/subscription.resource.module';
import { InvoiceResourceModule } from './resources/invoice/invoice.resource.module';
import { UsageResourceModule } from './resources/usage/usage.resource.module';
import { CreditResourceModule } from './resources/credit/credit.resource.module';
import { InvoiceTemplateResourceModule } from './resources/invoice-template/invoice-template.resource.module';
import { PaymentMethodResourceModule } from './resources/payment-method/payment-method.resource.module';
import { PaymentReadResourceModule } from './resources/payment/payment.resource.module';
import { PaymentWritesResourceModule } from './resources/payment-writes/payment-writes.resource.module';
import { PaymentGatewayResourceModule } from './resources/payment-gateway/payment-gateway.resource.module';
import { PluginInfoResourceModule } from './resources/plugin-info/plugin-info.resource.module';
import { ExportResourceModule } from './resources/export/export.resource.module';
import { NodesInfoResourceModule } from './resources/nodes-info/nodes-info.resource.module';
import { OverdueResourceModule } from './resources/overdue/overdue.resource.module';

/** Every table of the server, in dependency order of their migrations. */
export const ALL_ENTITIES = [...TENANT_ENTITIES, ...SECURITY_ENTITIES, ...ACCOUNT_ENTITIES, ...CATALOG_ENTITIES, ...ENTITLEMENT_ENTITIES, ...USAGE_ENTITIES, ...INVOICE_ENTITIES, ...PAYMENT_ENTITIES, ...TAG_ENTITIES, ...CUSTOM_FIELD_ENTITIES];
export const ALL_MIGRATIONS = [...TENANT_MIGRATIONS, ...SECURITY_MIGRATIONS, ...ACCOUNT_MIGRATIONS, ...CATALOG_MIGRATIONS, ...ENTITLEMENT_MIGRATIONS, ...USAGE_MIGRATIONS, ...INVOICE_MIGRATIONS, ...PAYMENT_MIGRATIONS, ...TAG_MIGRATIONS, ...CUSTOM_FIELD_MIGRATIONS];

export interface AppOptions {
  readonly config: KillBillConfig;
  readonly databaseUrl: string;
  /** More providers (tests: queue subscribers and handlers discovered like any other). */
  readonly extraProviders?: readonly Provider[];
  /** Modules mounted next to the server's (tests mount resources of their own this way). */
  readonly extraModules?: readonly (Type | DynamicModule)[];
  /** The root logger (main.ts shares its own; by default one is made from the configuration). */
  readonly logger?: RootLogger;
}

@Module({})
export class AppModule implements NestModule {
  static register({ config, databaseUrl, extraProviders = [], extraModules = [], logger = createRootLogger(config.server) }: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        loggingModule(logger),
        PlatformModule.forRoot({ config, database: { url: databaseUrl, entities: ALL_ENTITIES, migrations: ALL_MIGRATIONS } }),
        TenantModule,
        SecurityModule,
        CatalogModule,
        InvoiceModule,
        NotificationModule,
        TenantResourceModule,
        SecurityResourceModule,
        AccountResourceModule,
        AdminResourceModule,
        CatalogResourceModule,
        HealthResourceModule,
        MetricsResourceModule,
        TagDefinitionResourceModule,
        TagResourceModule,
        CustomFieldResourceModule,
        AccountMetadataResourceModule,
        SubscriptionResourceModule,
        BundleResourceModule,
        AccountTimelineResourceModule,
        // Before any invoice resource: its `/invoices/:invoiceId` must not take `/invoices/template`.
        InvoiceTemplateResourceModule,
        InvoiceResourceModule,
        UsageResourceModule,
        CreditResourceModule,
        PaymentMethodResourceModule,
        PaymentReadResourceModule,
        PaymentWritesResourceModule,
        PaymentGatewayResourceModule,
        OverdueResourceModule,
        PluginInfoResourceModule.register(config.testMode),
        ExportResourceModule,
        NodesInfoResourceModule,
        ...(config.testMode ? [TestResourceModule] : []),
        ...extraModules,
      ],
      providers: [
        // In this order: who calls (401/403), then the call's headers (400), then its body (415/400).
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: CallContextGuard },
        { provide: APP_GUARD, useClass: BodyRequiredGuard },
        ...(config.testMode ? [{ provide: APP_INTERCEPTOR, useClass: ClockRefreshInterceptor }] : []),
        { provide: APP_FILTER, useClass: KillBillExceptionFilter },
        ...extraProviders,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpRequestMiddleware).forRoutes('*');
  }
}
