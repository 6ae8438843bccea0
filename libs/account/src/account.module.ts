import { Module, type OnModuleInit } from '@nestjs/common';
import { KillBillException, ObjectRegistry } from '@kb/platform';
import { CONTROL_TAGS, TagModule, TagService } from '@kb/tag';
import { AccountAuditService } from './account-audit.service';
import { AccountEmailService } from './account-email.service';
import { AccountService } from './account.service';

@Module({
  imports: [TagModule],
  providers: [AccountService, AccountEmailService, AccountAuditService],
  exports: [AccountService, AccountEmailService, AccountAuditService],
})
export class AccountModule implements OnModuleInit {
  constructor(
    private readonly registry: ObjectRegistry,
    private readonly accounts: AccountService,
    private readonly tags: TagService,
  ) {}

  /** Lets tags, custom fields and audit find accounts without importing this module. */
  onModuleInit(): void {
    this.registry.register('ACCOUNT', async (id, tenantRecordId) => {
      const account = await this.accounts.findById(id, tenantRecordId);
      return account
        ? { objectType: 'ACCOUNT', id: account.id, recordId: account.recordId, accountRecordId: account.recordId, tenantRecordId: account.tenantRecordId }
        : undefined;
    });
    this.tags.registerRemovalCheck('ACCOUNT', (account, tagDefinitionIds) => this.checkAutoPayOffRemoval(account.id, account.tenantRecordId, tagDefinitionIds));
  }

  /** As Kill Bill's AccountResource: AUTO_PAY_OFF stays on an account until it has a default payment method. */
  private async checkAutoPayOffRemoval(accountId: string, tenantRecordId: number, tagDefinitionIds: readonly string[]): Promise<void> {
    if (!tagDefinitionIds.some((id) => id.toLowerCase() === CONTROL_TAGS.AUTO_PAY_OFF.id)) return;
    const account = await this.accounts.findById(accountId, tenantRecordId);
    if (account && account.paymentMethodId === null) {
      throw new KillBillException('TAG_CANNOT_BE_REMOVED', ['AUTO_PAY_OFF', ' the account does not have a default payment method']);
    }
  }
}
