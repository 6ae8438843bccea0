import { Injectable } from '@nestjs/common';
import { KillBillConfig, type TenantRef, type TenantResolver, Transactions, verifySecret } from '@kb/platform';
import { TenantRow } from './tenant.entity';
import { TenantCache } from './tenant-cache';

/** Resolves X-Killbill-ApiKey/ApiSecret to a tenant: cached, secret compared in constant time. */
@Injectable()
export class DatabaseTenantResolver implements TenantResolver {
  constructor(
    private readonly transactions: Transactions,
    private readonly config: KillBillConfig,
    private readonly cache: TenantCache,
  ) {}

  async resolve(apiKey: string, apiSecret: string): Promise<TenantRef | undefined> {
    const cached = this.cache.lookup(apiKey, apiSecret);
    if (cached) return cached;
    const row = await this.transactions.manager().getRepository(TenantRow).findOne({ where: { apiKey } });
    if (!row) return undefined;
    const iterations = this.config.getInteger('org.killbill.security.shiroNbHashIterations');
    if (!(await verifySecret(apiSecret, { hash: row.apiSecret, salt: row.apiSalt }, iterations))) return undefined;
    const tenant = { recordId: row.recordId, id: row.id, apiKey: row.apiKey };
    this.cache.remember(tenant, apiSecret);
    return tenant;
  }
}
