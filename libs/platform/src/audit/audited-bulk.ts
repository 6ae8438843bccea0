import type { EntityManager, EntityTarget } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import type { Clock } from '../clock/clock';
import { type RequestContext, requireContext } from '../context/request-context';
import { isAtomicUnit } from '../database/transactions';
import { type AuditedOptions, auditedOptionsOf } from './audited';
import { type InsertShape, insertShapeOf, type PreparedStatement, runPrepared } from './audited-insert';
import { HistorySubscriber } from './history.subscriber';
import { type WritePart, writePartsSql } from '../queue/queues';
import { AUDIT_COLUMNS, historyColumnsOf, historyTableOf, OWN_RECORD_ID, SYSTEM_USER } from './history-columns';

type Row = Record<string, unknown>;

/** Rows per statement: the rows travel as ONE json parameter, so PostgreSQL's 65,535 parameter limit never binds; this bounds the statement's size. */
export const BULK_CHUNK_ROWS = 5_000;

export interface BulkWriteOptions {
  /** Rows per statement (default BULK_CHUNK_ROWS). */
  readonly chunkSize?: number;
}

/**
 * Column types whose text form is what node-pg sends for a parameter, so that json_populate_recordset
 * reads each value through the column type's input function exactly as a bound parameter is read.
 */
const BULK_TYPES = new Set([
  'uuid',
  'character varying',
  'varchar',
  'text',
  'boolean',
  'smallint',
  'integer',
  'int',
  'bigint',
  'numeric',
  'decimal',
  'timestamp with time zone',
  'timestamptz',
  'date',
]);

/** Column types whose string values travel as they are (no conversion by the driver). */
const PLAIN_TEXT_TYPES = new Set(['uuid', 'character varying', 'varchar', 'text']);

interface BulkShape {
  readonly metadata: EntityMetadata;
  readonly insert: InsertShape;
  readonly audited: AuditedOptions | undefined;
  readonly recordId: ColumnMetadata;
  /** Columns an update writes (all updatable ones but the record id). */
  readonly updatable: readonly ColumnMetadata[];
  readonly isActive: ColumnMetadata | undefined;
  readonly tenantRecordId: ColumnMetadata | undefined;
  readonly accountRecordId: ColumnMetadata | undefined;
  /** SQL per operation and set of columns given. */
  readonly statements: Map<string, string>;
}

const bulkShapes = new WeakMap<EntityMetadata, BulkShape | null>();

/**
 * N new rows of one flat entity written as N `save()` calls with the history subscriber write them,
 * in a few statements: each statement inserts up to `chunkSize` rows (sent as one json parameter),
 * their `<table>_history` copies (INSERT) and their `audit_log` rows with the subscriber's values. The
 * entities are completed as `save()` completes them (stamps, record ids, defaults read back, nulls).
 * Record ids follow the order of `entities`. Only inside a transaction; only for an entity the
 * one-row fast path accepts (no relations, listeners, computed tenant or account).
 */
