import { Column, Entity, Index } from 'typeorm';
import type { LocalDate } from '@js-joda/core';
import type Big from 'big.js';
import { AccountEntity, Audited, InstantColumn, LocalDateColumn, MoneyColumn } from '@kb/platform';
import type { InvoiceItemType, InvoicePaymentStatus, InvoicePaymentType, InvoiceStatus } from './engine/model';

/** Kill Bill's `invoices` row. Its record id is the invoice number: one sequence for every tenant. */
@Entity({ name: 'invoices' })
@Index('invoices_id', ['id'], { unique: true })
@Index('invoices_account', ['tenantRecordId', 'accountId'])
@Index('invoices_tenant_record_id', ['tenantRecordId', 'recordId'])
@Audited({ objectType: 'INVOICE' })
export class InvoiceRow extends AccountEntity {
  @Column({ type: 'uuid' })
  accountId!: string;

  @LocalDateColumn()
  invoiceDate!: LocalDate;

  @LocalDateColumn({ nullable: true })
  targetDate!: LocalDate | null;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 15 })
  status!: InvoiceStatus;

  @Column({ type: 'boolean', default: false })
  migrated!: boolean;

  @Column({ type: 'boolean', default: false })
  parentInvoice!: boolean;

  /** The group of invoices one run produced (the first invoice's id). */
  @Column({ type: 'uuid', nullable: true })
  grpId!: string | null;
}

/** Kill Bill's `invoice_items` row. */
@Entity({ name: 'invoice_items' })
@Index('invoice_items_id', ['id'], { unique: true })
@Index('invoice_items_invoice', ['tenantRecordId', 'invoiceId'])
@Index('invoice_items_account', ['tenantRecordId', 'accountId'])
@Index('invoice_items_subscription', ['tenantRecordId', 'subscriptionId'])
@Index('invoice_items_linked_item', ['tenantRecordId', 'linkedItemId'], { where: 'linked_item_id IS NOT NULL' })
@Audited({ objectType: 'INVOICE_ITEM' })
export class InvoiceItemRow extends AccountEntity {
  @Column({ type: 'varchar', length: 24 })
  type!: InvoiceItemType;

  @Column({ type: 'uuid' })
  invoiceId!: string;

  @Column({ type: 'uuid' })
  accountId!: string;

  @Column({ type: 'uuid', nullable: true })
  childAccountId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  bundleId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  subscriptionId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  productName!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  planName!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  phaseName!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  usageName!: string | null;

  @InstantColumn({ nullable: true })
  catalogEffectiveDate!: Date | null;

  @LocalDateColumn()
  startDate!: LocalDate;

  @LocalDateColumn({ nullable: true })
  endDate!: LocalDate | null;

  @MoneyColumn()
  amount!: Big;

  @MoneyColumn({ nullable: true })
  rate!: Big | null;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'uuid', nullable: true })
  linkedItemId!: string | null;

  @MoneyColumn({ nullable: true })
  quantity!: Big | null;

  @Column({ type: 'text', nullable: true })
  itemDetails!: string | null;
}

/** Kill Bill's `invoice_payments` row: what was paid, refunded or charged back on an invoice (written by payments). */
@Entity({ name: 'invoice_payments' })
@Index('invoice_payments_id', ['id'], { unique: true })
@Index('invoice_payments_invoice', ['tenantRecordId', 'invoiceId'])
@Index('invoice_payments_payment', ['tenantRecordId', 'paymentId'])
@Index('invoice_payments_cookie', ['tenantRecordId', 'paymentCookieId'])
@Audited({ objectType: 'INVOICE_PAYMENT' })
export class InvoicePaymentRow extends AccountEntity {
  @Column({ type: 'varchar', length: 24 })
  type!: InvoicePaymentType;

  @Column({ type: 'uuid' })
  invoiceId!: string;

  @Column({ type: 'uuid', nullable: true })
  paymentId!: string | null;

  @InstantColumn()
  paymentDate!: Date;

  @MoneyColumn()
  amount!: Big;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 3 })
  processedCurrency!: string;

  /** The payment transaction's external key. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  paymentCookieId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  linkedInvoicePaymentId!: string | null;

  @Column({ type: 'varchar', length: 15 })
  status!: InvoicePaymentStatus;
}

/** Kill Bill's `invoice_parent_children`: a child account's invoice summarised on its parent's invoice. */
@Entity({ name: 'invoice_parent_children' })
@Index('invoice_parent_children_id', ['id'], { unique: true })
@Index('invoice_parent_children_parent', ['tenantRecordId', 'parentInvoiceId'])
@Index('invoice_parent_children_child', ['tenantRecordId', 'childInvoiceId'])
@Audited({ objectType: 'INVOICE_PARENT_CHILD' })
export class InvoiceParentChildRow extends AccountEntity {
  @Column({ type: 'uuid' })
  parentInvoiceId!: string;

  @Column({ type: 'uuid' })
  childInvoiceId!: string;

  @Column({ type: 'uuid' })
  childAccountId!: string;
}

/** Kill Bill's `invoice_tracking_ids`: the usage records (by tracking id) an invoice billed. */
@Entity({ name: 'invoice_tracking_ids' })
@Index('invoice_tracking_ids_id', ['id'], { unique: true })
@Index('invoice_tracking_ids_invoice', ['tenantRecordId', 'invoiceId'])
@Index('invoice_tracking_ids_subscription', ['tenantRecordId', 'subscriptionId', 'recordDate'])
@Audited({ objectType: 'INVOICE_TRACKING' })
export class InvoiceTrackingIdRow extends AccountEntity {
  @Column({ type: 'varchar', length: 128 })
  trackingId!: string;

  @Column({ type: 'uuid' })
  invoiceId!: string;

  @Column({ type: 'uuid' })
  subscriptionId!: string;

  @Column({ type: 'varchar', length: 255 })
  unitType!: string;

  @LocalDateColumn()
  recordDate!: LocalDate;

  @Column({ type: 'boolean', default: true })
  isActive!: boolean;
}
