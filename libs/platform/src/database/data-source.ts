import { Client } from 'pg';
import { DataSource, type EntityManager, type MixedList, type EntitySchema } from 'typeorm';
import type { Clock } from '../clock/clock';
import { HistorySubscriber } from '../audit/history.subscriber';
import { AuditLogEntity } from '../audit/audit-log.entity';
import { Platform1700000000000 } from './migrations/1700000000000-platform';
import { BusDeliveries1700000000010 } from './migrations/1700000000010-bus-deliveries';
import { TestClocks1700000000020 } from './migrations/1700000000020-test-clocks';
import { Nodes1700000001400 } from './migrations/1700000001400-nodes';
import { BusDispatchOrder1700000001591 } from './migrations/1700000001591-bus-dispatch-order';
import { SnakeNamingStrategy } from './naming-strategy';

export interface DatabaseOptions {
  readonly url: string;
  readonly entities: MixedList<Function | string | EntitySchema>;
  readonly migrations: Function[];
  readonly poolSize?: number;
}

export const PLATFORM_ENTITIES = [AuditLogEntity];
export const PLATFORM_MIGRATIONS = [
  Platform1700000000000,
  BusDeliveries1700000000010,
  TestClocks1700000000020,
  Nodes1700000001400,
  BusDispatchOrder1700000001591,
];

/** Statements seen this many times are prepared; at most PREPARED_LIMIT texts are, so that each backend's plan cache stays bounded. */
const PREPARE_AFTER_USES = 2;
const PREPARED_LIMIT = 1_000;
const TRACKED_LIMIT = 20_000;
const uses = new Map<string, number>();
const preparedNames = new Map<string, string>();

/** The statement's name when it is prepared (hot, parameterized, within the limits); undefined otherwise. */
function preparedNameOf(text: string): string | undefined {
  const name = preparedNames.get(text);
  if (name !== undefined || preparedNames.size >= PREPARED_LIMIT) return name;
  const count = (uses.get(text) ?? 0) + 1;
  if (count < PREPARE_AFTER_USES) {
    if (uses.size < TRACKED_LIMIT) uses.set(text, count);
    return undefined;
  }
  uses.delete(text);
  const prepared = `kb_stmt_${preparedNames.size + 1}`;
  preparedNames.set(text, prepared);
  return prepared;
}

/**
 * A pg client that runs the hot parameterized statements as named prepared statements: PostgreSQL
 * parses and plans each once per connection instead of once per call (measured on the payment path:
 * planning was a third of PostgreSQL's time). Semantics are those of the unnamed statement: same
 * parameter typing, and PostgreSQL re-plans a prepared statement when a table it reads changes.
 */
class PreparingClient extends Client {
  /** Set for a one-statement unit (Transactions.runStatementOn): the statements it may still send. */
  statementsLeft: number | undefined;
  /** A statement to send just before the next one (`sendBeforeNextStatement`). */
  deferred: DeferredStatementState | undefined;

  override query(...args: unknown[]): never {
    const deferred = this.deferred;
    if (deferred !== undefined) {
      this.deferred = undefined;
      if (typeof args[args.length - 1] === 'function' || typeof (args[0] as { submit?: unknown } | undefined)?.submit === 'function')
        throw new Error('A deferred statement goes before a promise-returning query only');
      deferred.state = 'sending';
      const first = (Client.prototype.query as (text: string) => Promise<unknown>).call(this, deferred.text).then(
        () => (deferred.state = 'sent'),
        (error: unknown) => {
          deferred.state = 'failed';
          throw error;
        },
      );
      const next = this.query(...args) as Promise<unknown>;
      return first.then(
        () => next,
        (error: unknown) => {
          next.catch(() => undefined); // fails too, after the deferred one: its error is the one to surface
          throw error;
        },
      ) as never;
    }
    if (this.statementsLeft !== undefined) {
      if (this.statementsLeft <= 0) throw new Error('A one-statement unit of work sent a second statement: run it in a transaction (Transactions.run)');
      this.statementsLeft--;
    }
    const [config, values] = args;
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = preparedNameOf(config);
      if (name !== undefined) args = [{ name, text: config, values }, ...args.slice(2)];
    }
    return (Client.prototype.query as (...parameters: unknown[]) => never).apply(this, args);
  }
}

interface DeferredStatementState {
  readonly text: string;
  state: 'pending' | 'sending' | 'sent' | 'failed';
}

/** A statement `sendBeforeNextStatement` holds back: sent with the connection's next one, or never. */
export interface DeferredStatement {
  /** Whether it was sent and succeeded ('failed': it was sent and PostgreSQL refused it). */
  readonly state: 'pending' | 'sending' | 'sent' | 'failed';
  /** Not to be sent any more (when still pending). */
  cancel(): void;
}

/**
 * Holds `text` (a statement without parameters) back until the manager's connection sends its next
 * statement, and sends it just before that one: a savepoint around work that may issue no statement
 * at all then costs no round trip when it does not.
 */
export function sendBeforeNextStatement(manager: EntityManager, text: string): DeferredStatement {
  const client = (manager.queryRunner as unknown as { databaseConnection?: unknown } | undefined)?.databaseConnection;
  if (!(client instanceof PreparingClient)) throw new Error('A deferred statement needs a connected query runner of this data source');
  const deferred: DeferredStatementState = { text, state: 'pending' };
  client.deferred = deferred;
  return {
    get state() {
      return deferred.state;
    },
    cancel() {
      if (client.deferred === deferred) client.deferred = undefined;
    },
  };
}

/** A TypeORM data source over Kill Bill's schema; migrations are real, never `synchronize`. */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: [...PLATFORM_ENTITIES, ...(options.entities as unknown[] as Function[])],
    migrations: [...PLATFORM_MIGRATIONS, ...options.migrations],
    migrationsTableName: 'schema_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    extra: { max: options.poolSize ?? 10, Client: PreparingClient },
  });
}

/** Connects, applies pending migrations and installs the history/audit subscriber. */
export async function openDatabase(options: DatabaseOptions, clock: Clock): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  dataSource.subscribers.push(new HistorySubscriber(clock));
  return dataSource;
}