export async function insertManyLikeSave<T extends object>(
  manager: EntityManager,
  target: EntityTarget<T>,
  entities: readonly T[],
  clock: Clock,
  options: BulkWriteOptions = {},
): Promise<T[]> {
  const shape = bulkShapeFor(manager, target);
  const { metadata, audited } = shape;
  if (entities.length === 0) return [];
  const context = requireContext(`Write to ${metadata.tableName}`);
  const now = clock.now();
  const who = context.createdBy ?? SYSTEM_USER;
  const { createdDate, createdBy, updatedDate, updatedBy } = shape.insert.stamps;
  for (const entity of entities) {
    const row = entity as Row;
    if (row.recordId != null) throw new Error(`${metadata.tableName}: a new row has no record id yet (record id ${String(row.recordId)} given)`);
    // As the subscriber's beforeInsert: only what the caller left empty.
    if (createdDate && createdDate.getEntityValue(row) == null) createdDate.setEntityValue(row, now);
    if (createdBy && createdBy.getEntityValue(row) == null) createdBy.setEntityValue(row, who);
    if (updatedDate && updatedDate.getEntityValue(row) == null) updatedDate.setEntityValue(row, now);
    if (updatedBy && updatedBy.getEntityValue(row) == null) updatedBy.setEntityValue(row, who);
  }
  const driver = manager.connection.driver;
  // Record ids drawn first, in the order given, as n save() calls draw them; each row then carries its own.
  const drawn: { record_id: string }[] = await manager.query(
    `SELECT nextval((SELECT pg_get_serial_sequence($1, $2))::regclass) AS record_id FROM generate_series(1, $3)`,
    [`"${metadata.tableName}"`, shape.recordId.databaseName, entities.length],
  );
  if (drawn.length !== entities.length) throw new Error(`${metadata.tableName}: ${drawn.length} record ids drawn for ${entities.length} rows`);
  const byRecordId = new Map<number, T>();
  entities.forEach((entity, index) => {
    const recordId = Number(drawn[index].record_id);
    shape.recordId.setEntityValue(entity, recordId);
    byRecordId.set(recordId, entity);
  });
  // One statement in flight at a time (one connection runs them in order); the next chunk's document is
  // built while PostgreSQL writes the previous chunk.
  let previous: Promise<void> | undefined;
  try {
    for (const chunk of chunksOf([shape.recordId, ...shape.insert.columns], entities, options.chunkSize)) {
      const document = documentOf(driver, chunk.given, chunk.entities, [shape.recordId]);
      const key = `insert:${chunk.key}:${document.constantKey}`;
      let sql = shape.statements.get(key);
      if (sql === undefined) {
        sql = bulkInsertSql(shape, chunk.given, document.constants);
        shape.statements.set(key, sql);
      }
      const parameters: unknown[] = [document.rows];
      if (audited) parameters.push(...auditParameters(shape, clock, context, who));
      if (document.constants.size > 0) parameters.push(document.constantsJson);
      await previous;
      previous = (manager.query(sql, parameters) as Promise<Row[]>).then((rows) => {
        if (rows.length !== chunk.entities.length)
          throw new Error(`The insert into ${metadata.tableName} wrote ${rows.length} of ${chunk.entities.length} rows`);
        for (const written of rows) {
          const row = byRecordId.get(Number(written[shape.recordId.databaseName])) as Row;
          for (const column of shape.insert.returning) column.setEntityValue(row, driver.prepareHydratedValue(written[column.databaseName], column));
        }
        // As save() leaves it: a nullable column not given reads null, not undefined.
        for (const entity of chunk.entities)
          for (const column of shape.insert.nullable) if (column.getEntityValue(entity) === undefined) column.setEntityValue(entity, null);
      });
    }
  } catch (error) {
    // A chunk that could not be prepared: the statement in flight fails or not, the caller's transaction rolls back.
    previous?.catch(() => undefined);
    throw error;
  }
  await previous;
  return [...entities];
}

/**
 * Existing rows (loaded entities, possibly changed) written as N `save()` calls with the history
 * subscriber write them, in a few statements: every column the entity holds is written, a row whose
 * values all equal the stored ones is left alone (save() writes nothing for it), a written row gets
 * updated_date/updated_by stamped as the subscriber's beforeUpdate stamps them, its `<table>_history`
 * copy (UPDATE, or DELETE when it goes from active to inactive) and its `audit_log` row. Answers the
 * entities written, in order. Every entity must name a row of the table (else it throws, and the
 * caller's transaction rolls back). Only inside a transaction.
 *
 * Equality is PostgreSQL's, on the values as the column stores them; TypeORM compares instants to the
 * second, so a change below the second that save() would miss is written here.
 */
