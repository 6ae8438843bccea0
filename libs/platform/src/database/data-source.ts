import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import type { Clock } from '../clock/clock';
import { HistorySubscriber } from '../audit/history.subscriber';
import { AuditLogEntity } from '../audit/audit-log.entity';
import { Platform1700000000000 } from './migrations/1700000000000-platform';
import { BusDeliveries1700000000010 } from './migrations/1700000000010-bus-deliveries';
import { TestClocks1700000000020 } from './migrations/1700000000020-test-clocks';
import { Nodes1700000001400 } from './migrations/1700000001400-nodes';
import { SnakeNamingStrategy } from './naming-strategy';

export interface DatabaseOptions {
  readonly url: string;
  readonly entities: MixedList<Function | string | EntitySchema>;
  readonly migrations: Function[];
  readonly poolSize?: number;
}

export const PLATFORM_ENTITIES = [AuditLogEntity];
export const PLATFORM_MIGRATIONS = [Platform1700000000000, BusDeliveries1700000000010, TestClocks1700000000020, Nodes1700000001400];

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
    extra: { max: options.poolSize ?? 10 },
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
