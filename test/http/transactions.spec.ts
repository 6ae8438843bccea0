import { newRequestContext, runWithContext, sendBeforeNextStatement, Transactions } from '@kb/platform';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { startTestApp, type TestApp } from '../support/test-app';

/** The transaction primitive's after-transaction work, and a statement held back for the next one. */
describe('Transactions', () => {
  let t: TestApp;
  let transactions: Transactions;

  beforeAll(async () => {
    t = await startTestApp();
    transactions = t.app.get(Transactions);
  });
  afterAll(() => t.close());

  const inContext = <T>(work: () => Promise<T>): Promise<T> => runWithContext(newRequestContext({ tenant: { recordId: 1 }, createdBy: 'test' }), work);

  describe('afterTransaction', () => {
    it('runs once the outermost transaction has committed, not when a joined unit ends', async () => {
      const seen: string[] = [];
      await inContext(() =>
        transactions.run(async (manager) => {
          await transactions.run(async () => transactions.afterTransaction(() => seen.push('after')));
          seen.push('joined unit ended');
          await manager.query('SELECT 1');
          seen.push('last statement');
        }),
      );
      expect(seen).toEqual(['joined unit ended', 'last statement', 'after']);
    });

    it('runs after a rollback too, and at once when no transaction is in progress', async () => {
      const seen: string[] = [];
      await expect(
        inContext(() =>
          transactions.run(async () => {
            transactions.afterTransaction(() => seen.push('after rollback'));
            throw new Error('undone');
          }),
        ),
      ).rejects.toThrow('undone');
      expect(seen).toEqual(['after rollback']);
      await inContext(async () => transactions.afterTransaction(() => seen.push('at once')));
      expect(seen).toEqual(['after rollback', 'at once']);
    });

    it('runs after a one-statement unit', async () => {
      const seen: string[] = [];
      await inContext(() =>
        transactions.runStatement(async (manager) => {
          transactions.afterTransaction(() => seen.push('after'));
          await manager.query('SELECT 1');
          seen.push('statement');
        }),
      );
      expect(seen).toEqual(['statement', 'after']);
    });
  });

  describe('sendBeforeNextStatement', () => {
    /** The texts the connection of `work`'s transaction sent, in order (BEGIN and COMMIT aside). */
    async function sentBy(work: (manager: EntityManager) => Promise<void>): Promise<string[]> {
      const texts: string[] = [];
      const original = Client.prototype.query;
      let ours: Client | undefined;
      Client.prototype.query = function (this: Client, ...args: unknown[]) {
        if (this === ours) texts.push(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text);
        return (original as (...parameters: unknown[]) => unknown).apply(this, args);
      } as typeof original;
      try {
        await inContext(() =>
          transactions.run(async (manager) => {
            ours = (manager.queryRunner as unknown as { databaseConnection: Client }).databaseConnection;
            await work(manager);
          }),
        );
      } finally {
        Client.prototype.query = original;
      }
      return texts.filter((text) => text !== 'COMMIT');
    }

    it('sends the held statement just before the next one, and not at all when none follows', async () => {
      const sent = await sentBy(async (manager) => {
        const unused = sendBeforeNextStatement(manager, 'SAVEPOINT unused');
        unused.cancel();
        expect(unused.state).toBe('pending');
        const used = sendBeforeNextStatement(manager, 'SAVEPOINT used');
        expect(await manager.query('SELECT 41 + 1 AS answer')).toEqual([{ answer: 42 }]);
        expect(used.state).toBe('sent');
        await manager.query('ROLLBACK TO SAVEPOINT used');
      });
      expect(sent).toEqual(['SAVEPOINT used', 'SELECT 41 + 1 AS answer', 'ROLLBACK TO SAVEPOINT used']);
    });

    it('fails the next statement with the held one’s error when PostgreSQL refuses it', async () => {
      await inContext(async () => {
        const runner = t.dataSource.createQueryRunner();
        await runner.connect();
        try {
          // outside a transaction block PostgreSQL refuses a savepoint
          const held = sendBeforeNextStatement(runner.manager, 'SAVEPOINT outside');
          await expect(runner.query('SELECT 1')).rejects.toThrow(/SAVEPOINT can only be used in transaction blocks/);
          expect(held.state).toBe('failed');
          expect(await runner.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
        } finally {
          await runner.release();
        }
      });
    });
  });
});