export async function updateManyLikeSave<T extends object>(
  manager: EntityManager,
  target: EntityTarget<T>,
  entities: readonly T[],
  clock: Clock,
  options: BulkWriteOptions = {},
): Promise<T[]> {
  const shape = bulkShapeFor(manager, target);
  const { metadata, audited } = shape;
  if (entities.length === 0) return [];
  const seen = new Set<number>();
  for (const entity of entities) {
    const recordId = shape.recordId.getEntityValue(entity) as number | null | undefined;
    if (recordId == null) throw new Error(`${metadata.tableName} is audited: write it with save()/remove() on a loaded entity, not update()/delete()`);
    if (seen.has(Number(recordId))) throw new Error(`${metadata.tableName} row ${String(recordId)} given twice to one bulk update`);
    seen.add(Number(recordId));
  }
  const context = requireContext(`Write to ${metadata.tableName}`);
  const now = clock.now();
  const who = context.createdBy ?? SYSTEM_USER;
  const { updatedDate, updatedBy } = shape.insert.stamps;
  const driver = manager.connection.driver;
  // The rows written, by chunk in order; as for inserts, the next chunk is prepared while the previous one is written.
  const writtenByChunk: T[][] = [];
  let previous: Promise<void> | undefined;
  try {
    for (const chunk of chunksOf([shape.recordId, ...shape.updatable], entities, options.chunkSize)) {
      const chunkWritten: T[] = [];
      writtenByChunk.push(chunkWritten);
      if (chunk.entities.length === 1) {
        await previous;
        const update = plannedUpdate(manager, shape, chunk.given, chunk.entities[0], [now, who], auditParameters(shape, clock, context, who));
        previous = runUpdates(manager, [update], [now, who]).then(([wrote]) => {
          if (wrote) chunkWritten.push(chunk.entities[0]);
        });
        continue;
      }
      const document = documentOf(driver, chunk.given, chunk.entities, [shape.recordId]);
      const key = `update:${chunk.key}:${document.constantKey}`;
      let sql = shape.statements.get(key);
      if (sql === undefined) {
        sql = bulkUpdateSql(shape, chunk.given, document.constants);
        shape.statements.set(key, sql);
      }
      const parameters: unknown[] = [document.rows];
      if (updatedDate) parameters.push(driver.preparePersistentValue(now, updatedDate));
      if (updatedBy) parameters.push(who);
      if (audited) parameters.push(...auditParameters(shape, clock, context, who));
      if (document.constants.size > 0) parameters.push(document.constantsJson);
      await previous;
      previous = (manager.query(sql, parameters) as Promise<{ found: string; written: string[] | null }[]>).then(([result]) => {
        if (Number(result.found) !== chunk.entities.length) {
          throw new Error(`${chunk.entities.length - Number(result.found)} of the ${metadata.tableName} rows to update are not in the table`);
        }
        const writtenOrdinals = (result.written ?? []).map(Number).sort((x, y) => x - y);
        for (const ordinal of writtenOrdinals) {
          const entity = chunk.entities[ordinal - 1];
          // As the subscriber's beforeUpdate: every written row is stamped, whatever the caller set.
          if (updatedDate) updatedDate.setEntityValue(entity, now);
          if (updatedBy) updatedBy.setEntityValue(entity, who);
          chunkWritten.push(entity);
        }
      });
    }
  } catch (error) {
    previous?.catch(() => undefined);
    throw error;
  }
  await previous;
  const written = writtenByChunk.flat();
  return written;
}

const updateStatements = new Map<string, PreparedStatement>();

interface PlannedUpdate {
  readonly shape: BulkShape;
  readonly entity: object;
  /** The columns written from the entity (not the record id, not the stamps). */
  readonly values: readonly ColumnMetadata[];
  /** The record id, the values, the stamps and the audit values, as the statement takes them. */
  readonly parameters: readonly unknown[];
}

function plannedUpdate(
  manager: EntityManager,
  shape: BulkShape,
  given: readonly ColumnMetadata[],
  entity: object,
  [now, who]: [Date, string],
  audit: unknown[],
): PlannedUpdate {
  const { updatedDate, updatedBy } = shape.insert.stamps;
  const values = given.filter((column) => column !== shape.recordId && column !== updatedDate && column !== updatedBy);
  const driver = manager.connection.driver;
  const parameters: unknown[] = [
    shape.recordId.getEntityValue(entity),
    ...values.map((column) => driver.preparePersistentValue(column.getEntityValue(entity), column)),
  ];
  if (updatedDate) parameters.push(driver.preparePersistentValue(now, updatedDate));
  if (updatedBy) parameters.push(who);
  if (shape.audited) parameters.push(...audit);
  return { shape, entity, values, parameters };
}

/**
 * Rows of an update as ONE prepared statement of plain parameters (a json document joined back to
 * the table plans as a scan of it, which for a few rows costs more than the writes). Answers, per
 * row, whether it was written (a row equal to the stored one is not); a row missing throws.
 */
