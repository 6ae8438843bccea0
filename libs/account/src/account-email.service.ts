import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { currentTenant, InvalidRequestException, Locks, tenantRepository, Transactions } from '@kb/platform';
import { AccountEmailRow } from './account-email.entity';
import { AccountService } from './account.service';

/** An account's additional emails (Kill Bill's AccountEmail API). */
@Injectable()
export class AccountEmailService {
  constructor(
    private readonly transactions: Transactions,
    private readonly locks: Locks,
    private readonly accounts: AccountService,
  ) {}

  /** The active emails of an account, oldest first; an unknown account simply has none. */
  async list(accountId: string): Promise<AccountEmailRow[]> {
    return tenantRepository(this.transactions.manager(), AccountEmailRow).find({ where: { accountId, isActive: true }, order: { recordId: 'ASC' } });
  }

  /** Adds an email unless the account already has it (idempotent, as Kill Bill's resource). */
  async add(accountId: string, email: string | null | undefined): Promise<void> {
    if (!email) throw new InvalidRequestException('AccountEmailJson email needs to be set');
    await this.transactions.run(async (manager) => {
      const account = await this.accounts.lockedAccount(manager, accountId);
      const repository = tenantRepository(manager, AccountEmailRow, account.tenantRecordId);
      if (await repository.exists({ where: { accountId, email, isActive: true } })) return;
      await repository.save(repository.create({ id: randomUUID(), accountId, email, isActive: true, accountRecordId: account.recordId }));
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
      await this.locks.lockAccountInTransaction(account.id);
      const repository = tenantRepository(manager, AccountEmailRow, account.tenantRecordId);
      const rows = await repository.find({ where: { accountId, email, isActive: true } });
      for (const row of rows) {
        row.isActive = false;
        await repository.save(row);
      }
    });
  }
}
