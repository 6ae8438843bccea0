/** The columns every Kill Bill row starts with (record_id is added by the table helpers). */
export const ENTITY_COLUMNS = [
  'id uuid NOT NULL',
  'created_date timestamptz NOT NULL',
  'created_by varchar(50) NOT NULL',
  'updated_date timestamptz NOT NULL',
  'updated_by varchar(50) NOT NULL',
];

/**
 * DDL for an audited table and its `<table>_history` twin: the history row copies every column
 * (but the excluded ones) and adds its own record_id, the target_record_id and the change_type.
 */
export function auditedTableDdl(table: string, columns: readonly string[], options: { excludeFromHistory?: readonly string[] } = {}): string[] {
  const excluded = new Set(options.excludeFromHistory ?? []);
  const historyColumns = columns.filter((definition) => !excluded.has(definition.trim().split(/\s+/)[0]));
  return [
    `CREATE TABLE "${table}" (record_id bigserial PRIMARY KEY, ${columns.join(', ')})`,
    `CREATE TABLE "${table}_history" (record_id bigserial PRIMARY KEY, target_record_id bigint NOT NULL, change_type varchar(6) NOT NULL, ${historyColumns
      .map(withoutConstraints)
      .join(', ')})`,
    `CREATE INDEX "${table}_history_target_record_id" ON "${table}_history" (target_record_id)`,
  ];
}

/** History rows keep values, not rules: drop NOT NULL/UNIQUE/DEFAULT from a column definition. */
function withoutConstraints(definition: string): string {
  return definition.replace(/\s+(NOT NULL|UNIQUE|DEFAULT\s+\S+)/gi, '');
}
