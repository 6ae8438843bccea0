import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditLevel, AuditLogs, type AuditLog, hashSecret, KillBillConfig, KillBillException, Queues, Transactions, withUniqueIndexes } from '@kb/platform';
import { TenantRow } from './tenant.entity';
import { TenantCache } from './tenant-cache';
import { TenantCreation } from './tenant-events';

export interface NewTenant {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly externalKey?: string | null;
}

export interface TenantView {
  readonly tenant: TenantRow;
  readonly auditLogs: AuditLog[];
}

const HASH_ITERATIONS = 'org.killbill.security.shiroNbHashIterations';

@Injectable()
export class TenantService {
  constructor(
    private readonly transactions: Transactions,
    private readonly config: KillBillConfig,
    private readonly auditLogs: AuditLogs,
    private readonly queues: Queues,
    private readonly cache: TenantCache,
  ) {}

  /** Creates a tenant; its secret is stored salted and hashed only. */
  async create(input: NewTenant, useGlobalDefault: boolean): Promise<TenantRow> {
    const hashed = await hashSecret(input.apiSecret, this.config.getInteger(HASH_ITERATIONS));
    // The checks find a tenant already stored; between parallel creates of one key the indexes decide.
    const alreadyExists = (key: string) => () => new KillBillException('TENANT_ALREADY_EXISTS', [key]);
    const errorsByIndex = {
      tenants_api_key: alreadyExists(input.apiKey),
      ...(input.externalKey ? { tenants_external_key: alreadyExists(input.externalKey) } : {}),
    };
    return withUniqueIndexes(
      () =>
        this.transactions.run(async (manager) => {
          const repository = manager.getRepository(TenantRow);
          if (await repository.exist({ where: { apiKey: input.apiKey } })) throw new KillBillException('TENANT_ALREADY_EXISTS', [input.apiKey]);
          if (input.externalKey && (await repository.exist({ where: { externalKey: input.externalKey } }))) {
            throw new KillBillException('TENANT_ALREADY_EXISTS', [input.externalKey]);
          }
          const tenant = repository.create({
            id: randomUUID(),
            apiKey: input.apiKey,
            externalKey: input.externalKey ?? null,
            apiSecret: hashed.hash,
            apiSalt: hashed.salt,
          });
          await repository.save(tenant);
          // Later modules (catalog) react to a new tenant, e.g. with its placeholder catalog.
          await this.queues.post(TenantCreation, { tenantId: tenant.id, useGlobalDefault }, { tenantRecordId: tenant.recordId });
          return tenant;
        }),
      errorsByIndex,
    );
  }

  async getById(id: string, audit: AuditLevel = AuditLevel.NONE): Promise<TenantView> {
    const tenant = await this.transactions.manager().getRepository(TenantRow).findOne({ where: { id } });
    if (!tenant) throw new KillBillException('TENANT_DOES_NOT_EXIST_FOR_ID', [id]);
    return { tenant, auditLogs: await this.auditOf(tenant, audit) };
  }

  async getByApiKey(apiKey: string | undefined, audit: AuditLevel = AuditLevel.NONE): Promise<TenantView> {
    const tenant = apiKey ? await this.transactions.manager().getRepository(TenantRow).findOne({ where: { apiKey } }) : null;
    if (!tenant) throw new KillBillException('TENANT_DOES_NOT_EXIST_FOR_API_KEY', [apiKey ?? null]);
    return { tenant, auditLogs: await this.auditOf(tenant, audit) };
  }

  invalidateCache(): void {
    this.cache.clear();
  }

  private auditOf(tenant: TenantRow, level: AuditLevel): Promise<AuditLog[]> {
    return this.auditLogs.forRecord({ tableName: 'tenants', objectType: 'TENANT', tenantRecordId: tenant.recordId }, tenant.recordId, level);
  }
}
