import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccountService, type AccountRow } from '@kb/account';
import { allPhases, CatalogService, phaseName, type TenantCatalog } from '@kb/catalog';
import { currentTenant, InvalidRequestException, KillBillException, tenantRepository, Transactions } from '@kb/platform';
import { CONTROL_TAGS, TagRow } from '@kb/tag';
import { TenantKey, TenantKvService } from '@kb/tenant';
import { invoiceAmounts, type InvoiceItemRecord } from '../engine';
import { InvoiceStore } from '../invoice-store';
import { BUILT_IN_TEMPLATE_TRANSLATION, KILLBILL_INVOICE_TRANSLATION_EN_US } from './default-translation';
import { type HtmlInvoiceAccount, invoiceHtmlModel, type HtmlPrettyNames } from './invoice-html-model';
import { renderInvoiceHtml } from './invoice-renderer';
import { MalformedPropertiesError, parseJavaProperties } from './java-properties';
import { DEFAULT_LOCALE, InvalidLocaleError, type JavaLocale, localeKey, parseJavaLocale } from './locale';
import { Translator } from './translator';

/** A template or translation is already stored and the upload did not ask to replace it: Kill Bill's bare 400. */
export class TemplateAlreadyExists extends Error {}

/** No template or translation is stored under the key: Kill Bill's bare 404. */
export class TemplateNotFound extends Error {}

/** Kill Bill's built-in invoice bundle, plus the texts of the built-in template. */
const BUILT_IN_INVOICE_BUNDLE: ReadonlyMap<string, string> = new Map([
  ...parseJavaProperties(BUILT_IN_TEMPLATE_TRANSLATION),
  ...parseJavaProperties(KILLBILL_INVOICE_TRANSLATION_EN_US),
]);

/** Where the GET of an uploaded value answers; `{locale}` is the one the upload named (Kill Bill's default locale for the manual-pay template). */
export interface UploadedAt {
  readonly locale?: string;
}

/**
 * Kill Bill's invoice templates and translations, stored per tenant under its TenantKeys, and the
 * HTML rendering of an invoice with them (InvoiceResource, DefaultInvoiceUserApi.getInvoiceAsHTML,
 * HtmlInvoiceGenerator).
 */
@Injectable()
export class InvoiceTemplateService {
  constructor(
    private readonly transactions: Transactions,
    private readonly kv: TenantKvService,
    private readonly store: InvoiceStore,
    private readonly accounts: AccountService,
    private readonly catalogs: CatalogService,
  ) {}

  async uploadTemplate(body: unknown, deleteIfExists: boolean): Promise<UploadedAt> {
    await this.save(TenantKey.INVOICE_TEMPLATE, requireText(body, 'invoice template'), deleteIfExists);
    return {};
  }

  async uploadManualPayTemplate(body: unknown, deleteIfExists: boolean): Promise<UploadedAt> {
    await this.save(TenantKey.INVOICE_MP_TEMPLATE, requireText(body, 'manual pay invoice template'), deleteIfExists);
    return { locale: `${DEFAULT_LOCALE.language}_${DEFAULT_LOCALE.country}` };
  }

  async uploadInvoiceTranslation(locale: string, body: unknown, deleteIfExists: boolean): Promise<UploadedAt> {
    return this.uploadTranslation(TenantKey.INVOICE_TRANSLATION_, locale, body, deleteIfExists);
  }

  async uploadCatalogTranslation(locale: string, body: unknown, deleteIfExists: boolean): Promise<UploadedAt> {
    return this.uploadTranslation(TenantKey.CATALOG_TRANSLATION_, locale, body, deleteIfExists);
  }

  getTemplate(): Promise<string> {
    return this.stored(TenantKey.INVOICE_TEMPLATE);
  }

  /** Kill Bill ignores the locale of this path: one manual-pay template per tenant. */
  getManualPayTemplate(): Promise<string> {
    return this.stored(TenantKey.INVOICE_MP_TEMPLATE);
  }

  getInvoiceTranslation(locale: string): Promise<string> {
    return this.stored(localeKey(TenantKey.INVOICE_TRANSLATION_, requireLocale(locale)));
  }

  getCatalogTranslation(locale: string): Promise<string> {
    return this.stored(localeKey(TenantKey.CATALOG_TRANSLATION_, requireLocale(locale)));
  }

  /**
   * The invoice as HTML: the tenant's template (its manual-pay one for an account tagged
   * MANUAL_PAY) or the built-in one, with the texts of the account locale.
   */
  async invoiceHtml(invoiceId: string): Promise<string> {
    const tenantRecordId = currentTenant().recordId;
    const { loaded, account, manualPay } = await this.transactions.run(async (manager) => {
      const [found] = await this.store.byIds(manager, tenantRecordId, [invoiceId]);
      if (!found) throw new KillBillException('INVOICE_NOT_FOUND', [invoiceId]);
      return { loaded: found, account: await this.accounts.requireById(manager, found.record.accountId), manualPay: await hasManualPay(manager, found.record.accountId) };
    });
    const locale = accountLocale(account);
    const [template, invoiceBundle, defaultInvoiceBundle, catalogBundle, defaultCatalogBundle, catalog] = await Promise.all([
      this.value(manualPay ? TenantKey.INVOICE_MP_TEMPLATE : TenantKey.INVOICE_TEMPLATE),
      this.bundle(TenantKey.INVOICE_TRANSLATION_, locale),
      this.bundle(TenantKey.INVOICE_TRANSLATION_, DEFAULT_LOCALE),
      this.bundle(TenantKey.CATALOG_TRANSLATION_, locale),
      this.bundle(TenantKey.CATALOG_TRANSLATION_, DEFAULT_LOCALE),
      this.catalogs.catalog(),
    ]);
    const invoice = loaded.record;
    const model = invoiceHtmlModel({
      invoice,
      amounts: invoiceAmounts(invoice),
      account: toInvoiceAccount(account),
      locale,
      invoiceText: new Translator(invoiceBundle ?? BUILT_IN_INVOICE_BUNDLE, defaultInvoiceBundle ?? BUILT_IN_INVOICE_BUNDLE),
      catalogText: new Translator(catalogBundle, defaultCatalogBundle),
      prettyNames: (item) => prettyNamesOf(catalog, item, invoice.createdDate),
    });
    return renderInvoiceHtml(template, model);
  }

