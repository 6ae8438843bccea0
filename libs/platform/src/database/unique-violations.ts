import { QueryFailedError } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

/** The unique index a write broke, if it broke one. */
export function violatedUniqueIndex(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === UNIQUE_VIOLATION ? driverError.constraint : undefined;
}

/**
 * Runs `work` and turns a broken unique index into the business error of its rule. Where a check
 * finds a duplicate before inserting, two concurrent creates can both pass the check: the index then
 * decides, and the loser must get the same Kill Bill error as the check gives.
 */
export async function withUniqueIndexes<T>(work: () => Promise<T>, errorsByIndex: Readonly<Record<string, () => Error>>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const index = violatedUniqueIndex(error);
    const mapped = index === undefined ? undefined : errorsByIndex[index];
    throw mapped ? mapped() : error;
  }
}
