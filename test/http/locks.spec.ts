import { accountLockName, KillBillException, Locks, newRequestContext, runWithContext, Transactions } from '@kb/platform';
import type { EntityManager } from 'typeorm';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

/** Kill Bill's per-account lock, in a transaction and across outside calls, with a bounded wait. */
describe('Account locks', () => {
  // 20 tries of 100 ms: a waiter gives up after about two seconds.
  const RETRIES = '20';
  let t: TestApp;
  let tenant: TestTenant;
  let tenantRecordId: number;
  let locks: Locks;

  beforeAll(async () => {
    // A pool of 10 connections (org.killbill.dao.maxActive): at most five hold locks across calls.
    t = await startTestApp({ 'org.killbill.invoice.globalLock.retries': RETRIES, 'org.killbill.payment.globalLock.retries': RETRIES, 'org.killbill.dao.maxActive': '10' });
    tenant = await t.createTenant();
    tenantRecordId = Number((await t.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [tenant.id]))[0].record_id);
    locks = t.app.get(Locks);
  });
  afterAll(() => t.close());

  const inTenant = <T>(work: () => Promise<T>): Promise<T> =>
    runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'test' }), work);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Holds the account's lock from a connection of the test itself until `release` is called. */
  async function holdFromOutside(accountId: string): Promise<{ release(): Promise<void> }> {
    const runner = t.dataSource.createQueryRunner();
    await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [accountLockName(accountId)]);
    return {
      async release() {
        await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [accountLockName(accountId)]);
        await runner.release();
      },
    };
  }

  /** The session holding the account's lock, if any, and whether it has a transaction open. */
  async function lockHolder(accountId: string): Promise<{ pid: number; state: string; xact_start: Date | null } | undefined> {
    const rows = await t.query<{ pid: number; state: string; xact_start: Date | null }>(
      `SELECT a.pid, a.state, a.xact_start
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended($1, 0)`,
      [accountLockName(accountId)],
    );
    return rows[0];
  }

  function deferred(): { promise: Promise<void>; resolve(): void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  describe('withAccountLock', () => {
    it('serialises two changes of one account: the second starts after the first committed', async () => {
      const accountId = await createAccount(t, tenant);
      const firstHolds = deferred();
      const finishFirst = deferred();
      const first = inTenant(() =>
        locks.withAccountLock(accountId, async (manager) => {
          firstHolds.resolve();
          await finishFirst.promise;
          await manager.query(`UPDATE accounts SET notes = 'first' WHERE id = $1`, [accountId]);
        }),
      );
      await firstHolds.promise;
      let secondStarted = false;
      const second = inTenant(() =>
        locks.withAccountLock(accountId, async (manager) => {
          secondStarted = true;
          const [row] = await manager.query(`SELECT notes FROM accounts WHERE id = $1`, [accountId]);
          return row.notes as string;
        }),
      );
      await sleep(300);
      expect(secondStarted).toBe(false);
      finishFirst.resolve();
      await first;
      await expect(second).resolves.toBe('first');
    });

    it('lets changes of different accounts run in parallel', async () => {
      const [a, b] = [await createAccount(t, tenant), await createAccount(t, tenant)];
      const aHolds = deferred();
      const finishA = deferred();
      const first = inTenant(() =>
        locks.withAccountLock(a, async () => {
          aHolds.resolve();
          await finishA.promise;
        }),
      );
      await aHolds.promise;
      await expect(inTenant(() => locks.withAccountLock(b, async () => 'done'))).resolves.toBe('done');
      finishA.resolve();
      await first;
    });

    it("gives up after the bounded wait with Kill Bill's lock error, and the caller's transaction stays usable", async () => {
      const accountId = await createAccount(t, tenant);
      const holder = await holdFromOutside(accountId);
      try {
        const started = Date.now();
        const outcome = await inTenant(() =>
          t.app.get(Transactions).run(async (manager) => {
            const error = await locks.withAccountLock(accountId, async () => 'locked').catch((e: unknown) => e);
            const [{ alive }] = await manager.query('SELECT 1 AS alive');
            return { error, alive };
          }),
        );
        const waited = Date.now() - started;
        expect(outcome.alive).toBe(1);
        expect(outcome.error).toBeInstanceOf(KillBillException);
        expect((outcome.error as KillBillException).errorCode.name).toBe('UNEXPECTED_ERROR');
        expect(waited).toBeGreaterThanOrEqual(1900);
        expect(waited).toBeLessThan(6000);
      } finally {
        await holder.release();
      }
    });

    it('answers a request that cannot get the lock with UNEXPECTED_ERROR as a 400, and changes nothing', async () => {
      const accountId = await createAccount(t, tenant);
      const holder = await holdFromOutside(accountId);
      try {
        const response = await t.http.put(`/1.0/kb/accounts/${accountId}`).set(tenant.headers).send({ name: 'Locked out' }).expect(400);
        expect(response.body).toMatchObject({ code: 4, message: `Failed to acquire the lock of account ${accountId}` });
      } finally {
        await holder.release();
      }
      const [row] = await t.query<{ name: string }>(`SELECT name FROM accounts WHERE id = $1`, [accountId]);
      expect(row.name).toBe('Jane');
      await t.http.put(`/1.0/kb/accounts/${accountId}`).set(tenant.headers).send({ name: 'Unlocked' }).expect(204);
    });

    it('joins a transaction that already holds the lock without waiting for itself', async () => {
      const accountId = await createAccount(t, tenant);
      const started = Date.now();
      await inTenant(() => locks.withAccountLock(accountId, () => locks.withAccountLock(accountId, async () => undefined)));
      expect(Date.now() - started).toBeLessThan(1900);
    });
  });

  describe('withAccountLockAcross', () => {
    it('holds the lock during a slow outside call with no transaction open, blocking other changes of the account', async () => {
      const accountId = await createAccount(t, tenant);
      const inSlowCall = deferred();
      const gatewayAnswers = deferred();
      let beforeTxid = '';
      const payment = inTenant(() =>
        locks.withAccountLockAcross(accountId, async ({ inTransaction }) => {
          beforeTxid = await inTransaction(async (manager) => String((await manager.query('SELECT txid_current() AS txid'))[0].txid));
          inSlowCall.resolve();
          await gatewayAnswers.promise; // the payment gateway
          await inTransaction((manager) => manager.query(`UPDATE accounts SET notes = 'paid' WHERE id = $1`, [accountId]));
        }),
      );
      await inSlowCall.promise;

      const holder = await lockHolder(accountId);
      expect(holder).toMatchObject({ state: 'idle', xact_start: null });
      const [{ status }] = await t.query<{ status: string }>('SELECT txid_status($1::bigint) AS status', [beforeTxid]);
      expect(status).toBe('committed');

      let changeStarted = false;
      const change = inTenant(() =>
        locks.withAccountLock(accountId, async (manager) => {
          changeStarted = true;
          return (await manager.query(`SELECT notes FROM accounts WHERE id = $1`, [accountId]))[0].notes as string;
        }),
      );
      await sleep(300);
      expect(changeStarted).toBe(false);
      gatewayAnswers.resolve();
      await payment;
      await expect(change).resolves.toBe('paid');
      expect(await lockHolder(accountId)).toBeUndefined();
    });

    it("runs its units on the lock's own connection; a one-statement unit is its own transaction and refuses a second statement unsent", async () => {
      const accountId = await createAccount(t, tenant);
      const pidOf = async (manager: EntityManager) => Number((await manager.query('SELECT pg_backend_pid() AS pid'))[0].pid);
      await inTenant(() =>
        locks.withAccountLockAcross(accountId, async ({ inTransaction, inStatement, reader }) => {
          const holder = (await lockHolder(accountId))?.pid;
          expect(holder).toBeDefined();
          expect(await pidOf(reader)).toBe(holder);
          expect(await inTransaction(pidOf)).toBe(holder);
          expect(await inStatement(pidOf)).toBe(holder);
          await expect(
            inStatement(async (manager) => {
              await manager.query(`UPDATE accounts SET notes = 'first' WHERE id = $1`, [accountId]);
              await manager.query(`UPDATE accounts SET notes = 'second' WHERE id = $1`, [accountId]);
            }),
          ).rejects.toThrow('sent a second statement');
          expect(await inStatement(pidOf)).toBe(holder);
        }),
      );
      // The first statement was a transaction of its own; the second never reached PostgreSQL.
      expect((await t.query<{ notes: string }>(`SELECT notes FROM accounts WHERE id = $1`, [accountId]))[0].notes).toBe('first');
      expect(await lockHolder(accountId)).toBeUndefined();
    });

    it('releases the lock when the work throws', async () => {
      const accountId = await createAccount(t, tenant);
      await expect(
        inTenant(() =>
          locks.withAccountLockAcross(accountId, async () => {
            throw new Error('gateway down');
          }),
        ),
      ).rejects.toThrow('gateway down');
      expect(await lockHolder(accountId)).toBeUndefined();
      const started = Date.now();
      await inTenant(() => locks.withAccountLock(accountId, async () => undefined));
      expect(Date.now() - started).toBeLessThan(500);
    });

    it('lets its own transactions take the account lock again without waiting for itself', async () => {
      const accountId = await createAccount(t, tenant);
      await expect(
        inTenant(() => locks.withAccountLockAcross(accountId, ({ inTransaction }) => inTransaction(() => locks.withAccountLock(accountId, async () => 'nested')))),
      ).resolves.toBe('nested');
    });

    it("gives up after the bounded wait with Kill Bill's payment lock error (500)", async () => {
      const accountId = await createAccount(t, tenant);
      const holder = await holdFromOutside(accountId);
      try {
        const error = await inTenant(() => locks.withAccountLockAcross(accountId, async () => 'locked')).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(KillBillException);
        expect(error).toMatchObject({ httpStatus: 500, errorCode: { name: 'PAYMENT_INTERNAL_ERROR', code: 7019 } });
      } finally {
        await holder.release();
      }
    });

    it('lets at most half the pool hold locks across calls, so their own transactions still find a connection', async () => {
      const accounts = await Promise.all(Array.from({ length: 6 }, () => createAccount(t, tenant)));
      const answers = accounts.map(() => deferred());
      const started: string[] = [];
      const payments = accounts.map((accountId, i) =>
        inTenant(() =>
          locks.withAccountLockAcross(accountId, async ({ inTransaction }) => {
            started.push(accountId);
            await answers[i].promise;
            await inTransaction((manager) => manager.query('SELECT 1'));
          }),
        ),
      );
      await sleep(300);
      // The pool has 10 connections: five holders, the sixth waits for a slot.
      expect(started).toHaveLength(5);
      answers[accounts.indexOf(started[0])].resolve();
      await sleep(300);
      expect(started).toHaveLength(6);
      for (const answer of answers) answer.resolve();
      await Promise.all(payments);
    });

    it('refuses to start inside a transaction (the outside call would run in it)', async () => {
      const accountId = await createAccount(t, tenant);
      await expect(inTenant(() => t.app.get(Transactions).run(() => locks.withAccountLockAcross(accountId, async () => undefined)))).rejects.toThrow(
        /not inside one/,
      );
    });
  });
});
