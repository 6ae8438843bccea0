import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { currentContext, runWithContext } from '../context/request-context';

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']); // serialization failure, deadlock
const MAX_ATTEMPTS = 3;

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
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((manager) => runWithContext({ ...context, manager }, () => work(manager)));
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
      }
    }
  }

  /** The manager of the transaction in progress, or the pool's for plain reads. */
  manager(): EntityManager {
    return currentContext().manager ?? this.dataSource.manager;
  }
}

function isRetryable(error: unknown): boolean {
  const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
  return code !== undefined && RETRYABLE_SQLSTATES.has(code);
}
