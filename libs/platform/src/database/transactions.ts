import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, QueryFailedError, type QueryRunner } from 'typeorm';
import { currentContext, runWithContext } from '../context/request-context';

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']); // serialization failure, deadlock
const MAX_ATTEMPTS = 3;

/** The connection's count of statements a one-statement unit may still send (see PreparingClient). */
interface StatementBudget {
  statementsLeft?: number;
}

/** Query runners lent to a one-statement unit (`runStatementOn`). */
const oneStatementRunners = new WeakSet<QueryRunner>();

/**
 * True when what the manager writes is atomic: inside a transaction, or in a unit of one statement
 * (PostgreSQL runs a lone statement as its own transaction). Audited writes need one or the other.
 */
export function isAtomicUnit(manager: EntityManager): boolean {
  const runner = manager.queryRunner;
  return runner !== undefined && (runner.isTransactionActive || oneStatementRunners.has(runner));
}

/**
 * The one transaction primitive. `run` opens a transaction (or joins the one in progress), makes its
 * EntityManager the current one for everything called inside, commits or rolls back, and retries the
 * whole unit on deadlock or serialization failure.
 */
@Injectable()
export class Transactions {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const context = currentContext();
    if (context.manager) return work(context.manager);
    return withAfterTransaction((afterTransaction) =>
      retried(() => this.dataSource.transaction((manager) => runWithContext({ ...context, manager, afterTransaction }, () => work(manager)))),
    );
  }

  /**
   * Runs `callback` once the outermost transaction in progress has ended, committed or rolled back
   * (at once when none is): a cache a unit's writes make stale is dropped only when no reader can see
   * the old rows any more, and a rolled-back write drops what it may have let a reader cache.
   */
  afterTransaction(callback: () => void): void {
    const pending = currentContext().afterTransaction;
    if (pending) pending.push(callback);
    else callback();
  }

  /**
   * `run` on a connection the caller holds (a lock's own): BEGIN and COMMIT go to it, no other
   * connection is taken from the pool, and the unit is retried alike.
   */
  async runOn<T>(runner: QueryRunner, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const context = currentContext();
    if (context.manager) return work(context.manager);
    return withAfterTransaction((afterTransaction) =>
      retried(async () => {
        await runner.startTransaction();
        try {
          const result = await runWithContext({ ...context, manager: runner.manager, afterTransaction }, () => work(runner.manager));
          await runner.commitTransaction();
          return result;
        } catch (error) {
          if (runner.isTransactionActive) await runner.rollbackTransaction();
          throw error;
        }
      }),
    );
  }

  /** `runStatementOn` on a connection of the pool's. */
  async runStatement<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (currentContext().manager) return this.run(work);
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      return await this.runStatementOn(runner, work);
    } finally {
      await runner.release();
    }
  }

  /**
   * A unit of work that is ONE statement, on a connection the caller holds: PostgreSQL runs a lone
   * statement as its own transaction (all of its CTEs or none), so BEGIN and COMMIT around it would
   * be two round trips for nothing. The connection refuses a second statement before sending it, so a
   * unit that grows one fails loudly (its first statement already stood alone) and its tests catch it.
   * Inside a transaction, joins it.
   */
  async runStatementOn<T>(runner: QueryRunner, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const context = currentContext();
    if (context.manager) return work(context.manager);
    const connection = (runner as unknown as { databaseConnection?: StatementBudget }).databaseConnection;
    if (!connection) throw new Error('A one-statement unit needs a connected query runner');
    return withAfterTransaction((afterTransaction) =>
      retried(async () => {
        connection.statementsLeft = 1;
        oneStatementRunners.add(runner);
        try {
          return await runWithContext({ ...context, manager: runner.manager, afterTransaction }, () => work(runner.manager));
        } finally {
          connection.statementsLeft = undefined;
          oneStatementRunners.delete(runner);
        }
      }),
    );
  }

  /** The manager of the transaction in progress, or the pool's for plain reads. */
  manager(): EntityManager {
    return currentContext().manager ?? this.dataSource.manager;
  }
}

/** An outermost unit with the list its `afterTransaction` callbacks go to, run once it has ended whatever its outcome. */
async function withAfterTransaction<T>(unit: (afterTransaction: (() => void)[]) => Promise<T>): Promise<T> {
  const afterTransaction: (() => void)[] = [];
  try {
    return await unit(afterTransaction);
  } finally {
    for (const callback of afterTransaction) callback();
  }
}

/** The unit, again on deadlock or serialization failure (at most MAX_ATTEMPTS times in all). */
async function retried<T>(unit: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await unit();
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
    }
  }
}

function isRetryable(error: unknown): boolean {
  const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
  return code !== undefined && RETRYABLE_SQLSTATES.has(code);
}