async function runUpdates(
  manager: EntityManager,
  updates: readonly PlannedUpdate[],
  [now, who]: [Date, string],
  parts: readonly WritePart[] = [],
): Promise<boolean[]> {
  const parameters = updates.flatMap((update) => update.parameters);
  const extra = writePartsSql(parts, parameters.length);
  const key = `${updates.map(({ shape, values }) => `${shape.metadata.tableName}:${values.map((column) => column.databaseName).join(',')}`).join('|')}|${extra.key}`;
  let statement = updateStatements.get(key);
  if (statement === undefined) {
    statement = { name: `kb_update_${updateStatements.size + 1}`, text: updatesSql(updates, extra.ctes) };
    updateStatements.set(key, statement);
  }
  const [result] = await runPrepared(manager, statement, [...parameters, ...extra.values]);
  return updates.map(({ shape, entity }, index) => {
    if (Number(result[`found_${index}`]) !== 1) throw new Error(`The ${shape.metadata.tableName} row to update is not in the table`);
    if (Number(result[`written_${index}`]) === 0) return false;
    const { updatedDate, updatedBy } = shape.insert.stamps;
    if (updatedDate) updatedDate.setEntityValue(entity, now);
    if (updatedBy) updatedBy.setEntityValue(entity, who);
    return true;
  });
}

/**
 * Loaded rows of flat entities (possibly of different tables, each row once) written as save() of
 * each with the history subscriber writes them, in ONE statement with the writes of `parts` (events,
 * notifications): what updateManyLikeSave does for one row, for several. Answers the entities
 * written, in order.
 */
export async function updateAllLikeSave(
  manager: EntityManager,
  entities: readonly object[],
  clock: Clock,
  parts: readonly WritePart[] = [],
): Promise<object[]> {
  if (entities.length === 0) return [];
  const now = clock.now();
  const context = requireContext('Write');
  const who = context.createdBy ?? SYSTEM_USER;
  const updates = entities.map((entity) => {
    const shape = bulkShapeFor(manager, entity.constructor);
    if (shape.recordId.getEntityValue(entity) == null) {
      throw new Error(`${shape.metadata.tableName} is audited: write it with save()/remove() on a loaded entity, not update()/delete()`);
    }
    const given = [shape.recordId, ...shape.updatable].filter((column) => column.getEntityValue(entity) !== undefined);
    return plannedUpdate(manager, shape, given, entity, [now, who], auditParameters(shape, clock, context, who));
  });
  const written = await runUpdates(manager, updates, [now, who], parts);
  return entities.filter((_, index) => written[index]);
}

