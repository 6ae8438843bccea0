import { getMetadataArgsStorage } from 'typeorm';

/**
 * The length of an entity's varchar column, read from its `@Column({ length })`: the edge sizes its
 * checks from the schema, so a longer value is a 400 naming the field, never a 500 from PostgreSQL.
 * A column without a length is a programming error, thrown when the check is declared (at start-up).
 */
export function columnLength<E>(entity: abstract new (...args: never[]) => E, property: keyof E & string): number {
  const column = getMetadataArgsStorage().columns.find(
    (candidate) =>
      candidate.propertyName === property &&
      typeof candidate.target === 'function' &&
      (candidate.target === entity || entity.prototype instanceof candidate.target),
  );
  const length = column?.options.length;
  const size = typeof length === 'string' ? Number(length) : length;
  if (size === undefined || !Number.isSafeInteger(size) || size <= 0) throw new Error(`${entity.name}.${property} is not a column with a length`);
  return size;
}
