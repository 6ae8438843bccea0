import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { instantOf, toAccountInstant, toAccountLocalDate, toJsDate } from '@kb/kernel';
import {
  type AuditLog,
  AuditLevel,
  AuditLogs,
  Clock,
  currentTenant,
  InvalidRequestException,
  OnNotification,
  type QueueMessage,
  Queues,
  requireDateOrDateTime,
  tenantRepository,
  Transactions,
} from '@kb/platform';
import { accountTimeOf, type AccountRow, AccountService } from '@kb/account';
import { BlockingStateChange, BlockingStateEffectiveQueue, type BlockingStateNotification } from './entitlement-events';
import { BLOCKING_STATE_TYPES, BlockingStateRow, type BlockingStateType } from './blocking-state.entity';

export interface NewBlockingState {
  readonly stateName?: string | null;
  readonly service?: string | null;
  readonly isBlockChange?: boolean | null;
  readonly isBlockEntitlement?: boolean | null;
  readonly isBlockBilling?: boolean | null;
}

export interface BlockingStateView {
  readonly state: BlockingStateRow;
  readonly auditLogs: AuditLog[];
}

export interface BlockingStateFilter {
  readonly types: readonly string[];
  readonly services: readonly string[];
}

/** The state and service closing an account writes (Kill Bill's AccountResource#closeAccount). */
export const CLOSE_ACCOUNT_STATE = {
  stateName: 'CLOSE_ACCOUNT',
  service: 'account-service',
  isBlockChange: true,
  isBlockEntitlement: false,
  isBlockBilling: false,
};

const BLOCKING_STATES_TABLE = 'blocking_states';

/**
 * Blocking states (Kill Bill's entitlement module: `POST/GET /accounts/{id}/block`; bundles and
 * subscriptions write theirs through `insert`). A state is announced on the bus (BLOCKING_STATE) when
 * it takes effect.
 */
@Injectable()
export class BlockingStateService {
  constructor(
    private readonly transactions: Transactions,
    private readonly accounts: AccountService,
    private readonly auditLogs: AuditLogs,
    private readonly queues: Queues,
    private readonly clock: Clock,
  ) {}

  /** Adds an ACCOUNT blocking state effective at `requestedDate` (a date or a date-time; now if absent). */
  async addForAccount(accountId: string, input: NewBlockingState, requestedDate?: string): Promise<BlockingStateRow> {
    if (!input.stateName) throw new InvalidRequestException('BlockingStateJson stateName needs to be set');
    if (!input.service) throw new InvalidRequestException('BlockingStateJson service needs to be set');
    return this.transactions.run(async (manager) => {
      const account = await this.accounts.lockedAccount(manager, accountId);
      return this.insert(account, input, this.effectiveDate(account, requestedDate));
    });
  }

  /**
   * Writes a blocking state of the account (or of one of its bundles or subscriptions) inside the current transaction (the caller holds the
   * lock). As Kill Bill's blocking state DAO, a state identical to the one the service already has in
   * force at that date (same name and flags) is not written again.
   */
  async insert(
    account: AccountRow,
    input: NewBlockingState,
    effectiveDate: Date = this.clock.now(),
    blockable: { readonly id: string; readonly type: BlockingStateType } = { id: account.id, type: 'ACCOUNT' },
  ): Promise<BlockingStateRow> {
    const repository = this.transactions.manager().getRepository(BlockingStateRow);
    const inForce = await repository
      .createQueryBuilder('b')
      .where('b.tenant_record_id = :tenant AND b.blockable_id = :blockable AND b.service = :service AND b.is_active AND b.effective_date <= :at', {
        tenant: account.tenantRecordId,
        blockable: blockable.id,
        service: input.service ?? '',
        at: effectiveDate,
      })
      .orderBy('b.effective_date', 'DESC')
      .addOrderBy('b.record_id', 'DESC')
      .getOne();
    if (inForce && sameState(inForce, input)) return inForce;
    const state = repository.create({
      id: randomUUID(),
      blockableId: blockable.id,
      type: blockable.type,
      state: input.stateName ?? '',
      service: input.service ?? '',
      blockChange: input.isBlockChange === true,
      blockEntitlement: input.isBlockEntitlement === true,
      blockBilling: input.isBlockBilling === true,
      effectiveDate,
      isActive: true,
      accountRecordId: account.recordId,
      tenantRecordId: account.tenantRecordId,
    });
    await repository.save(state);
    // Announced when it takes effect: now, or by a notification at its date.
    if (effectiveDate.getTime() > this.clock.now().getTime()) {
      await this.queues.schedule(BlockingStateEffectiveQueue, effectiveDate, { blockingStateId: state.id }, { accountRecordId: account.recordId });
    } else {
      await this.announce(state);
    }
    return state;
  }