/** Each update's CTEs, its parameters numbered after the previous ones': its record id, then its values, stamps and audit values. */
function updatesSql(updates: readonly PlannedUpdate[], extraCtes: readonly string[] = []): string {
  const ctes: string[] = [];
  const answers: string[] = [];
  let base = 0;
  updates.forEach(({ shape, values, parameters }, index) => {
    const { metadata, audited, recordId, isActive } = shape;
    const { updatedDate, updatedBy } = shape.insert.stamps;
    const table = `"${metadata.tableName}"`;
    const id = quoted(recordId);
    const at = base;
    const $ = (k: number) => `$${at + k}`;
    const parameterOf = new Map(values.map((column, k) => [column, $(k + 2)]));
    let n = values.length + 1;
    const assigned = values.map((column) => `${quoted(column)} = ${parameterOf.get(column)}`);
    if (updatedDate) assigned.push(`${quoted(updatedDate)} = ${$(++n)}`);
    if (updatedBy) assigned.push(`${quoted(updatedBy)} = ${$(++n)}`);
    const changed = values.length ? values.map((column) => `old.${quoted(column)} IS DISTINCT FROM ${parameterOf.get(column)}`).join(' OR ') : 'false';
    const deactivated = isActive && parameterOf.has(isActive) ? `old.${quoted(isActive)} IS TRUE AND ${parameterOf.get(isActive)} IS FALSE` : 'false';
    ctes.push(`updated_${index} AS (
      UPDATE ${table} AS target SET ${assigned.join(', ')}
        FROM ${table} AS old
       WHERE target.${id} = ${$(1)} AND old.${id} = ${$(1)} AND (${changed})
      RETURNING target.*, ${deactivated} AS kb_deactivated)`);
    answers.push(`(SELECT count(*) FROM ${table} WHERE ${id} = ${$(1)}) AS found_${index}`, `(SELECT count(*) FROM updated_${index}) AS written_${index}`);
    if (audited) {
      const list = historyColumnsOf(metadata, audited)
        .map((name) => `"${name}"`)
        .join(', ');
      const last = n;
      const p = (k: number) => $(last + k);
      const owners = auditOwnersSql(shape, `${p(7)}::bigint`);
      const historyColumns = [shape.accountRecordId, shape.tenantRecordId]
        .filter((column) => column !== undefined)
        .map((column) => `, ${quoted(column)}`)
        .join('');
      ctes.push(
        `history_${index} AS (
      INSERT INTO "${historyTableOf(metadata.tableName)}" (target_record_id, change_type, ${list})
      SELECT ${id}, CASE WHEN kb_deactivated THEN 'DELETE' ELSE 'UPDATE' END, ${list} FROM updated_${index}
      RETURNING record_id, target_record_id, change_type${historyColumns})`,
        `audit_${index} AS (
      INSERT INTO audit_log (${AUDIT_COLUMNS})
      SELECT gen_random_uuid(), history.record_id, ${p(1)}, history.change_type, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${owners.account}, ${owners.tenant}
        FROM history_${index} AS history)`,
      );
    }
    base += parameters.length;
  });
  ctes.push(...extraCtes);
  return `WITH ${ctes.join(',\n    ')}
    SELECT ${answers.join(', ')}`;
}

function bulkShapeFor<T>(manager: EntityManager, target: EntityTarget<T>): BulkShape {
  const metadata = manager.connection.getMetadata(target);
  if (!HistorySubscriber.soleOf(manager.connection.subscribers)) {
    throw new Error(`${metadata.tableName}: bulk writes replicate the history subscriber and it is not the data source's only subscriber; use save()`);
  }
  if (!isAtomicUnit(manager)) throw new Error(`${metadata.tableName} is audited: write it inside Transactions.run()`);
  let shape = bulkShapes.get(metadata);
  if (shape === undefined) {
    shape = bulkShapeOf(manager, metadata);
    bulkShapes.set(metadata, shape);
  }
  if (!shape) throw new Error(`${metadata.tableName}: not a flat entity of plain scalar columns; write it with save()`);
  const audited = shape.audited;
  if (audited && (typeof audited.tenantRecordIdOf === 'function' || typeof audited.accountRecordIdOf === 'function')) {
    throw new Error(`${metadata.tableName}: its tenant or account is computed from the row; write it with save()`);
  }
  return shape;
}

function bulkShapeOf(manager: EntityManager, metadata: EntityMetadata): BulkShape | null {
  const insert = insertShapeOf(metadata);
  if (!insert) return null;
  if (metadata.beforeUpdateListeners.length || metadata.afterUpdateListeners.length) return null;
  const driver = manager.connection.driver;
  if (!metadata.columns.every((column) => !column.isArray && BULK_TYPES.has(driver.normalizeType(column)))) return null;
  const recordId = metadata.columns.find((column) => column.isGenerated);
  if (!recordId) return null;
  return {
    metadata,
    insert,
    audited: auditedOptionsOf(metadata.target as Function),
    recordId,
    updatable: metadata.columns.filter((column) => column !== recordId && column.isUpdate),
    isActive: metadata.columns.find((column) => column.propertyName === 'isActive'),
    tenantRecordId: metadata.columns.find((column) => column.propertyName === 'tenantRecordId'),
    accountRecordId: metadata.columns.find((column) => column.propertyName === 'accountRecordId'),
    statements: new Map(),
  };
}

interface Chunk<T> {
  /** Which of the columns the chunk's entities hold (a '1' per column given). */
  readonly key: string;
  readonly given: readonly ColumnMetadata[];
  readonly entities: readonly T[];
}

