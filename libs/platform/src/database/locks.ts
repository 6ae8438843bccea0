import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, QueryFailedError, type QueryRunner } from 'typeorm';
import { KillBillConfig } from '../config/config';
import { currentContext, runWithContext } from '../context/request-context';
import { KillBillException } from '../errors/killbill.exception';
import { Metrics } from '../metrics/metrics';
import { Transactions } from './transactions';

/** Kill Bill's GlobalLocker waits this long between two tries; a wait is bounded by retries × this. */
export const LOCK_RETRY_INTERVAL_MS = 100;

const INVOICE_LOCK_RETRIES = 'org.killbill.invoice.globalLock.retries';
const PAYMENT_LOCK_RETRIES = 'org.killbill.payment.globalLock.retries';
const LOCK_NOT_AVAILABLE = '55P03';
const SAVEPOINT = 'kb_lock_wait';

export interface LockOptions {
  /** Kill Bill's number of tries: the wait is bounded by retries × LOCK_RETRY_INTERVAL_MS. */
  readonly retries: number;
  /** The error a caller gets when the wait runs out. */
  readonly failure: () => Error;
}

/**
 * Runs short units of work while a lock is held across them (and across the slow calls between), on
 * the lock's own connection when the scope took the lock.
 */
export interface LockedScope {
  /** A transaction (Transactions.run). */
  inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  /** A unit of one statement, its own transaction (Transactions.runStatementOn). */
  inStatement<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  /** Reads outside any transaction: under the lock, what the lock serialises cannot change between them. */
  readonly reader: EntityManager;
}

/** Kill Bill's ACCNT_INV_PAY lock of one account: everything that changes its billing state takes it. */
export function accountLockName(accountId: string): string {
  return `ACCNT_INV_PAY:${accountId}`;
}

/**
 * The one lock primitive: PostgreSQL advisory locks keyed by name, serialising work across nodes, with
 * a bounded wait that fails with Kill Bill's lock error instead of hanging.
 *
 * Two kinds, over the same keys (so each excludes the other):
 * - transaction-scoped (`withAccountLock`, `withLock`, `lockInTransaction`): taken in the transaction,
 *   released at commit or rollback;
 * - held across outside calls (`withAccountLockAcross`, `withLockAcross`): a session lock on a
 *   connection of its own, so that a payment gateway call runs with the lock held but no transaction
 *   open, between short transactions. Kill Bill's payment operations work this way.
 *
 * Both are re-entrant within one call: a transaction lock again in the same transaction is a no-op
 * (PostgreSQL counts it), and a lock held across is recorded in the request context so that the
 * transactions inside it do not wait for their own lock.
 */