  /** A future blocking state came due: post its BLOCKING_STATE event (none for a state deactivated meanwhile). */
  @OnNotification(BlockingStateEffectiveQueue)
  async onBlockingStateDue(message: QueueMessage<BlockingStateNotification>): Promise<void> {
    const state = await tenantRepository(this.transactions.manager(), BlockingStateRow, message.tenantRecordId).findOne({
      where: { id: message.payload.blockingStateId },
    });
    if (state?.isActive) await this.announce(state);
  }

  private async announce(state: BlockingStateRow): Promise<void> {
    await this.queues.post(
      BlockingStateChange,
      { blockableId: state.blockableId, type: state.type, stateName: state.state, service: state.service, effectiveDate: state.effectiveDate.toISOString() },
      { accountRecordId: state.accountRecordId, tenantRecordId: state.tenantRecordId },
    );
  }

  /** The blocking states of an account, by effective date, optionally filtered by type and service. */
  async listForAccount(accountId: string, filter: BlockingStateFilter, audit: AuditLevel): Promise<BlockingStateView[]> {
    for (const type of filter.types) {
      if (!(BLOCKING_STATE_TYPES as readonly string[]).includes(type)) throw new InvalidRequestException(`Invalid blockingStateTypes: ${type}`);
    }
    const manager = this.transactions.manager();
    const account = await this.accounts.requireById(manager, accountId);
    let query = manager
      .getRepository(BlockingStateRow)
      .createQueryBuilder('b')
      .where('b.tenant_record_id = :tenant AND b.account_record_id = :account AND b.is_active', { tenant: account.tenantRecordId, account: account.recordId });
    if (filter.types.length) query = query.andWhere('b.type IN (:...types)', { types: filter.types });
    if (filter.services.length) query = query.andWhere('b.service IN (:...services)', { services: filter.services });
    const states = await query.orderBy('b.effective_date').addOrderBy('b.record_id').getMany();
    const logs = await this.auditLogs.forRecords(
      { tableName: BLOCKING_STATES_TABLE, objectType: 'BLOCKING_STATES', tenantRecordId: account.tenantRecordId },
      states.map((state) => state.recordId),
      audit,
    );
    return states.map((state) => ({ state, auditLogs: logs.get(state.recordId) ?? [] }));
  }

  /** GET /accounts/block/{blockingId}/auditLogsWithHistory. */
  async auditLogsWithHistory(blockingId: string): Promise<AuditLog[]> {
    const tenantRecordId = currentTenant().recordId;
    const state = await this.transactions
      .manager()
      .getRepository(BlockingStateRow)
      .findOne({ where: { tenantRecordId, id: blockingId } });
    if (!state) return [];
    return this.auditLogs.forRecord({ tableName: BLOCKING_STATES_TABLE, objectType: 'BLOCKING_STATES', tenantRecordId }, state.recordId, AuditLevel.FULL, true);
  }

  /**
   * Kill Bill's reading of `requestedDate`: a date-time is used as is; a local date (in the account's
   * time zone) is today → now, otherwise that day at the time of day of the account's reference time
   * (TimeAwareContext.toUTCDateTime, in the offset the account had at its reference time).
   */
  effectiveDate(account: AccountRow, requestedDate: string | undefined): Date {
    const now = this.clock.now();
    if (!requestedDate) return now;
    const parsed = requireDateOrDateTime(requestedDate, 'requestedDate');
    if (parsed.kind === 'dateTime') return toJsDate(parsed.instant);
    const time = accountTimeOf(account);
    if (parsed.date.equals(toAccountLocalDate(instantOf(now), time))) return now;
    return toJsDate(toAccountInstant(parsed.date, time));
  }
}

function sameState(state: BlockingStateRow, input: NewBlockingState): boolean {
  return (
    state.state === (input.stateName ?? '') &&
    state.blockChange === (input.isBlockChange === true) &&
    state.blockEntitlement === (input.isBlockEntitlement === true) &&
    state.blockBilling === (input.isBlockBilling === true)
  );
}
