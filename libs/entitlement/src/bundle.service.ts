import { Injectable, NotFoundException } from '@nestjs/common';
import { AccountService } from '@kb/account';
import { AuditLevel, currentTenant, escapeLike, InvalidRequestException, KillBillException, type Page, type PageRequest, pageOfRows, type SqlCondition, tenantRepository, Transactions } from '@kb/platform';
import { BundleRow } from './bundle.entity';
import type { BundleDetails } from './entitlement-store';
import { SubscriptionService } from './subscription.service';

/** Bundle reads (Kill Bill's BundleResource GETs and the account's bundles), paged in SQL. */
@Injectable()
export class BundleService {
  constructor(
    private readonly transactions: Transactions,
    private readonly accounts: AccountService,
    private readonly subscriptions: SubscriptionService,
  ) {}

  async getById(bundleId: string, audit: AuditLevel = AuditLevel.NONE): Promise<BundleDetails> {
    const bundle = await this.findRow(bundleId, currentTenant().recordId);
    if (!bundle) throw new NotFoundException(`Object id=${bundleId} type=BUNDLE doesn't exist!`);
    const [details] = await this.subscriptions.bundleDetails(this.transactions.manager(), [bundle], audit);
    return details;
  }

  async findRow(id: string, tenantRecordId: number): Promise<BundleRow | null> {
    return tenantRepository(this.transactions.manager(), BundleRow, tenantRecordId).findOne({ where: { id } });
  }

  /**
   * GET /bundles?externalKey=: the active bundle holding the key, or with `includedDeleted` every
   * bundle that ever held it (renamed `kbcncl-…:` / `kbtsf-…:` ones included), oldest first.
   */
  async getByExternalKey(externalKey: string | undefined, includedDeleted: boolean, audit: AuditLevel): Promise<BundleDetails[]> {
    if (externalKey === undefined) throw new InvalidRequestException('externalKey needs to be set');
    const manager = this.transactions.manager();
    let query = manager.getRepository(BundleRow).createQueryBuilder('b').where('b.tenant_record_id = :tenant', { tenant: currentTenant().recordId });
    query = includedDeleted
      ? query.andWhere("(b.external_key = :key OR b.external_key LIKE :cancelled ESCAPE '\\' OR b.external_key LIKE :transferred ESCAPE '\\')", {
          key: externalKey,
          cancelled: `kbcncl-%:${escapeLike(externalKey)}`,
          transferred: `kbtsf-%:${escapeLike(externalKey)}`,
        })
      : query.andWhere('b.external_key = :key', { key: externalKey });
    const bundles = await query.orderBy('b.record_id').getMany();
    if (bundles.length === 0) throw new KillBillException('SUB_GET_INVALID_BUNDLE_KEY', [externalKey], { status: 404 });
    return this.subscriptions.bundleDetails(manager, bundles, audit);
  }

  /** GET /accounts/{id}/bundles: optionally one key, or the listed bundle ids (comma separated). */
  async forAccount(accountId: string, externalKey: string | undefined, bundlesFilter: string | undefined, audit: AuditLevel): Promise<BundleDetails[]> {
    const manager = this.transactions.manager();
    const account = await this.accounts.requireById(manager, accountId);
    let query = manager
      .getRepository(BundleRow)
      .createQueryBuilder('b')
      .where('b.tenant_record_id = :tenant AND b.account_record_id = :account', { tenant: account.tenantRecordId, account: account.recordId });
    if (externalKey !== undefined) query = query.andWhere('b.external_key = :key', { key: externalKey });
    const ids = (bundlesFilter ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id.length > 0);
    if (ids.length) query = query.andWhere('b.id::text = ANY(:ids)', { ids });
    const bundles = await query.orderBy('b.record_id').getMany();
    return this.subscriptions.bundleDetails(manager, bundles, audit);
  }

  /** GET /accounts/{id}/bundles/pagination. */
  async pageForAccount(accountId: string, page: PageRequest, audit: AuditLevel): Promise<Page<BundleDetails>> {
    const account = await this.accounts.requireById(this.transactions.manager(), accountId);
    return this.page({ sql: 'account_record_id = $2', parameters: [account.recordId] }, page, audit);
  }

  /** GET /bundles/pagination. */
  async list(page: PageRequest, audit: AuditLevel): Promise<Page<BundleDetails>> {
    return this.page({ sql: 'TRUE', parameters: [] }, page, audit);
  }

  /** GET /bundles/search/{key}: by id, account id or (part of) the external key, as Kill Bill's bundle search. */
  async search(searchKey: string, page: PageRequest, audit: AuditLevel): Promise<Page<BundleDetails>> {
    return this.page(
      { sql: "(id::text = $2 OR account_id::text = $2 OR external_key LIKE $3 ESCAPE '\\')", parameters: [searchKey, `%${escapeLike(searchKey)}%`] },
      page,
      audit,
    );
  }

  private async page(condition: SqlCondition, page: PageRequest, audit: AuditLevel): Promise<Page<BundleDetails>> {
    const manager = this.transactions.manager();
    const found = await pageOfRows(manager, BundleRow, currentTenant().recordId, condition, page);
    const items = await this.subscriptions.bundleDetails(manager, found.rows, audit);
    return { items, ...page, total: found.total, maxNbRecords: found.maxNbRecords };
  }
}