/**
 * The entities grouped by the columns they hold (a column left undefined takes its default on insert
 * and is kept on update, as save() does), in order within a group, at most `size` per chunk.
 */
function* chunksOf<T extends object>(columns: readonly ColumnMetadata[], entities: readonly T[], size = BULK_CHUNK_ROWS): Generator<Chunk<T>> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`A bulk write chunk holds at least one row, got ${size}`);
  const groups = new Map<string, T[]>();
  const readers = columns.map(readerOf);
  for (const entity of entities) {
    let key = '';
    for (const read of readers) key += read(entity) === undefined ? '0' : '1';
    const group = groups.get(key);
    if (group) group.push(entity);
    else groups.set(key, [entity]);
  }
  for (const [key, group] of groups) {
    const given = columns.filter((_, index) => key[index] === '1');
    for (let start = 0; start < group.length; start += size) yield { key, given, entities: group.slice(start, start + size) };
  }
}

interface BulkDocument {
  /** The json array of the rows, each holding only the columns whose values differ between the rows. */
  readonly rows: string;
  /** The columns every row holds the same value of (sent once, in `constantsJson`). */
  readonly constants: ReadonlySet<ColumnMetadata>;
  /** A json object of the constant columns' values. */
  readonly constantsJson: string;
  /** Which of the given columns are constant (a '1' per constant column): part of the statement's key. */
  readonly constantKey: string;
}

/**
 * The rows as json keyed by column name, each value in the text form a bound parameter would carry,
 * written as text directly (what JSON.stringify of those objects gives), not through one object per
 * row. A column whose value is the same in every row (an invoice's id, the stamps, the tenant, ...) is
 * sent once rather than in each row: the document, its parsing by PostgreSQL and the garbage it leaves
 * here shrink with it. `varying`: columns always sent per row (the record id).
 */
function documentOf(driver: Driver, given: readonly ColumnMetadata[], entities: readonly object[], varying: readonly ColumnMetadata[]): BulkDocument {
  const n = entities.length;
  const texts = given.map((column) => {
    const read = readerOf(column);
    // A string of a uuid/varchar/text column without transformer is what preparePersistentValue gives back.
    const plain = !column.transformer && PLAIN_TEXT_TYPES.has(driver.normalizeType(column));
    const values = new Array<string | null>(n);
    let last: unknown = undefined;
    let lastText: string | null = null;
    for (let i = 0; i < n; i++) {
      const value = read(entities[i]);
      if (plain && typeof value === 'string') values[i] = value;
      // The same value (the stamps' one Date, a shared date or amount) converts to the same text: converted once.
      else if (i > 0 && value === last) values[i] = lastText;
      else {
        last = value;
        lastText = values[i] = textOf(driver.preparePersistentValue(value, column), column);
      }
    }
    return values;
  });
  const constants = new Set<ColumnMetadata>();
  const constantFields: string[] = [];
  let constantKey = '';
  given.forEach((column, index) => {
    const values = texts[index];
    const first = values[0];
    let same = n > 1 && !varying.includes(column);
    for (let i = 1; same && i < n; i++) same = values[i] === first;
    constantKey += same ? '1' : '0';
    if (!same) return;
    constants.add(column);
    constantFields.push(`${JSON.stringify(column.databaseName)}:${first === null ? 'null' : JSON.stringify(first)}`);
  });
  const fields = given
    .map((column, index) => ({ column, values: texts[index] }))
    .filter(({ column }) => !constants.has(column))
    .map(({ column, values }, index) => ({ key: `${index === 0 ? '' : ','}${JSON.stringify(column.databaseName)}:`, values }));
  const rows = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    let text = '{';
    for (const field of fields) {
      const value = field.values[i];
      text += field.key + (value === null ? 'null' : JSON.stringify(value));
    }
    rows[i] = text + '}';
  }
  return { rows: `[${rows.join(',')}]`, constants, constantsJson: `{${constantFields.join(',')}}`, constantKey };
}

