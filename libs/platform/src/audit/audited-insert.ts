import { randomUUID } from 'node:crypto';
import { type EntityManager, QueryFailedError } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import type { Clock } from '../clock/clock';
import { requireContext } from '../context/request-context';
import { isAtomicUnit } from '../database/transactions';
import { type WritePart, writePartsSql } from '../queue/queues';
import { auditedOptionsOf } from './audited';
import { AUDIT_COLUMNS, historyColumnsOf, historyTableOf, OWN_RECORD_ID, SYSTEM_USER } from './history-columns';

type Row = Record<string, unknown>;

export interface InsertShape {
  /** Columns a new row may carry, in metadata order; the record id is the database's. */
  readonly columns: readonly ColumnMetadata[];
  /** What TypeORM reads back after an insert (generated and defaulted columns) and merges into the entity. */
  readonly returning: readonly ColumnMetadata[];
  readonly nullable: readonly ColumnMetadata[];
  /** Stamp columns the subscriber fills before an insert. */
  readonly stamps: {
    readonly createdDate?: ColumnMetadata;
    readonly createdBy?: ColumnMetadata;
    readonly updatedDate?: ColumnMetadata;
    readonly updatedBy?: ColumnMetadata;
  };
}

/** A statement PostgreSQL parses and plans once per connection (its name is unique to its text). */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

const shapes = new WeakMap<EntityMetadata, InsertShape | null>();

/** The pg client under a TypeORM query runner (connected: the insert runs in a transaction). */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }>;
}

/**
 * The insert of a new row as `save()` does it, with the subscriber's stamping, history copy and audit
 * row, as ONE statement: the row, `<table>_history` and `audit_log` written by a CTE instead of
 * TypeORM's persistence machinery (its cost on a create was several times that of the SQL). Only for
 * a flat entity TypeORM would insert as one plain row: no relations, embeddeds, listeners or generated
 * values but the record id (the caller checks there is no other subscriber); anything else answers undefined and goes
 * through `save()`. The entity is completed as `save()` completes it (stamps, record id, defaults).
 */
export function insertLikeSave<T extends object>(manager: EntityManager, metadata: EntityMetadata, entity: T, clock: Clock): Promise<T> | undefined {
  const insert = plannedInsert(manager, metadata, entity, clock);
  return insert && writeInserts(manager, [insert], []).then(() => entity);
}

/**
 * New rows of several flat entities (as insertLikeSave takes them) written in ONE statement, each
 * with its history and audit row, and completed as save() completes them, with the writes of
 * `parts` (events, notifications): one round trip for a payment's payment, attempt and transaction
 * rows and its janitor notification. Answers false, having written nothing, when one
 * of them needs TypeORM's persistence (then save each).
 */
export async function insertAllLikeSave(manager: EntityManager, entities: readonly object[], clock: Clock, parts: readonly WritePart[] = []): Promise<boolean> {
  const inserts: PlannedInsert[] = [];
  for (const entity of entities) {
    const insert = plannedInsert(manager, manager.connection.getMetadata(entity.constructor), entity, clock);
    if (!insert) return false;
    inserts.push(insert);
  }
  await writeInserts(manager, inserts, parts);
  return true;
}

/** The statement of each combination of tables, columns given (a column left undefined takes its default, as TypeORM writes DEFAULT) and parts. */
const insertStatements = new Map<string, PreparedStatement>();

async function writeInserts(manager: EntityManager, inserts: readonly PlannedInsert[], parts: readonly WritePart[]): Promise<void> {
  const values = inserts.flatMap((insert) => insert.values);
  const extra = writePartsSql(parts, values.length);
  const key = `${inserts.map((insert) => `${insert.metadata.tableName}:${insert.key}`).join('|')}|${extra.key}`;
  let statement = insertStatements.get(key);
  if (statement === undefined) {
    statement = { name: `kb_insert_${insertStatements.size + 1}`, text: insertSql(inserts, extra.ctes) };
    insertStatements.set(key, statement);
  }
  const rows = await runPrepared(manager, statement, [...values, ...extra.values]);
  if (rows.length !== 1) throw new Error(`The insert into ${inserts.map((insert) => insert.metadata.tableName).join(', ')} returned ${rows.length} rows`);
  inserts.forEach((insert, index) => completeInserted(manager, insert, rows[0], inserts.length === 1 ? '' : `r${index}_`));
}

