import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { currentTenant, InvalidRequestException, Transactions } from '@kb/platform';
import { AccountEmailRow } from './account-email.entity';
import { AccountService } from './account.service';

/** An account's additional emails (Kill Bill's AccountEmail API). */
@Injectable()
export class AccountEmailService {
  constructor(
    private readonly transactions: Transactions,
    private readonly accounts: AccountService,
  ) {}

  /** The active emails of an account, oldest first; an unknown account simply has none. */
  async list(accountId: string): Promise<AccountEmailRow[]> {
    return this.transactions
      .manager()
      .getRepository(AccountEmailRow)
      .find({ where: { tenantRecordId: currentTenant().recordId, accountId, isActive: true }, order: { recordId: 'ASC' } });
  }

  /** Adds an email unless the account already has it (idempotent, as Kill Bill's resource). */
  async add(accountId: string, email: string | null | undefined): Promise<void> {
    if (!email) throw new InvalidRequestException('AccountEmailJson email needs to be set');
    await this.transactions.run(async (manager) => {
      const account = await this.accounts.lockedAccount(manager, accountId);
      const repository = manager.getRepository(AccountEmailRow);
      if (await repository.exists({ where: { tenantRecordId: account.tenantRecordId, accountId, email, isActive: true } })) return;
      await repository.save(
        repository.create({ id: randomUUID(), accountId, email, isActive: true, accountRecordId: account.recordId, tenantRecordId: account.tenantRecordId }),
      );
    });
  }

  /**
   * Removes every active row with that email softly, as Kill Bill does (`is_active` set to false):
   * the row stays, its history keeps the change and the audit log shows a DELETE.
   */
  async remove(accountId: string, email: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      // As Kill Bill: removing from an unknown account or an email it does not have is a no-op.
      const account = await this.accounts.findById(accountId, currentTenant().recordId);
      if (!account) return;
      await this.transactions.lockAccount(account.recordId);
      const repository = manager.getRepository(AccountEmailRow);
      const rows = await repository.find({ where: { tenantRecordId: account.tenantRecordId, accountId, email, isActive: true } });
      for (const row of rows) {
        row.isActive = false;
        await repository.save(row);
      }
    });
  }
}
