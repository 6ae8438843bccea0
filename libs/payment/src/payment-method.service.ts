import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  type AuditLog,
  AuditLevel,
  AuditLogs,
  type AuditTarget,
  Clock,
  currentContext,
  currentTenant,
  escapeLike,
  InvalidRequestException,
  KillBillException,
  Locks,
  type Page,
  type PageRequest,
  pageOfRows,
  Queues,
  type SqlCondition,
  tenantRepository,
  Transactions,
  withUniqueIndexes,
} from '@kb/platform';
import { AccountChange, AccountRow } from '@kb/account';
import { CONTROL_TAGS, TagService } from '@kb/tag';
import { isUuid } from '@kb/kernel';
import { PaymentMethodRow } from './payment.entity';
import { PaymentPluginRegistry } from './plugin/payment-plugin-registry';
import { EXTERNAL_PAYMENT_PLUGIN_NAME } from './plugin/external-payment-plugin';
import {
  type PaymentMethodInfoPlugin,
  type PaymentMethodPlugin,
  type PaymentPluginApi,
  PaymentPluginApiException,
  PaymentPluginTimeoutException,
  type PluginCallContext,
  type PluginProperty,
} from './plugin/payment-plugin-api';

/** A payment method as the API shows it: the row, whether it is the account's default, the plugin's detail when asked. */
export interface PaymentMethodView {
  readonly paymentMethod: PaymentMethodRow;
  readonly isDefault: boolean;
  readonly pluginDetail: PaymentMethodPlugin | null;
  readonly auditLogs: AuditLog[];
}

export interface NewPaymentMethod {
  readonly pluginName?: string | null;
  readonly externalKey?: string | null;
  readonly pluginInfo?: PaymentMethodPlugin | null;
}

export interface PaymentMethodReadOptions {
  readonly includedDeleted?: boolean;
  readonly withPluginInfo?: boolean;
  readonly properties?: readonly PluginProperty[];
  readonly audit?: AuditLevel;
}

/** Kill Bill's error of each payment method operation, when the plugin fails it. */
type PluginFailureCode = 'PAYMENT_ADD_PAYMENT_METHOD' | 'PAYMENT_DEL_PAYMENT_METHOD' | 'PAYMENT_REFRESH_PAYMENT_METHOD' | 'PAYMENT_UPD_PAYMENT_METHOD' | 'PAYMENT_GET_PAYMENT_METHODS';

/**
 * Kill Bill's PaymentMethodProcessor: payment methods of an account, each served by a payment
 * plugin, and the account's default one (AccountRow.paymentMethodId). Changes hold the account lock
 * across the plugin call, with no transaction open during it.
 */
