import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { LocalDate } from '@js-joda/core';
import type { EntityManager, EntityTarget } from 'typeorm';
import {
  Clock,
  insertAllLikeSave,
  insertManyLikeSave,
  newRequestContext,
  runWithContext,
  tenantRepository,
  Transactions,
  updateAllLikeSave,
  updateManyLikeSave,
} from '@kb/platform';
import { AccountEmailRow, AccountRow } from '@kb/account';
import { InvoiceItemRow } from '@kb/invoice';
import { startTestApp, type TestApp } from '../support/test-app';

type Row = Record<string, unknown>;

/**
 * Bulk inserts and updates write what `save()` of each entity, one by one, writes with the history
 * subscriber: the same rows, the same history rows and the same audit rows (but ids, record ids and
 * instants), and complete the entities alike.
 */
describe('Audited bulk writes', () => {
  let t: TestApp;
  let clock: Clock;
  let tenantRecordId: number;
  let account: AccountRow;
  const userToken = randomUUID();

  const inContext = <T>(work: (manager: EntityManager) => Promise<T>) =>
    runWithContext(
      newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'bulk-writer', reasonCode: 'why', comments: 'because', userToken }),
      () => t.app.get(Transactions).run(() => work(t.app.get(Transactions).manager())),
    );

  beforeAll(async () => {
    t = await startTestApp();
    clock = t.app.get(Clock);
    const tenant = await t.createTenant();
    tenantRecordId = Number((await t.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [tenant.id]))[0].record_id);
    account = await inContext((manager) => {
      const repository = tenantRepository(manager, AccountRow);
      return repository.save(
        repository.create({ id: randomUUID(), externalKey: `bulk-${randomUUID()}`, referenceTime: new Date(), timeZone: 'UTC', currency: 'USD' }),
      );
    });
  });
  afterAll(() => t.close());

  /** Invoice items of every shape: nulls, values, columns left undefined (their default), money and local dates. */
  function items(count: number, invoiceId = randomUUID()): InvoiceItemRow[] {
    return Array.from({ length: count }, (_, i) =>
      Object.assign(new InvoiceItemRow(), {
        id: randomUUID(),
        tenantRecordId,
        accountRecordId: account.recordId,
        type: i % 2 ? 'RECURRING' : 'FIXED',
        invoiceId,
        accountId: account.id,
        childAccountId: null,
        bundleId: i % 3 ? null : randomUUID(),
        subscriptionId: null,
        description: `item ${i}`,
        productName: 'Sports',
        planName: 'sports-monthly',
        phaseName: 'sports-monthly-evergreen',
        catalogEffectiveDate: new Date('2024-01-01T00:00:00.123Z'),
        startDate: LocalDate.of(2024, 1, 1).plusDays(i % 28),
        endDate: i % 4 ? LocalDate.of(2024, 2, 1) : null,
        amount: new Big('29.95').plus(i),
        rate: i % 2 ? new Big('29.95') : null,
        currency: 'USD',
        linkedItemId: null,
        quantity: null,
        ...(i % 5 ? { usageName: null, itemDetails: `{"n":${i}}` } : {}), // left undefined: the columns' default
      }),
    );
  }

  /** The same items under other ids (what must differ between two writes of the same rows). */
  const twins = (originals: readonly InvoiceItemRow[]) => originals.map((item) => Object.assign(new InvoiceItemRow(), { ...item, id: randomUUID() }));

  async function writtenFor(table: string, recordIds: readonly number[]) {
    const rows = await t.query(`SELECT * FROM ${table} WHERE record_id = ANY($1) ORDER BY record_id`, [recordIds]);
    const history = await t.query(`SELECT * FROM ${table}_history WHERE target_record_id = ANY($1) ORDER BY target_record_id, record_id`, [recordIds]);
    const audit = await t.query(
      `SELECT a.*, h.target_record_id AS row_record_id FROM audit_log a JOIN ${table}_history h ON h.record_id = a.target_record_id
        WHERE a.table_name = $1 AND h.target_record_id = ANY($2) ORDER BY h.target_record_id, h.record_id`,
      [table, recordIds],
    );
    return { rows, history, audit };
  }

  const strip = (values: Row, names: readonly string[]) => Object.fromEntries(Object.entries(values).filter(([name]) => !names.includes(name)));
  const ROW_DIFFERING = ['record_id', 'id', 'external_key', 'created_date', 'updated_date'];

  /** What two writes of the same rows must share: everything but keys and instants; the history copies each row, each audit row its history row. */
  function comparable(written: { rows: Row[]; history: Row[]; audit: Row[] }, perRow: number, extraAudit: readonly string[] = []) {
    const { rows, history, audit } = written;
    expect(history).toHaveLength(rows.length * perRow);
    expect(audit).toHaveLength(rows.length * perRow);
    const lastHistory = rows.map((row) => history.filter((h) => h.target_record_id === row.record_id).pop() as Row);
    rows.forEach((row, index) => {
      for (const column of Object.keys(row).filter((name) => name !== 'record_id')) expect(lastHistory[index][column]).toEqual(row[column]);
    });
    history.forEach((h, index) => expect(audit[index].target_record_id).toBe(h.record_id));
    return {
      rows: rows.map((row) => strip(row, ROW_DIFFERING)),
      history: history.map((h) => strip(h, [...ROW_DIFFERING, 'target_record_id'])),
      audit: audit.map((a) => strip(a, ['record_id', 'id', 'target_record_id', 'row_record_id', 'created_date', ...extraAudit])),
    };
  }

  /** A loaded-looking row that is in no table. */
  const twinOfNothing = (item: InvoiceItemRow) => Object.assign(new InvoiceItemRow(), { ...item, id: randomUUID(), recordId: 999_999_999 });

  const entityView = (entity: object) => strip(entity as Row, ['recordId', 'id', 'externalKey', 'createdDate', 'updatedDate']);

  it('inserts rows with their history and audit rows as save() of each does, and completes the entities alike', async () => {
    const fast = items(12);
    const slow = twins(fast);
    const returned = await inContext((manager) => insertManyLikeSave(manager, InvoiceItemRow, fast, clock));
    expect(returned).toEqual(fast);
    await inContext(async (manager) => {
      for (const item of slow) await manager.getRepository(InvoiceItemRow).save(item);
    });
    // record ids in the order given; stamps, defaults and nulls completed
    const fastIds = fast.map((item) => item.recordId);
    expect(fastIds).toEqual([...fastIds].sort((a, b) => a - b));
    expect(typeof fastIds[0]).toBe('number');
    expect(fast.map(entityView)).toEqual(slow.map(entityView));
    expect(fast[0].usageName).toBeNull(); // left undefined, read null as save() leaves it
    expect(fast[0].createdBy).toBe('bulk-writer');
    expect(fast[0].createdDate).toBeInstanceOf(Date);

    const fastWritten = await writtenFor('invoice_items', fastIds);
    const slowWritten = await writtenFor(
      'invoice_items',
      slow.map((item) => item.recordId),
    );
    expect(fastWritten.rows.map((row) => row.id)).toEqual(fast.map((item) => item.id));
    expect(fastWritten.rows[0].created_date).toEqual(fast[0].createdDate);
    expect(fastWritten.rows[0].updated_date).toEqual(fastWritten.rows[0].created_date);
    expect(comparable(fastWritten, 1)).toEqual(comparable(slowWritten, 1));
    expect(fastWritten.audit[0]).toMatchObject({
      change_type: 'INSERT',
      table_name: 'invoice_items',
      created_by: 'bulk-writer',
      reason_code: 'why',
      comments: 'because',
      user_token: userToken,
      account_record_id: String(account.recordId),
      tenant_record_id: String(tenantRecordId),
    });
    // each audit row points at the history row of its own row
    fastWritten.audit.forEach((audit, index) => expect(audit.row_record_id).toBe(fastWritten.rows[index].record_id));
  });

  it('sends a column every row of a statement shares once, not per row, and writes what save() writes whichever columns vary', async () => {
    // Three statements of two rows: the description shared in the first only, the bundle null in the second only.
    const fast = items(6).map((item, i) =>
      Object.assign(item, {
        description: i < 2 ? 'shared' : `item ${i}`,
        bundleId: i === 2 || i === 3 ? null : randomUUID(),
        usageName: null,
        itemDetails: `{"n":${i}}`,
      }),
    );
    const slow = twins(fast);
    const documents: string[] = [];
    await inContext((manager) => {
      const query = manager.query.bind(manager);
      const spy = jest.spyOn(manager, 'query').mockImplementation((sql: string, parameters?: unknown[]) => {
        if (sql.includes('json_populate_recordset')) documents.push(String(parameters?.[0]));
        return query(sql, parameters);
      });
      return insertManyLikeSave(manager, InvoiceItemRow, fast, clock, { chunkSize: 2 }).finally(() => spy.mockRestore());
    });
    await inContext(async (manager) => {
      for (const item of slow) await manager.getRepository(InvoiceItemRow).save(item);
    });
    expect(documents).toHaveLength(3);
    const columnsOf = (document: string) => Object.keys((JSON.parse(document) as Row[])[0]);
    for (const document of documents) {
      expect(columnsOf(document)).toEqual(expect.arrayContaining(['record_id', 'id', 'amount']));
      for (const shared of ['invoice_id', 'currency', 'created_by', 'tenant_record_id', 'child_account_id']) expect(columnsOf(document)).not.toContain(shared);
    }
    expect(columnsOf(documents[0])).not.toContain('description');
    expect(columnsOf(documents[1])).toContain('description');
    expect(columnsOf(documents[1])).not.toContain('bundle_id');
    expect(columnsOf(documents[2])).toContain('bundle_id');
    expect(fast.map(entityView)).toEqual(slow.map(entityView));
    const fastWritten = await writtenFor(
      'invoice_items',
      fast.map((item) => item.recordId),
    );
    const slowWritten = await writtenFor(
      'invoice_items',
      slow.map((item) => item.recordId),
    );
    expect(comparable(fastWritten, 1)).toEqual(comparable(slowWritten, 1));
  });

  it('inserts accounts (their own account) as save() does: the audit row carries the new record id', async () => {
    const make = () =>
      Array.from({ length: 3 }, (_, i) =>
        Object.assign(new AccountRow(), {
          id: randomUUID(),
          externalKey: `bulk-own-${randomUUID()}`,
          tenantRecordId,
          name: `A${i}`,
          referenceTime: new Date('2024-03-04T05:06:07.089Z'),
          timeZone: 'UTC',
          currency: 'EUR',
        }),
      );
    const fast = make();
    const slow = make();
    await inContext((manager) => insertManyLikeSave(manager, AccountRow, fast, clock));
    await inContext(async (manager) => {
      for (const row of slow) await manager.getRepository(AccountRow).save(row);
    });
    expect(fast.map(entityView)).toEqual(slow.map(entityView));
    expect(fast[0].billingCycleDayLocal).toBe(0); // the column default, read back
    const fastWritten = await writtenFor(
      'accounts',
      fast.map((row) => row.recordId),
    );
    const slowWritten = await writtenFor(
      'accounts',
      slow.map((row) => row.recordId),
    );
    fastWritten.audit.forEach((audit, index) => expect(Number(audit.account_record_id)).toBe(fast[index].recordId));
    slowWritten.audit.forEach((audit, index) => expect(Number(audit.account_record_id)).toBe(slow[index].recordId));
    expect(comparable(fastWritten, 1, ['account_record_id'])).toEqual(comparable(slowWritten, 1, ['account_record_id']));
  });

  // One row alone takes a statement of its own (plain parameters); several take the json one.
  const updateWays: [string, <T extends object>(manager: EntityManager, target: EntityTarget<T>, rows: T[]) => Promise<T[]>][] = [
    ['in one statement', (manager, target, rows) => updateManyLikeSave(manager, target, rows, clock)],
    [
      'one row at a time',
      async (manager, target, rows) => {
        const written = [];
        for (const row of rows) written.push(...(await updateManyLikeSave(manager, target, [row], clock)));
        return written;
      },
    ],
  ];

  it.each(updateWays)(
    'updates changed rows (%s) as save() of each does: all columns, stamps, UPDATE history and audit; unchanged rows untouched',
    async (_, update) => {
      const fastInserted = items(10);
      const slowInserted = twins(fastInserted);
      await inContext(async (manager) => {
        await insertManyLikeSave(manager, InvoiceItemRow, fastInserted, clock);
        await insertManyLikeSave(manager, InvoiceItemRow, slowInserted, clock);
      });
      const load = (rows: InvoiceItemRow[]) =>
        inContext((manager) =>
          manager.getRepository(InvoiceItemRow).find({ where: rows.map((row) => ({ recordId: row.recordId })), order: { recordId: 'ASC' } }),
        );
      const fast = await load(fastInserted);
      const slow = await load(slowInserted);
      const change = (row: InvoiceItemRow, i: number) => {
        if (i % 3 === 0) return; // unchanged: no write, no history
        row.amount = row.amount.times(2);
        row.description = i % 2 ? null : `changed ${i}`;
        row.endDate = LocalDate.of(2024, 3, 1);
        row.createdBy = 'someone else'; // every column is written, as save() writes a changed one
      };
      fast.forEach(change);
      slow.forEach(change);
      const before = await t.query<{ updated_date: Date }>(`SELECT updated_date FROM invoice_items WHERE record_id = $1`, [fast[0].recordId]);

      const written = await inContext((manager) => update(manager, InvoiceItemRow, fast));
      await inContext(async (manager) => {
        for (const row of slow) await manager.getRepository(InvoiceItemRow).save(row);
      });
      expect(written).toEqual(fast.filter((_, i) => i % 3 !== 0));
      expect(fast[1].updatedBy).toBe('bulk-writer');
      expect(fast.map(entityView)).toEqual(slow.map(entityView));

      const fastWritten = await writtenFor(
        'invoice_items',
        fast.map((row) => row.recordId),
      );
      const slowWritten = await writtenFor(
        'invoice_items',
        slow.map((row) => row.recordId),
      );
      expect(fastWritten.history.filter((h) => h.change_type === 'UPDATE')).toHaveLength(6);
      expect(fastWritten.audit.filter((a) => a.change_type === 'UPDATE')).toHaveLength(6);
      const strippedRows = (written: { rows: Row[] }) => written.rows.map((row) => strip(row, ROW_DIFFERING));
      expect(strippedRows(fastWritten)).toEqual(strippedRows(slowWritten));
      const strippedHistory = (written: { history: Row[]; audit: Row[] }) => ({
        history: written.history.map((h) => strip(h, [...ROW_DIFFERING, 'target_record_id'])),
        audit: written.audit.map((a) => strip(a, ['record_id', 'id', 'target_record_id', 'row_record_id', 'created_date'])),
      });
      expect(strippedHistory(fastWritten)).toEqual(strippedHistory(slowWritten));
      // the written rows stamped now (in the row and its history), the unchanged one kept as it was
      const [unchanged] = await t.query<{ updated_date: Date }>(`SELECT updated_date FROM invoice_items WHERE record_id = $1`, [fast[0].recordId]);
      expect(unchanged.updated_date).toEqual(before[0].updated_date);
      const [changed] = await t.query<Row>(`SELECT * FROM invoice_items WHERE record_id = $1`, [fast[1].recordId]);
      expect(changed.updated_date).toEqual(fast[1].updatedDate);
      expect(changed.updated_by).toBe('bulk-writer');
      expect(changed.created_by).toBe('someone else');
      expect(fastWritten.audit.find((a) => a.change_type === 'UPDATE')).toMatchObject({
        created_by: 'bulk-writer',
        reason_code: 'why',
        comments: 'because',
        user_token: userToken,
        account_record_id: String(account.recordId),
      });
    },
  );

  it.each(updateWays)('audits a row going from active to inactive as a DELETE (%s), as the subscriber does', async (_, update) => {
    const make = () =>
      [0, 1].map((i) =>
        Object.assign(new AccountEmailRow(), {
          id: randomUUID(),
          tenantRecordId,
          accountRecordId: account.recordId,
          accountId: account.id,
          email: `e${i}@example.com`,
        }),
      );
    const fast = make();
    const slow = make();
    await inContext(async (manager) => {
      await insertManyLikeSave(manager, AccountEmailRow, fast, clock);
      await insertManyLikeSave(manager, AccountEmailRow, slow, clock);
    });
    expect(fast[0].isActive).toBe(true);
    for (const rows of [fast, slow]) {
      rows[0].isActive = false;
      rows[1].email = 'changed@example.com';
    }
    await inContext((manager) => update(manager, AccountEmailRow, fast));
    await inContext(async (manager) => {
      for (const row of slow) await manager.getRepository(AccountEmailRow).save(row);
    });
    const fastWritten = await writtenFor(
      'account_emails',
      fast.map((row) => row.recordId),
    );
    const slowWritten = await writtenFor(
      'account_emails',
      slow.map((row) => row.recordId),
    );
    expect(fastWritten.history.map((h) => h.change_type)).toEqual(['INSERT', 'DELETE', 'INSERT', 'UPDATE']);
    expect(fastWritten.audit.map((a) => a.change_type)).toEqual(['INSERT', 'DELETE', 'INSERT', 'UPDATE']);
    expect(comparable(fastWritten, 2)).toEqual(comparable(slowWritten, 2));
  });

  it('writes new rows of several tables in one statement (insertAllLikeSave), then updates them in one (updateAllLikeSave), as save() of each does', async () => {
    const emails = () =>
      Object.assign(new AccountEmailRow(), {
        id: randomUUID(),
        tenantRecordId,
        accountRecordId: account.recordId,
        accountId: account.id,
        email: 'all@example.com',
      });
    const [fastItem] = items(1);
    const [slowItem] = twins([fastItem]);
    const fast = [fastItem, emails()] as const;
    const slow = [slowItem, emails()] as const;
    expect(await inContext((manager) => insertAllLikeSave(manager, fast, clock))).toBe(true);
    await inContext(async (manager) => {
      for (const row of slow) await manager.save(row);
    });
    expect(fast.map(entityView)).toEqual(slow.map(entityView));
    expect(fast[0].recordId).toEqual(expect.any(Number));
    expect(fast[1].recordId).toEqual(expect.any(Number));

    for (const [item, email] of [fast, slow]) {
      item.amount = new Big('1.5');
      email.isActive = false;
    }
    // A row that is not in the table throws, and its transaction rolls back: nothing is written.
    await expect(inContext((manager) => updateAllLikeSave(manager, [...fast, twinOfNothing(fast[0])], clock))).rejects.toThrow(/not in the table/);
    expect(await inContext((manager) => updateAllLikeSave(manager, [...fast], clock))).toEqual([...fast]);
    expect(await inContext((manager) => updateAllLikeSave(manager, [...fast], clock))).toEqual([]); // unchanged now: no write
    await inContext(async (manager) => {
      for (const row of slow) await manager.save(row);
    });
    for (const [table, index] of [
      ['invoice_items', 0],
      ['account_emails', 1],
    ] as const) {
      const fastWritten = await writtenFor(table, [fast[index].recordId]);
      const slowWritten = await writtenFor(table, [slow[index].recordId]);
      expect(fastWritten.history.map((h) => h.change_type)).toEqual(['INSERT', index === 1 ? 'DELETE' : 'UPDATE']);
      expect(comparable(fastWritten, 2)).toEqual(comparable(slowWritten, 2));
    }
  });

  it('writes 10,000 rows in one call, over several statements (more values than PostgreSQL takes parameters), each with its history and audit row', async () => {
    const many = items(10_000);
    const columns = t.dataSource.getMetadata(InvoiceItemRow).columns.length;
    expect(many.length * columns).toBeGreaterThan(65_535);
    const statements: string[] = [];
    await inContext(async (manager) => {
      const query = manager.query.bind(manager);
      jest.spyOn(manager, 'query').mockImplementation((sql: string, parameters?: unknown[]) => {
        statements.push(sql);
        return query(sql, parameters);
      });
      await insertManyLikeSave(manager, InvoiceItemRow, many, clock, { chunkSize: 3_000 });
      many.forEach((row, i) => {
        if (i % 2) row.amount = new Big(i);
      });
      await updateManyLikeSave(manager, InvoiceItemRow, many, clock);
      jest.restoreAllMocks();
    });
    // two shapes (every 5th row leaves two columns undefined): 8,000 rows in 3 statements of at most 3,000, 2,000 in one
    expect(statements.filter((sql) => sql.includes('INSERT INTO "invoice_items"'))).toHaveLength(4);
    const recordIds = many.map((row) => row.recordId);
    expect(new Set(recordIds).size).toBe(10_000);
    expect(recordIds).toEqual([...recordIds].sort((a, b) => a - b));
    const [counts] = await t.query<{ rows: string; inserts: string; updates: string; audits: string; mismatched: string }>(
      `SELECT (SELECT count(*) FROM invoice_items WHERE record_id = ANY($1)) AS rows,
              (SELECT count(*) FROM invoice_items_history WHERE target_record_id = ANY($1) AND change_type = 'INSERT') AS inserts,
              (SELECT count(*) FROM invoice_items_history WHERE target_record_id = ANY($1) AND change_type = 'UPDATE') AS updates,
              (SELECT count(*) FROM audit_log a JOIN invoice_items_history h ON h.record_id = a.target_record_id AND a.table_name = 'invoice_items'
                WHERE h.target_record_id = ANY($1) AND a.change_type = h.change_type) AS audits,
              (SELECT count(*) FROM invoice_items i JOIN invoice_items_history h ON h.target_record_id = i.record_id AND h.change_type = 'INSERT'
                WHERE i.record_id = ANY($1) AND (h.id <> i.id OR h.start_date <> i.start_date OR h.description <> i.description)) AS mismatched`,
      [recordIds],
    );
    expect(counts).toEqual({ rows: '10000', inserts: '10000', updates: '5000', audits: '15000', mismatched: '0' });
    const [odd] = await t.query<{ amount: string; history_amount: string }>(
      `SELECT i.amount, h.amount AS history_amount FROM invoice_items i JOIN invoice_items_history h ON h.target_record_id = i.record_id AND h.change_type = 'UPDATE' WHERE i.record_id = $1`,
      [many[9_999].recordId],
    );
    expect(odd).toEqual({ amount: '9999.000000000', history_amount: '9999.000000000' });
  });

  it('refuses to write outside a transaction, a new row with a record id, and an update of a row that does not exist', async () => {
    const context = newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'bulk-writer' });
    await expect(runWithContext(context, () => insertManyLikeSave(t.dataSource.manager, InvoiceItemRow, items(1), clock))).rejects.toThrow(
      'inside Transactions.run()',
    );
    await expect(runWithContext(context, () => updateManyLikeSave(t.dataSource.manager, InvoiceItemRow, items(1), clock))).rejects.toThrow(
      'inside Transactions.run()',
    );
    const withId = Object.assign(items(1)[0], { recordId: 1 });
    await expect(inContext((manager) => insertManyLikeSave(manager, InvoiceItemRow, [withId], clock))).rejects.toThrow('no record id yet');
    const missing = Object.assign(items(1)[0], { recordId: 999_999_999 });
    await expect(inContext((manager) => updateManyLikeSave(manager, InvoiceItemRow, [missing], clock))).rejects.toThrow('not in the table');
    const [row] = items(1);
    await inContext((manager) => insertManyLikeSave(manager, InvoiceItemRow, [row], clock));
    await expect(inContext((manager) => updateManyLikeSave(manager, InvoiceItemRow, [row, row], clock))).rejects.toThrow('given twice');
  });

  it('rolls back with its transaction: nothing of the rows, their history or audit is left', async () => {
    const rows = items(50);
    const [before] = await t.query<{ audits: string }>(`SELECT count(*) AS audits FROM audit_log WHERE table_name = 'invoice_items'`);
    await expect(
      inContext(async (manager) => {
        await insertManyLikeSave(manager, InvoiceItemRow, rows, clock, { chunkSize: 20 });
        rows.forEach((row) => (row.amount = new Big(1)));
        await updateManyLikeSave(manager, InvoiceItemRow, rows, clock);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const ids = rows.map((row) => row.id);
    expect(await t.query(`SELECT 1 FROM invoice_items WHERE id = ANY($1)`, [ids])).toHaveLength(0);
    expect(await t.query(`SELECT 1 FROM invoice_items_history WHERE id = ANY($1)`, [ids])).toHaveLength(0);
    const [after] = await t.query<{ audits: string }>(`SELECT count(*) AS audits FROM audit_log WHERE table_name = 'invoice_items'`);
    expect(after.audits).toBe(before.audits);
  });
});