  private async uploadTranslation(prefix: string, locale: string, body: unknown, deleteIfExists: boolean): Promise<UploadedAt> {
    const text = requireText(body, 'translation');
    try {
      parseJavaProperties(text);
    } catch (error) {
      if (error instanceof MalformedPropertiesError) throw new InvalidRequestException(`Invalid translation: ${error.message}`);
      throw error;
    }
    await this.save(localeKey(prefix, requireLocale(locale)), text, deleteIfExists);
    return { locale };
  }

  /** Kill Bill's uploadTemplateResource: an existing value is replaced only when asked (deleted, then the new one added). */
  private async save(key: string, value: string, deleteIfExists: boolean): Promise<void> {
    await this.transactions.run(async () => {
      if ((await this.kv.get(key)).values.length > 0) {
        if (!deleteIfExists) throw new TemplateAlreadyExists(key);
        await this.kv.delete(key);
      }
      await this.kv.add(key, value);
    });
  }

  private async stored(key: string): Promise<string> {
    const value = await this.value(key);
    if (value === undefined) throw new TemplateNotFound(key);
    return value;
  }

  private async value(key: string): Promise<string | undefined> {
    return (await this.kv.get(key)).values[0];
  }

  /** The tenant's bundle for the locale; a stored text that no longer parses is skipped, as Kill Bill falls back then. */
  private async bundle(prefix: string, locale: JavaLocale): Promise<ReadonlyMap<string, string> | undefined> {
    const text = await this.value(localeKey(prefix, locale));
    if (text === undefined) return undefined;
    try {
      return parseJavaProperties(text);
    } catch {
      return undefined;
    }
  }
}

function requireText(body: unknown, what: string): string {
  if (typeof body !== 'string' || body.length === 0) throw new InvalidRequestException(`The ${what} must be sent as a non-empty text body`);
  return body;
}

function requireLocale(text: string): JavaLocale {
  try {
    return parseJavaLocale(text);
  } catch (error) {
    if (error instanceof InvalidLocaleError) throw new InvalidRequestException(error.message);
    throw error;
  }
}

/** The account's locale, or the default one when it has none (or one no locale parser reads: the invoice still renders). */
function accountLocale(account: AccountRow): JavaLocale {
  if (!account.locale) return DEFAULT_LOCALE;
  try {
    return parseJavaLocale(account.locale);
  } catch {
    return DEFAULT_LOCALE;
  }
}

async function hasManualPay(manager: EntityManager, accountId: string): Promise<boolean> {
  return tenantRepository(manager, TagRow).exists({
    where: { objectId: accountId, objectType: 'ACCOUNT', tagDefinitionId: CONTROL_TAGS.MANUAL_PAY.id, isActive: true },
  });
}

function toInvoiceAccount(row: AccountRow): HtmlInvoiceAccount {
  return {
    id: row.id,
    externalKey: row.externalKey,
    name: row.name,
    firstNameLength: row.firstNameLength,
    email: row.email,
    billingCycleDayLocal: row.billingCycleDayLocal,
    currency: row.currency,
    parentAccountId: row.parentAccountId,
    isPaymentDelegatedToParent: row.isPaymentDelegatedToParent,
    paymentMethodId: row.paymentMethodId,
    referenceTime: row.referenceTime,
    timeZone: row.timeZone,
    locale: row.locale,
    address1: row.address1,
    address2: row.address2,
    companyName: row.companyName,
    city: row.city,
    stateOrProvince: row.stateOrProvince,
    country: row.country,
    postalCode: row.postalCode,
    phone: row.phone,
    notes: row.notes,
    migrated: row.migrated,
    createdDate: row.createdDate,
    updatedDate: row.updatedDate,
  };
}

/** The catalog's pretty names in the version the item was billed with (Kill Bill's getCatalogSafelyForPrettyNames); none when the catalog lacks the entry. */
function prettyNamesOf(catalog: TenantCatalog, item: InvoiceItemRecord, invoiceCreated: Date): HtmlPrettyNames {
  const version = catalog.versionAt(item.catalogEffectiveDate ?? invoiceCreated);
  if (!version) return { product: null, plan: null, phase: null, usage: null };
  const plan = item.planName ? version.getPlan(item.planName) : undefined;
  const product = item.productName ? version.getProduct(item.productName) : undefined;
  const phase = plan && item.phaseName ? allPhases(plan).find((candidate) => phaseName(plan.name, candidate.type) === item.phaseName) : undefined;
  const usage = phase && item.usageName ? phase.usages.find((candidate) => candidate.name === item.usageName) : undefined;
  return {
    product: product ? (product.prettyName ?? product.name) : null,
    plan: plan ? (plan.prettyName ?? plan.name) : null,
    phase: phase ? (phase.prettyName ?? item.phaseName) : null,
    usage: usage ? (usage.prettyName ?? usage.name) : null,
  };
}

