import { auditedOptionsOf } from '@kb/platform';
import { startTestApp, type TestApp } from '../support/test-app';

interface ColumnInfo {
  readonly table_name: string;
  readonly column_name: string;
  readonly data_type: string;
  readonly ordinal_position: number;
}

/** Entities and migrations must describe the same schema (migrations are real; nothing synchronizes). */
describe('Database schema', () => {
  let t: TestApp;
  let columns: Map<string, ColumnInfo[]>;
  beforeAll(async () => {
    t = await startTestApp();
    const rows = await t.query<ColumnInfo>(
      `SELECT table_name, column_name, data_type, ordinal_position FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    );
    columns = new Map();
    for (const row of rows) columns.set(row.table_name, [...(columns.get(row.table_name) ?? []), row]);
  });
  afterAll(() => t.close());

  it('has no difference between the entities and the migrated tables', async () => {
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  // The history subscriber copies an audited row column by column: a column missing from (or typed
  // differently in) its history table would only fail at run time, on the first write.
  it('gives every audited table a history table with each of its columns, of the same type', () => {
    const audited = t.dataSource.entityMetadatas.filter((metadata) => auditedOptionsOf(metadata.target as Function));
    expect(audited.length).toBeGreaterThan(5);
    for (const metadata of audited) {
      const excluded = new Set(['record_id', ...(auditedOptionsOf(metadata.target as Function)?.excludeFromHistory ?? [])]);
      const history = new Map((columns.get(`${metadata.tableName}_history`) ?? []).map((c) => [c.column_name, c.data_type]));
      const expected = (columns.get(metadata.tableName) ?? []).filter((c) => !excluded.has(c.column_name)).map((c) => [c.column_name, c.data_type]);
      expect({ table: metadata.tableName, columns: expected.map(([name]) => [name, history.get(name)]) }).toEqual({ table: metadata.tableName, columns: expected });
      expect([history.get('target_record_id'), history.get('change_type')]).toEqual(['bigint', 'character varying']);
    }
  });

  // Queue rows move to their history with INSERT … SELECT *: same columns, same order, same types.
  it('gives each queue table a history table of the same shape', () => {
    const queueTables = [...columns.keys()].filter((name) => columns.has(`${name}_history`) && ['bus_events', 'notifications'].includes(name));
    expect(queueTables.sort()).toEqual(['bus_events', 'notifications']);
    for (const table of queueTables) {
      const shape = (name: string) => (columns.get(name) ?? []).map((c) => `${c.column_name} ${c.data_type}`);
      expect(shape(`${table}_history`)).toEqual(shape(table));
    }
  });
});