interface PlannedInsert {
  readonly metadata: EntityMetadata;
  readonly shape: InsertShape;
  readonly row: Row;
  /** The columns given (a '1' per column of the shape given). */
  readonly key: string;
  readonly given: readonly ColumnMetadata[];
  /** The row's values, then the audit row's. */
  readonly values: readonly unknown[];
}

/** The entity stamped as the subscriber stamps it, with its statement's values; undefined when save() must write it. */
function plannedInsert(manager: EntityManager, metadata: EntityMetadata, entity: object, clock: Clock): PlannedInsert | undefined {
  const shape = insertShapeOf(metadata);
  if (!shape) return undefined;
  const row = entity as Row;
  if (row.recordId != null) return undefined;
  const audited = auditedOptionsOf(metadata.target as Function);
  if (audited && (typeof audited.tenantRecordIdOf === 'function' || typeof audited.accountRecordIdOf === 'function')) return undefined;
  if (audited && !isAtomicUnit(manager)) return undefined; // save() raises the subscriber's error

  const context = requireContext(`Write to ${metadata.tableName}`);
  const now = clock.now();
  const who = context.createdBy ?? SYSTEM_USER;
  const { createdDate, createdBy, updatedDate, updatedBy } = shape.stamps;
  if (createdDate && createdDate.getEntityValue(row) == null) createdDate.setEntityValue(row, now);
  if (createdBy && createdBy.getEntityValue(row) == null) createdBy.setEntityValue(row, who);
  if (updatedDate && updatedDate.getEntityValue(row) == null) updatedDate.setEntityValue(row, now);
  if (updatedBy && updatedBy.getEntityValue(row) == null) updatedBy.setEntityValue(row, who);

  const driver = manager.connection.driver;
  const given: ColumnMetadata[] = [];
  const parameters: unknown[] = [];
  let key = '';
  for (const column of shape.columns) {
    const value = column.getEntityValue(row);
    key += value === undefined ? '0' : '1';
    if (value === undefined) continue;
    given.push(column);
    parameters.push(driver.preparePersistentValue(value, column));
  }
  let auditParameters: unknown[] = [];
  if (audited) {
    const tenantRecordId = (row.tenantRecordId as number | undefined) ?? context.tenant?.recordId;
    if (tenantRecordId == null) throw new Error(`${metadata.tableName} is audited: its row names no tenant and neither does the context`);
    auditParameters = [
      randomUUID(),
      metadata.tableName,
      clock.now(),
      who,
      context.reasonCode ?? null,
      context.comments ?? null,
      context.userToken,
      tenantRecordId,
      // Last, and only when given: PostgreSQL refuses a parameter the statement does not use.
      ...(audited.accountRecordIdOf === OWN_RECORD_ID ? [] : [(row.accountRecordId as number | null | undefined) ?? null]),
    ];
  }
  return { metadata, shape, row, key, given, values: [...parameters, ...auditParameters] };
}

/** The entity completed from its statement's answer (columns read back under `prefix`), as save() leaves it. */
function completeInserted(manager: EntityManager, insert: PlannedInsert, answer: Row, prefix: string): void {
  const driver = manager.connection.driver;
  for (const column of insert.shape.returning) column.setEntityValue(insert.row, driver.prepareHydratedValue(answer[prefix + column.databaseName], column));
  // As save() leaves it: a nullable column not given reads null, not undefined.
  for (const column of insert.shape.nullable) if (column.getEntityValue(insert.row) === undefined) column.setEntityValue(insert.row, null);
}

/**
 * Runs the insert as a named prepared statement of the transaction's connection: PostgreSQL parses
 * and plans the CTE once per connection, and each later insert sends only its values. A failure
 * surfaces as TypeORM's QueryFailedError, as `manager.query` raises it (unique-index mapping reads it).
 */
export async function runPrepared(manager: EntityManager, statement: PreparedStatement, values: readonly unknown[]): Promise<Row[]> {
  const client = (manager.queryRunner as unknown as { databaseConnection?: PgClient } | undefined)?.databaseConnection;
  if (!client) return manager.query(statement.text, [...values]);
  try {
    return (await client.query({ name: statement.name, text: statement.text, values: [...values] })).rows;
  } catch (error) {
    throw new QueryFailedError(statement.text, [...values], error as Error);
  }
}

/**
 * One statement writing each planned row with its history and audit rows. Data-modifying CTEs all
 * run, once, in one snapshot: each history row copies its row from RETURNING. One planned row
 * answers its returned columns by name; several answer them prefixed `r<index>_`.
 */
