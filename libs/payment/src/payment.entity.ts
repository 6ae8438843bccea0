import { Column, Entity, Index } from 'typeorm';
import type Big from 'big.js';
import { AccountEntity, Audited, InstantColumn, MoneyColumn } from '@kb/platform';

/**
 * Kill Bill's `payment_methods` row. A deleted method stays as an inactive row (`is_active` false),
 * so its payments keep pointing at it and `includedDeleted=true` still finds it.
 */
@Entity({ name: 'payment_methods' })
@Index('payment_methods_id', ['id'], { unique: true })
@Index('payment_methods_external_key', ['tenantRecordId', 'externalKey'], { unique: true })
@Index('payment_methods_account', ['tenantRecordId', 'accountId'])
@Index('payment_methods_plugin_name', ['tenantRecordId', 'pluginName', 'recordId'])
@Index('payment_methods_tenant_record_id', ['tenantRecordId', 'recordId'])
@Audited({ objectType: 'PAYMENT_METHOD' })
export class PaymentMethodRow extends AccountEntity {
  @Column({ type: 'varchar', length: 255 })
  externalKey!: string;

  @Column({ type: 'uuid' })
  accountId!: string;

  @Column({ type: 'varchar', length: 50 })
  pluginName!: string;

  @Column({ type: 'boolean', default: true })
  isActive!: boolean;
}

/** Kill Bill's `payments` row. Its record id is the payment number: one sequence for every tenant. */
@Entity({ name: 'payments' })
@Index('payments_id', ['id'], { unique: true })
@Index('payments_external_key', ['tenantRecordId', 'externalKey'], { unique: true })
@Index('payments_account', ['tenantRecordId', 'accountId'])
@Index('payments_payment_method', ['tenantRecordId', 'paymentMethodId'])
@Index('payments_state_name', ['tenantRecordId', 'stateName'])
@Index('payments_tenant_record_id', ['tenantRecordId', 'recordId'])
@Audited({ objectType: 'PAYMENT' })
export class PaymentRow extends AccountEntity {
  @Column({ type: 'uuid' })
  accountId!: string;

  @Column({ type: 'uuid' })
  paymentMethodId!: string;

  @Column({ type: 'varchar', length: 255 })
  externalKey!: string;

  /** The state of PaymentStates.xml the payment is in (e.g. AUTH_SUCCESS, PURCHASE_ERRORED). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  stateName!: string | null;

  /** The last successful state: what the state machine decides the next legal operations from. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  lastSuccessStateName!: string | null;
}

/** Kill Bill's `payment_transactions` row: one call to the plugin (or one bookkeeping chargeback) on a payment. */
@Entity({ name: 'payment_transactions' })
@Index('payment_transactions_id', ['id'], { unique: true })
@Index('payment_transactions_payment', ['tenantRecordId', 'paymentId'])
@Index('payment_transactions_external_key', ['tenantRecordId', 'transactionExternalKey'])
@Index('payment_transactions_status', ['tenantRecordId', 'transactionStatus'])
@Index('payment_transactions_attempt', ['tenantRecordId', 'attemptId'])
@Audited({ objectType: 'TRANSACTION' })
export class PaymentTransactionRow extends AccountEntity {
  /** The payment attempt (payment-control layer) the transaction was made for. */
  @Column({ type: 'uuid', nullable: true })
  attemptId!: string | null;

  /** Not unique: a retried transaction reuses its key. */
  @Column({ type: 'varchar', length: 255 })
  transactionExternalKey!: string;

  /** AUTHORIZE, CAPTURE, PURCHASE, VOID, REFUND, CREDIT or CHARGEBACK. */
  @Column({ type: 'varchar', length: 32 })
  transactionType!: string;

  @InstantColumn()
  effectiveDate!: Date;

  /** SUCCESS, UNKNOWN, PENDING, PAYMENT_FAILURE, PLUGIN_FAILURE or PAYMENT_SYSTEM_OFF. */
  @Column({ type: 'varchar', length: 50 })
  transactionStatus!: string;

  /** What was asked for. */
  @MoneyColumn({ nullable: true })
  amount!: Big | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency!: string | null;

  /** What the plugin reported as processed. */
  @MoneyColumn({ nullable: true })
  processedAmount!: Big | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  processedCurrency!: string | null;

  @Column({ type: 'uuid' })
  paymentId!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  gatewayErrorCode!: string | null;

  @Column({ type: 'varchar', length: 256, nullable: true })
  gatewayErrorMsg!: string | null;
}

/**
 * Kill Bill's `payment_attempts` row, written before the plugin is called (state INIT) so that a
 * crash between the call and its answer leaves a row the janitor can reconcile.
 */
@Entity({ name: 'payment_attempts' })
@Index('payment_attempts_id', ['id'], { unique: true })
@Index('payment_attempts_transaction', ['tenantRecordId', 'transactionId'])
@Index('payment_attempts_payment_external_key', ['tenantRecordId', 'paymentExternalKey'])
@Index('payment_attempts_transaction_external_key', ['tenantRecordId', 'transactionExternalKey'])
@Index('payment_attempts_state_name', ['tenantRecordId', 'stateName', 'createdDate'])
@Index('payment_attempts_account', ['tenantRecordId', 'accountId'])
@Audited({ objectType: 'PAYMENT_ATTEMPT' })
export class PaymentAttemptRow extends AccountEntity {
  @Column({ type: 'uuid' })
  accountId!: string;

  @Column({ type: 'uuid', nullable: true })
  paymentMethodId!: string | null;

  @Column({ type: 'varchar', length: 255 })
  paymentExternalKey!: string;

  @Column({ type: 'uuid', nullable: true })
  transactionId!: string | null;

  @Column({ type: 'varchar', length: 255 })
  transactionExternalKey!: string;

  @Column({ type: 'varchar', length: 32 })
  transactionType!: string;

  /** INIT, SUCCESS, RETRIED or ABORTED (SCHEDULED is synthetic, built from the retry queue). */
  @Column({ type: 'varchar', length: 32 })
  stateName!: string;

  @MoneyColumn({ nullable: true })
  amount!: Big | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency!: string | null;

  /** The control plugin names, comma separated (e.g. `__INVOICE_PAYMENT_CONTROL_PLUGIN__`). */
  @Column({ type: 'varchar', length: 1024 })
  pluginName!: string;

  /** The plugin properties of the call, serialized as a JSON array of {key, value}. */
  @Column({ type: 'text', nullable: true })
  pluginProperties!: string | null;
}
