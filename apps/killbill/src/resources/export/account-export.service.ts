import { Injectable } from '@nestjs/common';
import { AccountService } from '@kb/account';
import { currentTenant, Transactions } from '@kb/platform';

interface CatalogColumn {
  readonly table_name: string;
  readonly column_name: string;
  readonly data_type: string;
}

/** How a table's rows are tied to an account (Kill Bill's DatabaseExportDao.TableType). */
interface ExportedTable {
  readonly name: string;
  readonly columns: readonly CatalogColumn[];
  readonly accountColumn: string;
  readonly tenantColumn: string;
  /** A unique, ordered key to page on. */
  readonly pageKey: 'record_id' | 'ctid';
}

/** Rows fetched per statement: the dump streams page by page, never the whole table at once. */
export const EXPORT_PAGE_SIZE = 500;

const TIMESTAMP_TYPES = new Set(['timestamp with time zone', 'timestamp without time zone']);
const TEXT_TYPES = new Set(['character varying', 'character', 'text', 'json', 'jsonb', 'USER-DEFINED', 'ARRAY']);

/**
 * Kill Bill's account export (ExportResource, CSVExportOutputStream): every table of the schema that
 * holds rows of an account, found from the catalog so a new table is exported without code. Each table
 * with rows starts with `-- <table> <col>|<col>…`, then one line per row, `|`-separated, a null being
 * empty; timestamps in UTC as `2012-08-25T00:00:00.000+00:00`, binary in base64, and in text a line
 * feed or `|` written as `\N{LINE FEED}` / `\N{VERTICAL LINE}` (Kill Bill's escapes).
 */
@Injectable()
export class AccountExportService {
  constructor(
    private readonly transactions: Transactions,
    private readonly accounts: AccountService,
  ) {}

  /** Resolves the account first (404 before anything is sent), then yields the dump in chunks. */
  async exportAccount(accountId: string): Promise<AsyncIterable<string>> {
    const account = await this.accounts.requireById(this.transactions.manager(), accountId);
    const tables = await this.exportedTables();
    return this.dump(tables, account.recordId, currentTenant().recordId);
  }

  private async *dump(tables: readonly ExportedTable[], accountRecordId: number, tenantRecordId: number): AsyncIterable<string> {
    for (const table of tables) {
      let header = `-- ${table.name} ${table.columns.map((c) => c.column_name).join('|')}\n`;
      for await (const lines of this.pages(table, accountRecordId, tenantRecordId)) {
        yield header + lines.map((line) => `${line}\n`).join('');
        header = '';
      }
    }
  }

  /** The table's rows of the account as dump lines, a page per statement, keyset-paged on `pageKey`. */
  private async *pages(table: ExportedTable, accountRecordId: number, tenantRecordId: number): AsyncIterable<string[]> {
    const line = table.columns.map((c) => `coalesce(${renderedColumn(c)}, '')`).join(` || '|' || `);
    const key = table.pageKey === 'ctid' ? 'ctid' : quoted('record_id');
    const after = table.pageKey === 'ctid' ? `$3::tid` : `$3::bigint`;
    const sql = `SELECT ${key}::text AS page_key, ${line} AS line FROM ${quoted(table.name)}
      WHERE ${quoted(table.accountColumn)} = $1 AND ${quoted(table.tenantColumn)} = $2 AND ${key} > ${after}
      ORDER BY ${key} LIMIT ${EXPORT_PAGE_SIZE}`;
    let last = table.pageKey === 'ctid' ? '(0,0)' : '0';
    for (;;) {
      const rows: { page_key: string; line: string }[] = await this.transactions.manager().query(sql, [accountRecordId, tenantRecordId, last]);
      if (rows.length === 0) return;
      yield rows.map((row) => row.line);
      if (rows.length < EXPORT_PAGE_SIZE) return;
      last = rows[rows.length - 1].page_key;
    }
  }

  /** Every table tied to an account, in table-name order as Kill Bill lists them. */
  private async exportedTables(): Promise<ExportedTable[]> {
    const columns: CatalogColumn[] = await this.transactions.manager().query(
      `SELECT c.table_name, c.column_name, c.data_type
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = current_schema()
        ORDER BY c.table_name, c.ordinal_position`,
    );
    const byTable = new Map<string, CatalogColumn[]>();
    for (const column of columns) byTable.set(column.table_name, [...(byTable.get(column.table_name) ?? []), column]);
    return [...byTable].flatMap(([name, tableColumns]) => {
      const link = accountLinkOf(name, new Set(tableColumns.map((c) => c.column_name)));
      if (!link) return [];
      const pageKey = tableColumns.some((c) => c.column_name === 'record_id') ? 'record_id' : 'ctid';
      return [{ name, columns: tableColumns, ...link, pageKey }];
    });
  }
}

/** Kill Bill's table types: the account itself, its history, per-account tables, the bus and notification queues. */
function accountLinkOf(table: string, columns: ReadonlySet<string>): { accountColumn: string; tenantColumn: string } | undefined {
  const candidates =
    table === 'accounts'
      ? [['record_id', 'tenant_record_id']]
      : table === 'accounts_history'
        ? [['target_record_id', 'tenant_record_id']]
        : [
            ['account_record_id', 'tenant_record_id'],
            ['search_key1', 'search_key2'],
          ];
  const found = candidates.find(([account, tenant]) => columns.has(account) && columns.has(tenant));
  return found ? { accountColumn: found[0], tenantColumn: found[1] } : undefined;
}

/** The column as dump text (null stays null, for coalesce). */
function renderedColumn({ column_name, data_type }: CatalogColumn): string {
  const column = quoted(column_name);
  if (TIMESTAMP_TYPES.has(data_type)) {
    const utc = data_type === 'timestamp with time zone' ? `(${column} AT TIME ZONE 'UTC')` : column;
    return `to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"+00:00"')`;
  }
  if (data_type === 'bytea') return `translate(encode(${column}, 'base64'), E'\\n', '')`;
  if (TEXT_TYPES.has(data_type)) return `replace(replace(${column}::text, E'\\n', '\\N{LINE FEED}'), '|', '\\N{VERTICAL LINE}')`;
  return `${column}::text`;
}

function quoted(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
