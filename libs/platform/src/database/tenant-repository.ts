import type { DeepPartial, EntityManager, EntityTarget, FindManyOptions, FindOneOptions, FindOptionsWhere, Repository } from 'typeorm';
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
    return this.repository.findOne({ ...options, where: this.scoped(options.where) });
  }

  async exists(options: FindManyOptions<T> = {}): Promise<boolean> {
    return this.repository.exists({ ...options, where: this.scoped(options.where) });
  }

  async count(options: FindManyOptions<T> = {}): Promise<number> {
    return this.repository.count({ ...options, where: this.scoped(options.where) });
  }

  /** A new row of this tenant. */
  create(fields: DeepPartial<T>): T {
    return this.repository.create({ ...fields, tenantRecordId: this.tenantRecordId } as DeepPartial<T>);
  }

  async save(row: T): Promise<T> {
    this.requireOwn(row);
    return this.repository.save(row);
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

/** The repository of `target` for the tenant of the current request or job (throws when there is none). */
export function tenantRepository<T extends TenantRow>(
  manager: EntityManager,
  target: EntityTarget<T>,
  tenantRecordId = currentTenant().recordId,
): TenantRepository<T> {
  return new TenantRepository(manager, target, tenantRecordId);
}
