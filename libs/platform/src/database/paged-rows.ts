import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { InvalidRequestException } from '../errors/killbill.exception';
import type { PageRequest } from '../http/pagination';

/** A boolean SQL expression over a table's columns, its `$n` placeholders numbered from 2 ($1 is the tenant). */
export interface SqlCondition {
  readonly sql: string;
  readonly parameters: unknown[];
}

export interface PagedRows<E> {
  readonly rows: E[];
  /** Rows matching the condition. */
  readonly total: number;
  /** Every row of the tenant (Kill Bill's MaxNbRecords). */
  readonly maxNbRecords: number;
}

/**
 * One page of a tenant's rows matching `condition`, counted and paged in SQL (record-id order): the
 * two counts in one statement, the page's record ids, then the entities in one query.
 */
export async function pageOfRows<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  tenantRecordId: number,
  condition: SqlCondition,
  { offset, limit }: PageRequest,
): Promise<PagedRows<E>> {
  if (offset < 0) throw new InvalidRequestException(`Invalid offset: ${offset}`);
  if (limit < 0) throw new InvalidRequestException(`Invalid limit: ${limit}`);
  const table = manager.getRepository(entity).metadata.tableName;
  const where = `tenant_record_id = $1 AND ${condition.sql}`;
  const [counts]: { total: string; max: string }[] = await manager.query(
    `SELECT (SELECT count(*) FROM ${table} WHERE ${where}) AS total, (SELECT count(*) FROM ${table} WHERE tenant_record_id = $1) AS max`,
    [tenantRecordId, ...condition.parameters],
  );
  const next = condition.parameters.length + 2;
  const ids: { record_id: string }[] = await manager.query(`SELECT record_id FROM ${table} WHERE ${where} ORDER BY record_id LIMIT $${next} OFFSET $${next + 1}`, [
    tenantRecordId,
    ...condition.parameters,
    limit,
    offset,
  ]);
  const recordIds = ids.map((row) => Number(row.record_id));
  const rows = recordIds.length
    ? await manager.getRepository(entity).createQueryBuilder('r').where('r.record_id = ANY(:ids)', { ids: recordIds }).orderBy('r.record_id').getMany()
    : [];
  return { rows, total: Number(counts.total), maxNbRecords: Number(counts.max) };
}
