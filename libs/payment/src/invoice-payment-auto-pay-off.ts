import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type Big from 'big.js';
import { Column, Entity, Index, type EntityManager } from 'typeorm';
import { AccountEntity, Clock, MoneyColumn, OnBusEvent, type QueueMessage, Queues, tenantRepository, Transactions } from '@kb/platform';
import { CONTROL_TAGS, TagDeletion, type TagEventPayload } from '@kb/tag';
import { PaymentRetryQueue } from './payment-events';

/** Kill Bill's `_invoice_payment_control_plugin_auto_pay_off` row: a system payment of an invoice held back by AUTO_PAY_OFF / MANUAL_PAY. */
@Entity({ name: 'invoice_payment_auto_pay_off' })
@Index('invoice_payment_auto_pay_off_id', ['id'], { unique: true })
@Index('invoice_payment_auto_pay_off_account', ['tenantRecordId', 'accountId', 'isActive'])
export class InvoicePaymentAutoPayOffRow extends AccountEntity {
  @Column({ type: 'uuid' })
  accountId!: string;

  @Column({ type: 'uuid' })
  invoiceId!: string;

  /** What the control computed when it held the payment back (the replay computes it again). */
  @MoneyColumn({ nullable: true })
  amount!: Big | null;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'boolean', default: true })
  isActive!: boolean;
}

/**
 * The AUTO_PAY_OFF state of the invoice payment control (InvoicePaymentControlPluginApi's
 * insert_AUTO_PAY_OFF_ifRequired / process_AUTO_PAY_OFF_removal, PaymentTagHandler): a system payment
 * aborted because the account is AUTO_PAY_OFF or MANUAL_PAY is remembered; removing AUTO_PAY_OFF from
 * the account schedules each remembered payment as a retry due now (removing MANUAL_PAY replays
 * nothing). The retry goes through the control again, so an invoice paid meanwhile is not charged.
 */
@Injectable()
export class InvoicePaymentAutoPayOff {
  constructor(
    private readonly queues: Queues,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
  ) {}

  /** Remembers the held-back payment of an invoice, once (a redelivered invoice event adds nothing). */
  async remember(manager: EntityManager, account: { id: string; recordId: number }, invoice: { id: string; currency: string }, amount: Big | null): Promise<void> {
    const repository = tenantRepository(manager, InvoicePaymentAutoPayOffRow);
    if (await repository.exists({ where: { accountId: account.id, invoiceId: invoice.id, isActive: true } })) return;
    await repository.save(
      repository.create({ id: randomUUID(), accountRecordId: account.recordId, accountId: account.id, invoiceId: invoice.id, amount, currency: invoice.currency, isActive: true }),
    );
  }

  @OnBusEvent(TagDeletion)
  async onTagDeletion(message: QueueMessage<TagEventPayload>): Promise<void> {
    const { taggedObjectType, taggedObjectId, tagDefinitionId } = message.payload;
    if (taggedObjectType !== 'ACCOUNT' || tagDefinitionId !== CONTROL_TAGS.AUTO_PAY_OFF.id) return;
    await this.transactions.run(async (manager) => {
      const repository = tenantRepository(manager, InvoicePaymentAutoPayOffRow);
      const entries = await repository.find({ where: { accountId: taggedObjectId, isActive: true }, order: { recordId: 'ASC' } });
      const now = this.clock.now();
      for (const entry of entries) {
        await this.queues.schedule(
          PaymentRetryQueue,
          now,
          { accountId: entry.accountId, invoiceId: entry.invoiceId, paymentId: null, paymentExternalKey: null, transactionExternalKey: null, paymentMethodId: null, attemptId: null },
          { accountRecordId: entry.accountRecordId },
        );
        entry.isActive = false;
        await repository.save(entry);
      }
    });
  }
}