/** The input rows of a bulk statement: the per-row document `v` with the constant columns `c` (parameter `constantsParameter`) joined to each row. */
function inputRowsSql(
  table: string,
  given: readonly ColumnMetadata[],
  constants: ReadonlySet<ColumnMetadata>,
  constantsParameter: number,
): { columns: string; from: string } {
  const columns = given.map((column) => `${constants.has(column) ? 'c' : 'v'}.${quoted(column)}`).join(', ');
  const from = `json_populate_recordset(NULL::${table}, $1::json) WITH ORDINALITY AS v${
    constants.size > 0 ? ` CROSS JOIN json_populate_record(NULL::${table}, $${constantsParameter}::json) AS c` : ''
  }`;
  return { columns, from };
}

/** A column's value as getEntityValue reads it; a plain property (no embedded, no relation) read directly. */
function readerOf(column: ColumnMetadata): (entity: object) => unknown {
  if (column.embeddedMetadata || column.relationMetadata || column.referencedColumn) return (entity) => column.getEntityValue(entity);
  const property = column.propertyName;
  return (entity) => (entity as Row)[property];
}

function textOf(value: unknown, column: ColumnMetadata): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error(`${column.entityMetadata.tableName}.${column.databaseName}: invalid date`);
    return value.toISOString();
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  throw new Error(`${column.entityMetadata.tableName}.${column.databaseName}: a ${typeof value} value has no text form for a bulk write`);
}

/**
 * The audit row values every row of one call shares, as the subscriber gives them: table, instant,
 * who, why, token, and the context's tenant for a row that names none.
 */
function auditParameters(shape: BulkShape, clock: Clock, context: RequestContext, who: string): unknown[] {
  const tenantRecordId = context.tenant?.recordId ?? null;
  if (!shape.tenantRecordId && tenantRecordId == null)
    throw new Error(`${shape.metadata.tableName} is audited: its row names no tenant and neither does the context`);
  return [shape.metadata.tableName, clock.now(), who, context.reasonCode ?? null, context.comments ?? null, context.userToken, tenantRecordId];
}

/**
 * The audit row's account and tenant as the subscriber takes them from the entity (its account, its
 * tenant, else the context's), read from the history copy of the row, which holds the values written.
 */
function auditOwnersSql(shape: BulkShape, contextTenant: string): { account: string; tenant: string } {
  const history = (column: ColumnMetadata | undefined) =>
    column && historyColumnsOf(shape.metadata, shape.audited as AuditedOptions).includes(column.databaseName) ? column : undefined;
  const account = history(shape.accountRecordId);
  const tenant = history(shape.tenantRecordId);
  if ((shape.accountRecordId && !account) || (shape.tenantRecordId && !tenant))
    throw new Error(`${shape.metadata.tableName}: its history leaves out its tenant or account`);
  return {
    account: shape.audited?.accountRecordIdOf === OWN_RECORD_ID ? 'history.target_record_id' : account ? `history.${quoted(account)}` : 'NULL',
    tenant: tenant ? `COALESCE(history.${quoted(tenant)}, ${contextTenant})` : contextTenant,
  };
}

const quoted = (column: ColumnMetadata) => `"${column.databaseName}"`;

/** Data-modifying CTEs all run once, in one snapshot: the history copies the rows from RETURNING, the audit rows point at the history rows. */
function bulkInsertSql(shape: BulkShape, given: readonly ColumnMetadata[], constants: ReadonlySet<ColumnMetadata>): string {
  const { metadata, audited, recordId } = shape;
  const table = `"${metadata.tableName}"`;
  const id = quoted(recordId);
  const columns = given.map(quoted).join(', ');
  const returned = shape.insert.returning.map((column) => `inserted.${quoted(column)}`).join(', ');
  // The constants' parameter follows the audit values ($2-$8).
  const rows = inputRowsSql(table, given, constants, audited ? 9 : 2);
  const input = `input AS (
      SELECT ${rows.columns}
        FROM ${rows.from}
       ORDER BY v.ordinality)`;
  const inserted = `inserted AS (INSERT INTO ${table} (${columns}) SELECT ${columns} FROM input RETURNING *)`;
  const result = `SELECT ${returned} FROM inserted`;
  if (!audited) return `WITH ${input}, ${inserted} ${result}`;
  const list = historyColumnsOf(metadata, audited)
    .map((name) => `"${name}"`)
    .join(', ');
  const owners = auditOwnersSql(shape, '$8::bigint');
  const historyColumns = [shape.accountRecordId, shape.tenantRecordId]
    .filter((column) => column !== undefined)
    .map((column) => `, ${quoted(column)}`)
    .join('');
  return `WITH ${input}, ${inserted},
    history AS (
      INSERT INTO "${historyTableOf(metadata.tableName)}" (target_record_id, change_type, ${list})
      SELECT ${id}, 'INSERT', ${list} FROM inserted RETURNING record_id, target_record_id${historyColumns}),
    audit AS (
      INSERT INTO audit_log (${AUDIT_COLUMNS})
      SELECT gen_random_uuid(), history.record_id, $2, 'INSERT', $3, $4, $5, $6, $7, ${owners.account}, ${owners.tenant} FROM history)
    ${result}`;
}

