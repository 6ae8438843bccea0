import { Module, type OnModuleInit } from '@nestjs/common';
import { ObjectRegistry } from '@kb/platform';
import { AccountAuditService } from './account-audit.service';
import { AccountEmailService } from './account-email.service';
import { AccountService } from './account.service';

@Module({
  providers: [AccountService, AccountEmailService, AccountAuditService],
  exports: [AccountService, AccountEmailService, AccountAuditService],
})
export class AccountModule implements OnModuleInit {
  constructor(
    private readonly registry: ObjectRegistry,
    private readonly accounts: AccountService,
  ) {}

  /** Lets tags, custom fields and audit find accounts without importing this module. */
  onModuleInit(): void {
    this.registry.register('ACCOUNT', async (id, tenantRecordId) => {
      const account = await this.accounts.findById(id, tenantRecordId);
      return account
        ? { objectType: 'ACCOUNT', id: account.id, recordId: account.recordId, accountRecordId: account.recordId, tenantRecordId: account.tenantRecordId }
        : undefined;
    });
  }
}