@Injectable()
export class PaymentMethodService {
  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly plugins: PaymentPluginRegistry,
    private readonly auditLogs: AuditLogs,
    private readonly queues: Queues,
    private readonly tags: TagService,
    private readonly clock: Clock,
  ) {}

  /** `externalPayment=true` of the invoice payment routes: the account's `__EXTERNAL_PAYMENT__` method, added (not as the default) when missing. */
  async externalPaymentMethodOf(accountId: string): Promise<string> {
    const existing = await tenantRepository(this.transactions.manager(), PaymentMethodRow).findOne({ where: { accountId, pluginName: EXTERNAL_PAYMENT_PLUGIN_NAME, isActive: true } });
    if (existing) return existing.id;
    return (await this.add(accountId, { pluginName: EXTERNAL_PAYMENT_PLUGIN_NAME }, { isDefault: false, properties: [] })).id;
  }

  /** POST /accounts/{id}/paymentMethods: the plugin first, then the row (and the default) in one transaction. */
  async add(accountId: string, input: NewPaymentMethod, options: { isDefault: boolean; properties: readonly PluginProperty[] }): Promise<PaymentMethodRow> {
    const pluginName = input.pluginName;
    if (!pluginName) throw new InvalidRequestException('PaymentMethodJson pluginName needs to be set');
    const plugin = this.plugins.require(pluginName);
    return this.locks.withAccountLockAcross(accountId, async (scope) => {
      const account = await scope.inTransaction((manager) => this.requireAccount(manager, accountId));
      if (pluginName === EXTERNAL_PAYMENT_PLUGIN_NAME) {
        const existing = await scope.inTransaction((manager) =>
          tenantRepository(manager, PaymentMethodRow).exists({ where: { accountId, pluginName: EXTERNAL_PAYMENT_PLUGIN_NAME, isActive: true } }),
        );
        if (existing) throw new KillBillException('PAYMENT_EXTERNAL_PAYMENT_METHOD_ALREADY_EXISTS', [accountId]);
      }
      const id = randomUUID();
      const context = this.pluginContext();
      await this.callPlugin(accountId, 'PAYMENT_ADD_PAYMENT_METHOD', () => plugin.addPaymentMethod(accountId, id, input.pluginInfo ?? null, options.isDefault, options.properties, context));
      const externalKey = input.externalKey ?? (await this.externalKeyFromPlugin(plugin, accountId, id, options.properties, context)) ?? id;
      return withUniqueIndexes(
        () =>
          scope.inTransaction(async (manager) => {
            const repository = tenantRepository(manager, PaymentMethodRow);
            const row = repository.create({ id, externalKey, accountId, accountRecordId: account.recordId, pluginName, isActive: true });
            await repository.save(row);
            if (options.isDefault) await this.setAccountDefault(manager, accountId, id);
            return row;
          }),
        // Kill Bill reports a taken key as the plugin failing the add.
        { payment_methods_external_key: () => new KillBillException('PAYMENT_ADD_PAYMENT_METHOD', [accountId, `payment method with external key ${externalKey} already exists`]) },
      );
    });
  }

  async getById(id: string, options: PaymentMethodReadOptions = {}): Promise<PaymentMethodView> {
    const row = await this.requireById(this.transactions.manager(), id, options.includedDeleted ?? false);
    return (await this.views([row], options))[0];
  }

  async getByExternalKey(externalKey: string, options: PaymentMethodReadOptions = {}): Promise<PaymentMethodView> {
    const row = await tenantRepository(this.transactions.manager(), PaymentMethodRow).findOne({
      where: options.includedDeleted ? { externalKey } : { externalKey, isActive: true },
    });
    if (!row) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT_METHOD', [externalKey]);
    return (await this.views([row], options))[0];
  }

  /** GET /accounts/{id}/paymentMethods (404 for an unknown account). */
  async forAccount(accountId: string, options: PaymentMethodReadOptions = {}): Promise<PaymentMethodView[]> {
    const manager = this.transactions.manager();
    await this.requireAccount(manager, accountId);
    const rows = await tenantRepository(manager, PaymentMethodRow).find({
      where: options.includedDeleted ? { accountId } : { accountId, isActive: true },
      order: { recordId: 'ASC' },
    });
    return this.views(rows, options);
  }

  /** GET /paymentMethods/pagination: the tenant's active methods (of one plugin when named), paged in SQL. */
  async list(page: PageRequest, options: PaymentMethodReadOptions & { pluginName?: string }): Promise<Page<PaymentMethodView>> {
    if (options.pluginName) this.plugins.require(options.pluginName);
    const condition: SqlCondition = options.pluginName ? { sql: 'is_active AND plugin_name = $2', parameters: [options.pluginName] } : { sql: 'is_active', parameters: [] };
    return this.page(condition, page, options);
  }

  /** GET /paymentMethods/search/{key}: Kill Bill's plain search (id or account id equal, external key or plugin name containing the key). */
  async search(searchKey: string, page: PageRequest, options: PaymentMethodReadOptions & { pluginName?: string }): Promise<Page<PaymentMethodView>> {
    if (options.pluginName) this.plugins.require(options.pluginName);
    const like = `%${escapeLike(searchKey)}%`;
    const byId = isUuid(searchKey) ? 'id = $3::uuid OR account_id = $3::uuid OR ' : '';
    const plugin = options.pluginName ? ` AND plugin_name = $${byId ? 4 : 3}` : '';
    const parameters: unknown[] = [like, ...(byId ? [searchKey] : []), ...(options.pluginName ? [options.pluginName] : [])];
    return this.page({ sql: `is_active AND (${byId}external_key LIKE $2 OR plugin_name LIKE $2)${plugin}`, parameters }, page, options);
  }

  /**
   * DELETE /paymentMethods/{id}. The account's default needs `deleteDefaultPmWithAutoPayOff` (which
   * also tags the account AUTO_PAY_OFF) or `forceDefaultPmDeletion`; the default is then cleared. The row
   * stays, inactive.
   */
  async delete(id: string, options: { deleteDefaultPmWithAutoPayOff: boolean; forceDefaultPmDeletion: boolean; properties: readonly PluginProperty[] }): Promise<void> {
    const found = await this.requireById(this.transactions.manager(), id, false);
    await this.locks.withAccountLockAcross(found.accountId, async (scope) => {
      const { row, account } = await scope.inTransaction(async (manager) => ({
        row: await this.requireById(manager, id, false),
        account: await this.requireAccount(manager, found.accountId),
      }));
      const isDefault = account.paymentMethodId === row.id;
      if (isDefault && !options.deleteDefaultPmWithAutoPayOff && !options.forceDefaultPmDeletion) {
        throw new KillBillException('PAYMENT_DEL_DEFAULT_PAYMENT_METHOD', [account.id]);
      }
      const plugin = this.plugins.require(row.pluginName);
      const context = this.pluginContext();
      await this.callPlugin(account.id, 'PAYMENT_DEL_PAYMENT_METHOD', () => plugin.deletePaymentMethod(account.id, row.id, options.properties, context));
      await scope.inTransaction(async (manager) => {
        if (isDefault) {
          if (options.deleteDefaultPmWithAutoPayOff) await this.tags.add('ACCOUNT', account.id, [CONTROL_TAGS.AUTO_PAY_OFF.id]);
          await this.setAccountDefault(manager, account.id, null);
        }
        const current = await this.requireById(manager, id, false);
        current.isActive = false;
        current.updatedDate = this.clock.now();
        await tenantRepository(manager, PaymentMethodRow).save(current);
      });
    });
  }

  /**
   * PUT /accounts/{id}/paymentMethods/{pmId}/setDefault. The method must be an active one of the
   * account. Paying the unpaid invoices (`payAllUnpaidInvoices`) belongs to invoice payments: the
   * caller runs it after this returns.
   */
  async setDefault(accountId: string, paymentMethodId: string, properties: readonly PluginProperty[]): Promise<void> {
    await this.locks.withAccountLockAcross(accountId, async (scope) => {
      const row = await scope.inTransaction(async (manager) => {
        await this.requireAccount(manager, accountId);
        const pm = await this.requireById(manager, paymentMethodId, false);
        if (pm.accountId !== accountId) throw new KillBillException('PAYMENT_METHOD_DIFFERENT_ACCOUNT_ID', [paymentMethodId]);
        return pm;
      });
      const plugin = this.plugins.require(row.pluginName);
      const context = this.pluginContext();
      await this.callPlugin(accountId, 'PAYMENT_UPD_PAYMENT_METHOD', () => plugin.setDefaultPaymentMethod(accountId, paymentMethodId, properties, context));
      await scope.inTransaction((manager) => this.setAccountDefault(manager, accountId, paymentMethodId));
    });
  }

  /**
   * PUT /accounts/{id}/paymentMethods/refresh: the methods the plugin (every registered one when none
   * is named) reports become the account's methods of that plugin: new ones are added, deleted ones
   * brought back, missing ones deleted; the plugin's default becomes the account's when the account's
   * default is one of that plugin (or unset), as Kill Bill's refreshPaymentMethods.
   */
  async refresh(accountId: string, pluginName: string | undefined, properties: readonly PluginProperty[]): Promise<void> {
    const names = pluginName ? [pluginName] : this.plugins.names();
    for (const name of names) await this.refreshPlugin(accountId, name, properties);
  }

  /** The audit target of payment method rows. */
  auditTarget(tenantRecordId: number): AuditTarget {
    return { tableName: 'payment_methods', objectType: 'PAYMENT_METHOD', tenantRecordId };
  }

  private async refreshPlugin(accountId: string, pluginName: string, properties: readonly PluginProperty[]): Promise<void> {
    const plugin = this.plugins.require(pluginName);
    const account = await this.requireAccount(this.transactions.manager(), accountId);
    const context = this.pluginContext();
    // As Kill Bill: the gateway is asked before the lock is taken (its answer could change anyway).
    const reported = (await this.callPlugin(accountId, 'PAYMENT_REFRESH_PAYMENT_METHOD', () => plugin.getPaymentMethods(accountId, true, properties, context))) ?? [];
    await this.locks.withAccountLockAcross(accountId, async (scope) => {
      const withIds: PaymentMethodInfoPlugin[] = reported.map((method) => ({ ...method, paymentMethodId: method.paymentMethodId ?? randomUUID() }));
      const pluginDefault = withIds.find((method) => method.isDefault)?.paymentMethodId ?? null;
      await scope.inTransaction(async (manager) => {
        const repository = tenantRepository(manager, PaymentMethodRow);
        const existing = await repository.find({ where: { accountId, pluginName } });
        const byId = new Map(existing.map((row) => [row.id, row]));
        const kept = new Set<string>();
        for (const method of withIds) {
          const id = method.paymentMethodId as string;
          const known = byId.get(id);
          kept.add(id);
          if (known) {
            if (!known.isActive) await repository.save(Object.assign(known, { isActive: true, updatedDate: this.clock.now() }));
            continue;
          }
          await repository.save(repository.create({ id, externalKey: method.externalPaymentMethodId ?? id, accountId, accountRecordId: account.recordId, pluginName, isActive: true }));
        }
        for (const row of existing) {
          if (row.isActive && !kept.has(row.id)) await repository.save(Object.assign(row, { isActive: false, updatedDate: this.clock.now() }));
        }
      });
      await this.callPlugin(accountId, 'PAYMENT_REFRESH_PAYMENT_METHOD', () => plugin.resetPaymentMethods(accountId, withIds, properties, context));
      await scope.inTransaction(async (manager) => {
        const current = await this.requireAccount(manager, accountId);
        const currentDefault = current.paymentMethodId ? await tenantRepository(manager, PaymentMethodRow).findOne({ where: { id: current.paymentMethodId } }) : null;
        if (!currentDefault || currentDefault.pluginName === pluginName) await this.setAccountDefault(manager, accountId, pluginDefault);
      });
    });
  }

  /** Runs a plugin call, mapping its failures to Kill Bill's errors (a timeout is PAYMENT_PLUGIN_TIMEOUT, 504). */
  private async callPlugin<T>(accountId: string, failure: PluginFailureCode, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof PaymentPluginTimeoutException) throw new KillBillException('PAYMENT_PLUGIN_TIMEOUT', [accountId, error.message]);
      if (error instanceof PaymentPluginApiException) throw new KillBillException(failure, [accountId, error.errorMessage]);
      throw error;
    }
  }

  /** Kill Bill's retrieveActualPaymentMethodExternalKey: the plugin's external id, unless another method of the tenant has it. */
  private async externalKeyFromPlugin(plugin: PaymentPluginApi, accountId: string, id: string, properties: readonly PluginProperty[], context: PluginCallContext): Promise<string | null> {
    let detail: PaymentMethodPlugin | null;
    try {
      detail = await plugin.getPaymentMethodDetail(accountId, id, properties, context);
    } catch (error) {
      if (error instanceof PaymentPluginApiException || error instanceof PaymentPluginTimeoutException) return null;
      throw error;
    }
    const externalId = detail?.externalPaymentMethodId;
    if (!externalId) return null;
    const taken = await tenantRepository(this.transactions.manager(), PaymentMethodRow).exists({ where: { externalKey: externalId } });
    return taken ? null : externalId;
  }

  /** Sets (or clears) the account's default payment method through save(), so the change is audited, and announces it. */
  private async setAccountDefault(manager: EntityManager, accountId: string, paymentMethodId: string | null): Promise<void> {
    await this.locks.lockAccountInTransaction(accountId);
    const account = await this.requireAccount(manager, accountId);
    if (account.paymentMethodId === paymentMethodId) return;
    const oldValue = account.paymentMethodId;
    account.paymentMethodId = paymentMethodId;
    account.updatedDate = this.clock.now();
    await tenantRepository(manager, AccountRow).save(account);
    await this.queues.post(AccountChange, { accountId, changedFields: [{ fieldName: 'paymentMethodId', oldValue, newValue: paymentMethodId }] }, { accountRecordId: account.recordId });
  }

  private async page(condition: SqlCondition, page: PageRequest, options: PaymentMethodReadOptions): Promise<Page<PaymentMethodView>> {
    const found = await pageOfRows(this.transactions.manager(), PaymentMethodRow, currentTenant().recordId, condition, page);
    return { items: await this.views(found.rows, options), ...page, total: found.total, maxNbRecords: found.maxNbRecords };
  }

  private async views(rows: PaymentMethodRow[], options: PaymentMethodReadOptions): Promise<PaymentMethodView[]> {
    if (rows.length === 0) return [];
    const manager = this.transactions.manager();
    const tenantRecordId = currentTenant().recordId;
    const accountIds = [...new Set(rows.map((row) => row.accountId))];
    const accounts = await tenantRepository(manager, AccountRow).find({ where: accountIds.map((id) => ({ id })), select: { id: true, paymentMethodId: true, recordId: true } });
    const defaults = new Map(accounts.map((account) => [account.id, account.paymentMethodId]));
    const logs = await this.auditLogs.forRecords(this.auditTarget(tenantRecordId), rows.map((row) => row.recordId), options.audit ?? AuditLevel.NONE);
    const context = options.withPluginInfo ? this.pluginContext() : undefined;
    const views: PaymentMethodView[] = [];
    for (const row of rows) {
      let pluginDetail: PaymentMethodPlugin | null = null;
      if (context) {
        const plugin = this.plugins.require(row.pluginName);
        pluginDetail = await this.callPlugin(row.accountId, 'PAYMENT_GET_PAYMENT_METHODS', () => plugin.getPaymentMethodDetail(row.accountId, row.id, options.properties ?? [], context));
      }
      views.push({ paymentMethod: row, isDefault: defaults.get(row.accountId) === row.id, pluginDetail, auditLogs: logs.get(row.recordId) ?? [] });
    }
    return views;
  }

  private async requireById(manager: EntityManager, id: string, includedDeleted: boolean): Promise<PaymentMethodRow> {
    const row = await tenantRepository(manager, PaymentMethodRow).findOne({ where: includedDeleted ? { id } : { id, isActive: true } });
    if (!row) throw new KillBillException('PAYMENT_NO_SUCH_PAYMENT_METHOD', [id]);
    return row;
  }

  private async requireAccount(manager: EntityManager, id: string): Promise<AccountRow> {
    const account = await tenantRepository(manager, AccountRow).findOne({ where: { id } });
    if (!account) throw new KillBillException('ACCOUNT_DOES_NOT_EXIST_FOR_ID', [id]);
    return account;
  }

  /** The call context plugins get: the tenant, the server clock's now, who acts and why. */
  pluginContext(): PluginCallContext {
    const context = currentContext();
    return {
      tenantId: context.tenant?.id ?? null,
      tenantRecordId: currentTenant().recordId,
      createdDate: this.clock.now(),
      userName: context.createdBy ?? null,
      reasonCode: context.reasonCode ?? null,
      comments: context.comments ?? null,
    };
  }
}