/**
 * The stored row (`old`, read in the statement's snapshot) decides whether a row changed and whether
 * it went from active to inactive, as the database entity save() loads first decides it.
 */
function bulkUpdateSql(shape: BulkShape, given: readonly ColumnMetadata[], constants: ReadonlySet<ColumnMetadata>): string {
  const { metadata, audited, recordId, isActive } = shape;
  const { updatedDate, updatedBy } = shape.insert.stamps;
  const table = `"${metadata.tableName}"`;
  const id = quoted(recordId);
  const values = given.filter((column) => column !== recordId);
  let n = 1;
  const stamps = new Map<ColumnMetadata, string>();
  if (updatedDate) stamps.set(updatedDate, `$${++n}`);
  if (updatedBy) stamps.set(updatedBy, `$${++n}`);
  const assigned = [...values.filter((column) => !stamps.has(column)).map((column) => `${quoted(column)} = input.${quoted(column)}`)];
  for (const [column, parameter] of stamps) assigned.push(`${quoted(column)} = ${parameter}`);
  const changed = values.length
    ? `(${values.map((column) => `old.${quoted(column)}`).join(', ')}) IS DISTINCT FROM (${values.map((column) => `input.${quoted(column)}`).join(', ')})`
    : 'false';
  const deactivated = isActive && given.includes(isActive) ? `old.${quoted(isActive)} IS TRUE AND input.${quoted(isActive)} IS FALSE` : 'false';
  // The constants' parameter follows the stamps and the audit values.
  const rows = inputRowsSql(table, given, constants, n + (audited ? 7 : 0) + 1);
  const input = `input AS (
      SELECT ${rows.columns}, v.ordinality AS kb_ord
        FROM ${rows.from})`;
  const updated = `updated AS (
      UPDATE ${table} AS target SET ${assigned.join(', ')}
        FROM input JOIN ${table} AS old ON old.${id} = input.${id}
       WHERE target.${id} = input.${id} AND ${changed}
      RETURNING target.*, input.kb_ord, ${deactivated} AS kb_deactivated)`;
  const result = `SELECT (SELECT count(*) FROM input JOIN ${table} AS old ON old.${id} = input.${id}) AS found,
           ARRAY(SELECT kb_ord FROM updated) AS written`;
  if (!audited) return `WITH ${input}, ${updated} ${result}`;
  const list = historyColumnsOf(metadata, audited)
    .map((name) => `"${name}"`)
    .join(', ');
  const p = (k: number) => `$${n + k}`;
  const owners = auditOwnersSql(shape, `${p(7)}::bigint`);
  const historyColumns = [shape.accountRecordId, shape.tenantRecordId]
    .filter((column) => column !== undefined)
    .map((column) => `, ${quoted(column)}`)
    .join('');
  return `WITH ${input}, ${updated},
    history AS (
      INSERT INTO "${historyTableOf(metadata.tableName)}" (target_record_id, change_type, ${list})
      SELECT ${id}, CASE WHEN kb_deactivated THEN 'DELETE' ELSE 'UPDATE' END, ${list} FROM updated
      RETURNING record_id, target_record_id, change_type${historyColumns}),
    audit AS (
      INSERT INTO audit_log (${AUDIT_COLUMNS})
      SELECT gen_random_uuid(), history.record_id, ${p(1)}, history.change_type, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${owners.account}, ${owners.tenant}
        FROM history)
    ${result}`;
}
