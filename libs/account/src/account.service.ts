import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  type AuditLog,
  AuditLevel,
  AuditLogs,
  type AuditTarget,
  Clock,
  currentTenant,
  InvalidRequestException,
  KillBillConfig,
  KillBillException,
  Locks,
  type Page,
  pageOfRows,
  Queues,
  tenantRepository,
  Transactions,
  withUniqueIndexes,
} from '@kb/platform';
import { AccountRow } from './account.entity';
import { AccountChange, AccountCreation } from './account-events';
import { type AccountFields, type AccountInput, accountForCreate, accountForUpdate } from './account-rules';
import { accountSearchCondition, luckySearchCondition, type SqlCondition } from './account-search';

/** An account with its audit logs at the requested level (Kill Bill's AccountJson without balances). */
export interface AccountView {
  readonly account: AccountRow;
  readonly auditLogs: AuditLog[];
}

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}


/** The account aggregate: create, read, update, list and search, always within the request's tenant. */
@Injectable()
export class AccountService {
  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly auditLogs: AuditLogs,
    private readonly queues: Queues,
    private readonly clock: Clock,
    private readonly config: KillBillConfig,
  ) {}

  /** Creates an account; a second create with the same external key is refused and writes nothing. */
  async create(input: AccountInput): Promise<AccountRow> {
    const tenantRecordId = currentTenant().recordId;
    const id = randomUUID();
    const fields = accountForCreate(id, input, this.clock.now());
    // A taken key is found by the unique index (no lookup first, one round trip less): the insert
    // fails, the transaction rolls back, the caller gets Kill Bill's error; two concurrent creates alike.
    // The insert comes before the parent check, so a taken key is reported first, as Kill Bill does.
    return withUniqueIndexes(
      () =>
        this.transactions.run(async (manager) => {
          const repository = tenantRepository(manager, AccountRow, tenantRecordId);
          const account = repository.create({ id, ...fields });
          await repository.save(account);
          if (fields.parentAccountId) await this.requireById(manager, fields.parentAccountId);
          await this.queues.post(AccountCreation, { accountId: account.id, data: eventData(account) }, { accountRecordId: account.recordId });
          return account;
        }),
      { accounts_external_key: () => new KillBillException('ACCOUNT_ALREADY_EXISTS', [fields.externalKey]) },
    );
  }

  async getById(id: string, audit: AuditLevel = AuditLevel.NONE): Promise<AccountView> {
    const account = await this.requireById(this.transactions.manager(), id);
    return { account, auditLogs: await this.auditOf(account, audit) };
  }

  async getByExternalKey(externalKey: string | undefined, audit: AuditLevel = AuditLevel.NONE): Promise<AccountView> {
    if (externalKey === undefined) throw new KillBillException('ACCOUNT_CANNOT_MAP_NULL_KEY', ['']);
    const account = await tenantRepository(this.transactions.manager(), AccountRow).findOne({ where: { externalKey } });
    if (!account) throw new KillBillException('ACCOUNT_DOES_NOT_EXIST_FOR_KEY', [externalKey]);
    return { account, auditLogs: await this.auditOf(account, audit) };
  }

  /** The account row of the tenant, or 404 ACCOUNT_DOES_NOT_EXIST_FOR_ID. */
  async requireById(manager: EntityManager, id: string): Promise<AccountRow> {
    const account = await tenantRepository(manager, AccountRow).findOne({ where: { id } });
    if (!account) throw new KillBillException('ACCOUNT_DOES_NOT_EXIST_FOR_ID', [id]);
    return account;
  }

  /** Finds an account of a tenant without throwing (object lookups of tags and custom fields). */
  async findById(id: string, tenantRecordId: number): Promise<AccountRow | null> {
    return tenantRepository(this.transactions.manager(), AccountRow, tenantRecordId).findOne({ where: { id } });
  }

  /** Kill Bill's updateAccount, under the account lock; posts ACCOUNT_CHANGE with the changed fields. */
  async update(id: string, input: AccountInput, treatNullAsReset: boolean): Promise<void> {
    await this.locks.withAccountLock(id, async (manager) => {
      const account = await this.requireById(manager, id);
      const { fields, changes } = accountForUpdate(account as AccountFields, input, treatNullAsReset, this.config.getBoolean('killbill.features.account.allowBCDUpdate'));
      if (fields.parentAccountId && fields.parentAccountId !== account.parentAccountId) {
        if (fields.parentAccountId === account.id) throw new InvalidRequestException('An account cannot be its own parent');
        await this.requireById(manager, fields.parentAccountId);
      }
      Object.assign(account, fields);
      // Kill Bill updates (and audits) the row even when nothing changed: a new updated date forces the write.
      account.updatedDate = this.clock.now();
      await tenantRepository(manager, AccountRow).save(account);
      await this.queues.post(AccountChange, { accountId: account.id, changedFields: changes }, { accountRecordId: account.recordId });
    });
  }

  /** Takes the account's lock, then loads it (inside a transaction): what it reads is what no one else changes. */
  async lockedAccount(manager: EntityManager, id: string): Promise<AccountRow> {
    await this.locks.lockAccountInTransaction(id);
    return this.requireById(manager, id);
  }

  /** GET /accounts/pagination: paged in SQL by record id. */
  async list(page: PageRequest, audit: AuditLevel): Promise<Page<AccountView>> {
    return this.page({ sql: 'TRUE', parameters: [] }, page, audit);
  }

  /** GET /accounts/search/{key}; offset=-1&limit=1 is Kill Bill's exact "feeling lucky" search. */
  async search(searchKey: string, page: PageRequest, audit: AuditLevel): Promise<Page<AccountView>> {
    if (page.offset === -1 && page.limit === 1) {
      const result = await this.page(luckySearchCondition(searchKey, 2), { offset: 0, limit: 1 }, audit);
      return { ...result, items: result.items.slice(0, 1), total: Math.min(result.total, 1), maxNbRecords: Math.min(result.total, 1) };
    }
    return this.page(accountSearchCondition(searchKey, 2), page, audit);
  }

  /** Accounts whose parent is the given account (404 when that account does not exist). */
  async children(parentId: string, audit: AuditLevel): Promise<AccountView[]> {
    const manager = this.transactions.manager();
    const parent = await this.requireById(manager, parentId);
    const accounts = await tenantRepository(manager, AccountRow, parent.tenantRecordId).find({
      where: { parentAccountId: parent.id },
      order: { recordId: 'ASC' },
    });
    return this.withAudit(accounts, audit);
  }

  async withAudit(accounts: AccountRow[], audit: AuditLevel): Promise<AccountView[]> {
    const logs = await this.auditLogs.forRecords(
      accountAuditTarget(currentTenant().recordId),
      accounts.map((account) => account.recordId),
      audit,
    );
    return accounts.map((account) => ({ account, auditLogs: logs.get(account.recordId) ?? [] }));
  }

  private async page(condition: SqlCondition, page: PageRequest, audit: AuditLevel): Promise<Page<AccountView>> {
    const found = await pageOfRows(this.transactions.manager(), AccountRow, currentTenant().recordId, condition, page);
    return { items: await this.withAudit(found.rows, audit), ...page, total: found.total, maxNbRecords: found.maxNbRecords };
  }

  private async auditOf(account: AccountRow, level: AuditLevel): Promise<AuditLog[]> {
    return this.auditLogs.forRecord(accountAuditTarget(account.tenantRecordId), account.recordId, level);
  }
}

export function accountAuditTarget(tenantRecordId: number): AuditTarget {
  return { tableName: 'accounts', objectType: 'ACCOUNT', tenantRecordId };
}

/** The account data carried by ACCOUNT_CREATION (Kill Bill's DefaultAccountData). */
function eventData(account: AccountRow): Record<string, unknown> {
  return {
    externalKey: account.externalKey,
    name: account.name,
    firstNameLength: account.firstNameLength,
    email: account.email,
    billCycleDayLocal: account.billingCycleDayLocal,
    currency: account.currency,
    parentAccountId: account.parentAccountId,
    isPaymentDelegatedToParent: account.isPaymentDelegatedToParent,
    paymentMethodId: account.paymentMethodId,
    referenceTime: account.referenceTime.toISOString(),
    timeZone: account.timeZone,
    locale: account.locale,
    address1: account.address1,
    address2: account.address2,
    companyName: account.companyName,
    city: account.city,
    stateOrProvince: account.stateOrProvince,
    postalCode: account.postalCode,
    country: account.country,
    phone: account.phone,
    notes: account.notes,
    isMigrated: account.migrated,
  };
}
