import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import type { DeepPartial, EntityManager, EntityTarget, FindManyOptions, FindOneOptions, FindOptionsWhere, Repository } from 'typeorm';
import { HistorySubscriber } from '../audit/history.subscriber';
import { currentTenant } from '../context/request-context';

type TenantRow = { tenantRecordId: number };
type Where<T> = FindOptionsWhere<T> | FindOptionsWhere<T>[];

/**
 * A repository that only sees and writes one tenant's rows: every read adds `tenantRecordId`, every
 * write checks it. It refuses a missing tenant, and a `where` value that is `undefined` (TypeORM drops
 * such a key and the query then matches rows it was never meant to).
 */
export class TenantRepository<T extends TenantRow> {
  private readonly repository: Repository<T>;

  constructor(
    manager: EntityManager,
    target: EntityTarget<T>,
    readonly tenantRecordId: number,
  ) {
    if (!Number.isInteger(tenantRecordId) || tenantRecordId <= 0) throw new Error(`A tenant-scoped repository needs a tenant, got ${String(tenantRecordId)}`);
    this.repository = manager.getRepository(target);
  }

  async find(options: FindManyOptions<T> = {}): Promise<T[]> {
    return this.repository.find({ ...options, where: this.scoped(options.where) });
  }

  async findOne(options: FindOneOptions<T>): Promise<T | null> {
    const where = this.scoped(options.where);
    const lookup = plainLookup(this.repository.metadata, options, where);
    if (!lookup) return this.repository.findOne({ ...options, where });
    const rows: Record<string, unknown>[] = await this.repository.manager.query(`${lookup.select.rows} WHERE ${lookup.condition} LIMIT 1`, lookup.parameters);
    return rows.length ? hydrate<T>(this.repository.metadata, lookup.select.columns, rows[0]) : null;
  }

  /**
   * The row of this id and, in the same round trip, the `target` row its `reference` column names
   * (null when either is missing): two lookups by id as one statement, for flat entities.
   */
  async findByIdWithReferenced<U extends TenantRow>(id: string, reference: keyof T & string, target: EntityTarget<U>): Promise<{ row: T | null; referenced: U | null }> {
    const metadata = this.repository.metadata;
    const referencedMetadata = this.repository.manager.connection.getMetadata(target);
    const own = selectOf(metadata);
    const other = selectOf(referencedMetadata);
    const referenceColumn = metadata.findColumnWithPropertyName(reference);
    const idColumn = metadata.findColumnWithPropertyName('id');
    const otherIdColumn = referencedMetadata.findColumnWithPropertyName('id');
    if (!own || !other || !referenceColumn || !idColumn || !otherIdColumn) throw new Error(`${metadata.tableName}.${reference}: not a plain reference by id`);
    const columnsOf = (select: Select, alias: string) => select.columns.map((column) => `${alias}."${column.databaseName}" AS "${alias}_${column.databaseName}"`);
    const rows: Record<string, unknown>[] = await this.repository.manager.query(
      `SELECT ${[...columnsOf(own, 't'), ...columnsOf(other, 'r')].join(', ')}
         FROM "${metadata.tableName}" t
         LEFT JOIN "${referencedMetadata.tableName}" r ON r.tenant_record_id = t.tenant_record_id AND r."${otherIdColumn.databaseName}" = t."${referenceColumn.databaseName}"
        WHERE t.tenant_record_id = $1 AND t."${idColumn.databaseName}" = $2 LIMIT 1`,
      [this.tenantRecordId, id],
    );
    if (rows.length === 0) return { row: null, referenced: null };
    const [row] = rows;
    return {
      row: hydrate<T>(metadata, own.columns, row, 't_'),
      referenced: row[`r_${otherIdColumn.databaseName}`] == null ? null : hydrate<U>(referencedMetadata, other.columns, row, 'r_'),
    };
  }

  async exists(options: FindManyOptions<T> = {}): Promise<boolean> {
    const where = this.scoped(options.where);
    const lookup = plainLookup(this.repository.metadata, options, where);
    if (!lookup) return this.repository.exists({ ...options, where });
    const rows: unknown[] = await this.repository.manager.query(`${lookup.select.one} WHERE ${lookup.condition} LIMIT 1`, lookup.parameters);
    return rows.length > 0;
  }

  async count(options: FindManyOptions<T> = {}): Promise<number> {
    return this.repository.count({ ...options, where: this.scoped(options.where) });
  }

  /** A new row of this tenant. */
  create(fields: DeepPartial<T>): T {
    return this.repository.create({ ...fields, tenantRecordId: this.tenantRecordId } as DeepPartial<T>);
  }