function insertSql(inserts: readonly PlannedInsert[], extraCtes: readonly string[] = []): string {
  const ctes: string[] = [];
  const answers: string[] = [];
  const sources: string[] = [];
  let offset = 0;
  inserts.forEach((insert, index) => {
    const { metadata, shape, given } = insert;
    const suffix = inserts.length === 1 ? '' : `_${index}`;
    const inserted = `inserted${suffix}`;
    const table = `"${metadata.tableName}"`;
    const base = offset;
    const values = given.map((_, k) => `$${base + k + 1}`).join(', ');
    const insertion = given.length
      ? `INSERT INTO ${table} (${given.map((column) => `"${column.databaseName}"`).join(', ')}) VALUES (${values})`
      : `INSERT INTO ${table} DEFAULT VALUES`;
    const audited = auditedOptionsOf(metadata.target as Function);
    const p = (n: number) => `$${base + given.length + n}`;
    if (!audited) {
      ctes.push(`${inserted} AS (${insertion} RETURNING *)`);
    } else {
      const list = historyColumnsOf(metadata, audited)
        .map((name) => `"${name}"`)
        .join(', ');
      const accountRecordId = audited.accountRecordIdOf === OWN_RECORD_ID ? `${inserted}.record_id` : p(9);
      ctes.push(
        `${inserted} AS (${insertion} RETURNING *)`,
        `history${suffix} AS (
            INSERT INTO "${historyTableOf(metadata.tableName)}" (target_record_id, change_type, ${list})
            SELECT record_id, 'INSERT', ${list} FROM ${inserted} RETURNING record_id)`,
        `audit${suffix} AS (
            INSERT INTO audit_log (${AUDIT_COLUMNS})
            SELECT ${p(1)}, history${suffix}.record_id, ${p(2)}, 'INSERT', ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${accountRecordId}, ${p(8)}
              FROM history${suffix} CROSS JOIN ${inserted})`,
      );
    }
    offset += insert.values.length;
    const prefix = inserts.length === 1 ? '' : `r${index}_`;
    answers.push(...shape.returning.map((column) => `${inserted}."${column.databaseName}"${prefix ? ` AS "${prefix}${column.databaseName}"` : ''}`));
    sources.push(inserted);
  });
  ctes.push(...extraCtes);
  return `WITH ${ctes.join(',\n          ')}
          SELECT ${answers.join(', ')} FROM ${sources.join(' CROSS JOIN ')}`;
}

/** The columns of a flat entity TypeORM would insert as one plain row; null for any other (see insertLikeSave). */
export function insertShapeOf(metadata: EntityMetadata): InsertShape | null {
  let shape = shapes.get(metadata);
  if (shape === undefined) {
    shape = plainInsertShape(metadata);
    shapes.set(metadata, shape);
  }
  return shape;
}

function plainInsertShape(metadata: EntityMetadata): InsertShape | null {
  const generated = metadata.columns.filter((column) => column.isGenerated);
  const plain =
    metadata.relations.length === 0 &&
    metadata.embeddeds.length === 0 &&
    !metadata.discriminatorColumn &&
    metadata.tableType === 'regular' &&
    metadata.beforeInsertListeners.length === 0 &&
    metadata.afterInsertListeners.length === 0 &&
    generated.length === 1 &&
    generated[0].propertyName === 'recordId' &&
    generated[0].generationStrategy === 'increment' &&
    metadata.columns.every(
      (column) =>
        !column.isVirtual &&
        !column.isVirtualProperty &&
        !Array.isArray(column.transformer) &&
        column.isInsert &&
        !column.isCreateDate &&
        !column.isUpdateDate &&
        !column.isDeleteDate &&
        !column.isVersion &&
        column.asExpression === undefined,
    );
  if (!plain) return null;
  const byProperty = (name: string) => metadata.columns.find((column) => column.propertyName === name);
  return {
    columns: metadata.columns.filter((column) => !column.isGenerated),
    returning: metadata.getInsertionReturningColumns(),
    nullable: metadata.columns.filter((column) => column.isNullable),
    stamps: {
      createdDate: byProperty('createdDate'),
      createdBy: byProperty('createdBy'),
      updatedDate: byProperty('updatedDate'),
      updatedBy: byProperty('updatedBy'),
    },
  };
}
