import { randomUUID } from 'node:crypto';
import type { EntitySubscriberInterface, InsertEvent } from 'typeorm';
import { newRequestContext, runWithContext, tenantRepository, Transactions } from '@kb/platform';
import { AccountEmailRow, AccountRow } from '@kb/account';
import { startTestApp, type TestApp } from '../support/test-app';

type Row = Record<string, unknown>;

/**
 * A new row saved through the tenant repository skips TypeORM's persistence (one statement writes the
 * row, its history and its audit row): what it writes and what the caller gets back is exactly what
 * `save()` with the history subscriber writes and returns.
 */
describe('Audited insert in one statement', () => {
  let t: TestApp;
  let tenantRecordId: number;
  let subscriber: EntitySubscriberInterface;

  beforeAll(async () => {
    t = await startTestApp();
    const tenant = await t.createTenant();
    tenantRecordId = Number((await t.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [tenant.id]))[0].record_id);
    subscriber = t.dataSource.subscribers[0];
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  const userToken = randomUUID();
  const inContext = <T>(work: () => Promise<T>) =>
    runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'writer', reasonCode: 'why', comments: 'because', userToken }), () =>
      t.app.get(Transactions).run(work),
    );

  /** Saves `make()` once through the fast path and once through TypeORM's save(); both entities and what each wrote. */
  async function bothWays<T extends { recordId: number; tenantRecordId: number }>(target: new () => T, make: () => Partial<T>) {
    const spy = jest.spyOn(subscriber, 'afterInsert' as never);
    const table = t.dataSource.getMetadata(target).tableName;
    // Only this table's inserts: the application writes rows of its own meanwhile (catalogs, bus).
    const afterInsert = () => (spy.mock.calls as unknown as [InsertEvent<unknown>][]).filter(([event]) => event.metadata.tableName === table);
    const fast = await inContext(() => {
      const repository = tenantRepository(t.app.get(Transactions).manager(), target);
      return repository.save(repository.create(make() as never));
    });
    expect(afterInsert()).toHaveLength(0); // the fast path did write this one
    const slow = await inContext(() =>
      t.app
        .get(Transactions)
        .manager()
        .getRepository(target)
        .save(Object.assign(new target(), { ...make(), tenantRecordId })),
    );
    expect(afterInsert()).toHaveLength(1);
    return { fast, slow };
  }

  async function writtenFor(table: string, recordId: number): Promise<{ row: Row; history: Row[]; audit: Row[] }> {
    const [row] = await t.query(`SELECT * FROM ${table} WHERE record_id = $1`, [recordId]);
    const history = await t.query(`SELECT * FROM ${table}_history WHERE target_record_id = $1`, [recordId]);
    const audit = await t.query(`SELECT * FROM audit_log WHERE table_name = $1 AND target_record_id = ANY($2)`, [table, history.map((h) => h.record_id)]);
    return { row, history, audit };
  }

  /** What must differ between two rows written in turn (keys, ids, instants), replaced by what must hold of it. */
  function comparable(written: { row: Row; history: Row[]; audit: Row[] }, differing: readonly string[]) {
    const { row, history, audit } = written;
    expect(history).toHaveLength(1);
    expect(audit).toHaveLength(1);
    expect(history[0].target_record_id).toBe(row.record_id);
    expect(audit[0].target_record_id).toBe(history[0].record_id);
    const strip = (values: Row, names: readonly string[]) => Object.fromEntries(Object.entries(values).filter(([name]) => !names.includes(name)));
    for (const copied of Object.keys(row).filter((name) => name !== 'record_id')) expect(history[0][copied]).toEqual(row[copied]);
    const instants = ['created_date', 'updated_date'];
    expect(row.updated_date).toEqual(row.created_date);
    return {
      row: strip(row, ['record_id', ...instants, ...differing]),
      history: strip(history[0], ['record_id', 'target_record_id', ...instants, ...differing]),
      audit: strip(audit[0], ['record_id', 'id', 'target_record_id', 'created_date', ...(differing.includes('record_id') ? ['account_record_id'] : [])]),
    };
  }

  it('writes an account, its history and its audit row as save() does, and completes the entity alike', async () => {
    let n = 0;
    const { fast, slow } = await bothWays(AccountRow, () => ({
      id: randomUUID(),
      externalKey: `same-${++n}`,
      name: 'Same',
      email: 'same@example.com',
      currency: 'USD',
      referenceTime: new Date('2024-01-02T03:04:05.678Z'),
      timeZone: 'Europe/Paris',
      isPaymentDelegatedToParent: false,
      notes: null,
      // billingCycleDayLocal left out: the column default (0) is read back into the entity
    }));
    expect(fast).toBeInstanceOf(AccountRow);
    expect(fast.billingCycleDayLocal).toBe(0);
    expect(typeof fast.recordId).toBe('number');
    const entity = (row: AccountRow) => ({
      ...row,
      recordId: undefined,
      id: undefined,
      externalKey: undefined,
      createdDate: undefined,
      updatedDate: undefined,
    });
    expect(entity(fast)).toEqual(entity(slow));
    expect(fast.createdDate).toBeInstanceOf(Date);

    const fastWritten = await writtenFor('accounts', fast.recordId);
    const slowWritten = await writtenFor('accounts', slow.recordId);
    // An account is its own account: its audit row carries its own record id.
    expect(Number(fastWritten.audit[0].account_record_id)).toBe(fast.recordId);
    expect(Number(slowWritten.audit[0].account_record_id)).toBe(slow.recordId);
    expect(fastWritten.row.created_date).toEqual(fast.createdDate);
    expect(comparable(fastWritten, ['id', 'external_key', 'record_id'])).toEqual(comparable(slowWritten, ['id', 'external_key', 'record_id']));
    expect(fastWritten.audit[0]).toMatchObject({ change_type: 'INSERT', created_by: 'writer', reason_code: 'why', comments: 'because', user_token: userToken });
  });

  it('writes a row of an account (its account record id given) as save() does', async () => {
    const account = await inContext(() => {
      const repository = tenantRepository(t.app.get(Transactions).manager(), AccountRow);
      return repository.save(repository.create({ id: randomUUID(), externalKey: `owner-${randomUUID()}`, referenceTime: new Date(), timeZone: 'UTC' }));
    });
    const { fast, slow } = await bothWays(AccountEmailRow, () => ({
      id: randomUUID(),
      accountId: account.id,
      email: 'a@example.com',
      accountRecordId: account.recordId,
    }));
    expect(fast.isActive).toBe(true); // the column default, read back
    const fastWritten = await writtenFor('account_emails', fast.recordId);
    const slowWritten = await writtenFor('account_emails', slow.recordId);
    expect(Number(fastWritten.audit[0].account_record_id)).toBe(account.recordId);
    expect(comparable(fastWritten, ['id'])).toEqual(comparable(slowWritten, ['id']));
  });

  it('rolls back with its transaction: a failed create leaves no row, history or audit', async () => {
    const id = randomUUID();
    await expect(
      inContext(async () => {
        const repository = tenantRepository(t.app.get(Transactions).manager(), AccountRow);
        await repository.save(repository.create({ id, externalKey: `rolled-${id}`, referenceTime: new Date(), timeZone: 'UTC' }));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await t.query(`SELECT 1 FROM accounts WHERE id = $1`, [id])).toHaveLength(0);
    expect(await t.query(`SELECT 1 FROM accounts_history WHERE id = $1`, [id])).toHaveLength(0);
  });
});