  /** A new row of a plain entity is inserted (with its history and audit) in one statement; the rest through TypeORM's save(). */
  async save(row: T): Promise<T> {
    this.requireOwn(row);
    const manager = this.repository.manager;
    const inserted = HistorySubscriber.soleOf(manager.connection.subscribers)?.insert(manager, this.repository.metadata, row);
    return inserted ?? this.repository.save(row);
  }

  async remove(row: T): Promise<T> {
    this.requireOwn(row);
    return this.repository.remove(row);
  }

  private scoped(where: Where<T> | undefined): Where<T> {
    const clauses = where === undefined ? [{}] : Array.isArray(where) ? where : [where];
    const scoped = clauses.map((clause) => {
      for (const [key, value] of Object.entries(clause)) {
        if (value === undefined) throw new Error(`where.${key} is undefined: the query would ignore it`);
      }
      return { ...clause, tenantRecordId: this.tenantRecordId } as FindOptionsWhere<T>;
    });
    return Array.isArray(where) ? scoped : scoped[0];
  }

  private requireOwn(row: T): void {
    if (row.tenantRecordId !== this.tenantRecordId) {
      throw new Error(`Row of tenant ${String(row.tenantRecordId)} written through the repository of tenant ${this.tenantRecordId}`);
    }
  }
}

interface Select {
  /** SELECT of every selectable column, FROM the table. */
  readonly rows: string;
  readonly one: string;
  readonly columns: readonly ColumnMetadata[];
}

interface Lookup {
  readonly select: Select;
  readonly condition: string;
  readonly parameters: unknown[];
}

const selects = new WeakMap<EntityMetadata, Select | null>();

/**
 * The request path's most frequent reads (a row by id or key within the tenant) as one SQL text built
 * once per entity, instead of a query builder per call (TypeORM's findOne costs several times the
 * query itself). Only a flat entity (no relations, embeddeds, inheritance) and a where of plain column
 * values with no other option qualify; anything else goes through TypeORM.
 */
function plainLookup(metadata: EntityMetadata, options: FindOneOptions<unknown>, where: unknown): Lookup | undefined {
  if (Array.isArray(where) || Object.keys(options).some((key) => key !== 'where')) return undefined;
  const select = selectOf(metadata);
  if (!select) return undefined;
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  for (const [property, value] of Object.entries(where as Record<string, unknown>)) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
    const column = metadata.findColumnWithPropertyName(property);
    if (!column || column.relationMetadata) return undefined;
    parameters.push(column.transformer && !Array.isArray(column.transformer) ? column.transformer.to(value) : value);
    conditions.push(`"${column.databaseName}" = $${parameters.length}`);
  }
  return conditions.length ? { select, condition: conditions.join(' AND '), parameters } : undefined;
}

function selectOf(metadata: EntityMetadata): Select | null {
  let select = selects.get(metadata);
  if (select === undefined) {
    const flat =
      metadata.relations.length === 0 &&
      metadata.embeddeds.length === 0 &&
      !metadata.discriminatorColumn &&
      !metadata.deleteDateColumn &&
      metadata.tableType === 'regular' &&
      metadata.columns.every((column) => !column.isVirtual && !column.isVirtualProperty && !Array.isArray(column.transformer));
    const columns = metadata.columns.filter((column) => column.isSelect);
    const table = `"${metadata.tableName}"`;
    select = flat
      ? { rows: `SELECT ${columns.map((column) => `"${column.databaseName}"`).join(', ')} FROM ${table}`, one: `SELECT 1 FROM ${table}`, columns }
      : null;
    selects.set(metadata, select);
  }
  return select;
}

/** The entity TypeORM would build from the row: same class, same hydration (types and transformers) per column. */
function hydrate<T>(metadata: EntityMetadata, columns: readonly ColumnMetadata[], row: Record<string, unknown>, prefix = ''): T {
  const entity = metadata.create(undefined, { fromDeserializer: true }) as T;
  const driver = metadata.connection.driver;
  for (const column of columns) {
    const value = row[prefix + column.databaseName];
    if (value !== undefined) column.setEntityValue(entity as object, driver.prepareHydratedValue(value, column));
  }
  return entity;
}

/** The repository of `target` for the tenant of the current request or job (throws when there is none). */
export function tenantRepository<T extends TenantRow>(
  manager: EntityManager,
  target: EntityTarget<T>,
  tenantRecordId = currentTenant().recordId,
): TenantRepository<T> {
  return new TenantRepository(manager, target, tenantRecordId);
}
