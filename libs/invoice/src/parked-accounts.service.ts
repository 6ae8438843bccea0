import { Injectable } from '@nestjs/common';
import { LocalDate, ZoneOffset } from '@js-joda/core';
import { instantOf, KillBillError } from '@kb/kernel';
import { PARK_TAG } from '@kb/tag';
import { Clock, currentTenant, type Page, type PageRequest, Transactions } from '@kb/platform';
import { InvoiceDispatcher } from './invoice-dispatcher';

/**
 * `POST /admin/invoices` (Kill Bill's AdminResource#triggerInvoiceGenerationForParkedAccounts): a
 * page of the tenant's parked accounts, each invoiced by an API run up to today (UTC), which unparks
 * it when it succeeds. The answer maps each account id to OK or the ErrorCode name of its failure.
 */
@Injectable()
export class ParkedAccountsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    private readonly dispatcher: InvoiceDispatcher,
  ) {}

  async invoiceParkedAccounts(page: PageRequest): Promise<Page<string>> {
    const tenantRecordId = currentTenant().recordId;
    const manager = this.transactions.manager();
    const where = `tenant_record_id = $1 AND tag_definition_id = $2 AND object_type = 'ACCOUNT' AND is_active`;
    const [rows, [count]] = await Promise.all([
      manager.query(`SELECT object_id FROM tags WHERE ${where} ORDER BY record_id OFFSET $3 LIMIT $4`, [tenantRecordId, PARK_TAG.id, page.offset, page.limit]) as Promise<
        { object_id: string }[]
      >,
      manager.query(`SELECT count(*) AS total FROM tags WHERE ${where}`, [tenantRecordId, PARK_TAG.id]) as Promise<{ total: string }[]>,
    ]);
    const today = LocalDate.ofInstant(instantOf(this.clock.now()), ZoneOffset.UTC);
    const statuses: Record<string, string> = {};
    for (const { object_id: accountId } of rows) {
      try {
        await this.dispatcher.run(accountId, today, 'API');
        statuses[accountId] = 'OK';
      } catch (error) {
        if (!(error instanceof KillBillError)) throw error;
        statuses[accountId] = error.codeName;
      }
    }
    const total = Number(count.total);
    return { items: Object.keys(statuses), offset: page.offset, limit: page.limit, total, maxNbRecords: total, body: statuses };
  }
}