@Injectable()
export class Locks {
  private readonly holders: Semaphore;

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly config: KillBillConfig,
    private readonly metrics: Metrics,
  ) {
    // A lock held across pins a connection; the transactions inside need another. Half the pool at most
    // holds locks, so holders can never starve the pool of the connections they wait for.
    const poolSize = (dataSource.options.extra as { max?: number } | undefined)?.max ?? 10;
    this.holders = new Semaphore(Math.max(1, Math.floor(poolSize / 2)));
  }

  /** Opens (or joins) a transaction holding the account's lock; as Kill Bill's invoice code, a timeout is UNEXPECTED_ERROR. */
  withAccountLock<T>(accountId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.withLock(accountLockName(accountId), work, this.accountOptions(accountId));
  }

  /** The account's lock in the transaction in progress (for code already inside Transactions.run). */
  lockAccountInTransaction(accountId: string): Promise<void> {
    return this.lockInTransaction(accountLockName(accountId), this.accountOptions(accountId));
  }

  /**
   * Holds the account's lock across `work` without a transaction open: `work` runs its database
   * changes in `scope.inTransaction` and its outside calls between them. A timeout is Kill Bill's
   * payment lock error (PAYMENT_INTERNAL_ERROR, 500).
   */
  withAccountLockAcross<T>(accountId: string, work: (scope: LockedScope) => Promise<T>): Promise<T> {
    return this.withLockAcross(accountLockName(accountId), work, {
      retries: this.config.getInteger(PAYMENT_LOCK_RETRIES),
      failure: () => new KillBillException('PAYMENT_INTERNAL_ERROR', [`Failed to lock account accountId='${accountId}'`]),
    });
  }

  withLock<T>(name: string, work: (manager: EntityManager) => Promise<T>, options?: LockOptions): Promise<T> {
    return this.transactions.run(async (manager) => {
      await this.lockInTransaction(name, options);
      return work(manager);
    });
  }

  /** Takes a transaction-scoped lock in the transaction in progress; the wait is bounded. */
  async lockInTransaction(name: string, options: LockOptions = this.defaultOptions(name)): Promise<void> {
    const context = currentContext();
    if (context.heldLocks?.has(name)) return;
    const manager = context.manager;
    if (!manager) throw new Error(`Lock ${name}: a transaction-scoped lock must be taken inside Transactions.run()`);
    const waited = this.metrics.timeLockWait('transaction');
    const [{ locked }]: { locked: boolean }[] = await manager.query('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked', [name]);
    if (locked) return waited('acquired');
    const timeout = waitMillis(options);
    if (timeout <= 0) {
      waited('failed');
      throw options.failure();
    }
    // A lock_timeout error aborts the transaction: wait in a savepoint, so that a caller who catches
    // the failure keeps a usable transaction, and lock_timeout goes back to what it was.
    await manager.query(`SAVEPOINT ${SAVEPOINT}`);
    try {
      const [{ previous }]: { previous: string }[] = await manager.query(
        "SELECT current_setting('lock_timeout') AS previous, set_config('lock_timeout', $1, true)",
        [`${timeout}ms`],
      );
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
      await manager.query("SELECT set_config('lock_timeout', $1, true)", [previous]);
      await manager.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      waited('acquired');
    } catch (error) {
      waited('failed');
      await manager.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      await manager.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
      throw isLockTimeout(error) ? options.failure() : error;
    }
  }

  /** Holds a lock across `work` on a connection of its own; no transaction is open unless `work` opens one. */
  async withLockAcross<T>(name: string, work: (scope: LockedScope) => Promise<T>, options: LockOptions = this.defaultOptions(name)): Promise<T> {
    const context = currentContext();
    if (context.manager) throw new Error(`Lock ${name} is held across outside calls: take it before opening a transaction, not inside one`);
    // Re-entered: the outer scope's connection is not at hand; units run on the pool's.
    if (context.heldLocks?.has(name)) return work(this.poolScope());
    const deadline = performance.now() + waitMillis(options);
    const waited = this.metrics.timeLockWait('session');
    if (!(await this.holders.acquire(deadline))) {
      waited('failed');
      throw options.failure();
    }
    let runner: QueryRunner | undefined;
    try {
      runner = this.dataSource.createQueryRunner();
      try {
        await acquireSessionLock(runner, name, deadline, options);
        waited('acquired');
      } catch (error) {
        waited('failed');
        throw error;
      }
      const held = runner;
      // The units run on the lock's connection: no second connection per unit, and no pool round trip.
      const scope: LockedScope = {
        inTransaction: (inner) => this.transactions.runOn(held, inner),
        inStatement: (inner) => this.transactions.runStatementOn(held, inner),
        reader: held.manager,
      };
      try {
        return await runWithContext({ ...context, heldLocks: new Set([...(context.heldLocks ?? []), name]) }, () => work(scope));
      } finally {
        await releaseSessionLock(runner, name);
      }
    } finally {
      if (runner && !runner.isReleased) await runner.release();
      this.holders.release();
    }
  }

  /** A scope whose units take connections from the pool. */
  private poolScope(): LockedScope {
    return {
      inTransaction: (inner) => this.transactions.run(inner),
      inStatement: (inner) => this.transactions.runStatement(inner),
      reader: this.dataSource.manager,
    };
  }

  private accountOptions(accountId: string): LockOptions {
    return {
      retries: this.config.getInteger(INVOICE_LOCK_RETRIES),
      failure: () => new KillBillException('UNEXPECTED_ERROR', [`Failed to acquire the lock of account ${accountId}`]),
    };
  }

  private defaultOptions(name: string): LockOptions {
    return {
      retries: this.config.getInteger(INVOICE_LOCK_RETRIES),
      failure: () => new KillBillException('UNEXPECTED_ERROR', [`Failed to acquire lock ${name}`]),
    };
  }
}

async function acquireSessionLock(runner: QueryRunner, name: string, deadline: number, options: LockOptions): Promise<void> {
  const [{ locked }]: { locked: boolean }[] = await runner.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [name]);
  if (locked) return;
  const timeout = deadline - performance.now();
  if (timeout <= 0) throw options.failure();
  // Outside a transaction a lock_timeout error aborts nothing; the setting is reset before the
  // connection goes back to the pool.
  await runner.query("SELECT set_config('lock_timeout', $1, false)", [`${timeout}ms`]);
  try {
    await runner.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
  } catch (error) {
    throw isLockTimeout(error) ? options.failure() : error;
  } finally {
    await runner.query('RESET lock_timeout');
  }
}

async function releaseSessionLock(runner: QueryRunner, name: string): Promise<void> {
  try {
    await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]);
  } catch (error) {
    // The lock dies with its session: a connection we could not unlock must not return to the pool.
    await (runner as unknown as { releasePostgresConnection(error: unknown): Promise<void> }).releasePostgresConnection(error);
  }
}

function waitMillis(options: LockOptions): number {
  return Math.max(0, options.retries) * LOCK_RETRY_INTERVAL_MS;
}

function isLockTimeout(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === LOCK_NOT_AVAILABLE;
}

/** Counts holders of a scarce resource; a waiter gives up at its deadline. */
class Semaphore {
  private readonly waiters: (() => void)[] = [];

  constructor(private available: number) {}

  async acquire(deadline: number): Promise<boolean> {
    if (this.available > 0) {
      this.available--;
      return true;
    }
    return new Promise<boolean>((resolve) => {
      const grant = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(
        () => {
          this.waiters.splice(this.waiters.indexOf(grant), 1);
          resolve(false);
        },
        Math.max(0, deadline - performance.now()),
      );
      this.waiters.push(grant);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.available++;
  }
}
