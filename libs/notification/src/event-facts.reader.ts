import { Injectable } from '@nestjs/common';
import { type QueueMessage, Transactions } from '@kb/platform';
import { ENTITLEMENT_SERVICE } from '@kb/entitlement/engine';
import { visibleBundleKey } from '@kb/entitlement';
import type { BlockingTransition, EventFacts, InvoicePaymentFacts } from './engine/ext-bus-events';

type Payload = Readonly<Record<string, unknown>>;
const REQUESTED_SUBSCRIPTION_EVENTS = new Set(['SUBSCRIPTION_CREATION', 'SUBSCRIPTION_CHANGE', 'SUBSCRIPTION_CANCEL', 'SUBSCRIPTION_UNCANCEL']);

interface BlockingRow {
  record_id: string;
  service: string;
  state: string;
  effective_date: Date;
  block_billing: boolean;
  block_entitlement: boolean;
}

/**
 * Reads what BeatrixListener looks up besides the internal event (see EventFacts), in the
 * transaction of the bus delivery, scoped to the event's tenant.
 */
@Injectable()
export class EventFactsReader {
  constructor(private readonly transactions: Transactions) {}

  async read(message: QueueMessage): Promise<EventFacts> {
    const payload = (message.payload ?? {}) as Payload;
    const tenantRecordId = message.tenantRecordId;
    return {
      accountId: await this.accountIdOf(message.accountRecordId, tenantRecordId),
      bundleExternalKey: REQUESTED_SUBSCRIPTION_EVENTS.has(message.type) ? await this.bundleKeyOf(payload.bundleId, tenantRecordId) : undefined,
      blockingTransition: message.type === 'BLOCKING_STATE' && payload.service !== ENTITLEMENT_SERVICE ? await this.blockingTransitionOf(payload, tenantRecordId) : undefined,
      invoicePayment: message.type.startsWith('INVOICE_PAYMENT_') ? await this.invoicePaymentOf(payload, tenantRecordId) : undefined,
    };
  }

  /** The tenant's id (the push notification key carries it). */
  async tenantIdOf(tenantRecordId: number): Promise<string> {
    const [row]: { id: string }[] = await this.transactions.manager().query(`SELECT id FROM tenants WHERE record_id = $1`, [tenantRecordId]);
    return row?.id ?? '';
  }

  private async accountIdOf(accountRecordId: number | null, tenantRecordId: number): Promise<string | null> {
    if (accountRecordId === null) return null;
    const [row]: { id: string }[] = await this.transactions
      .manager()
      .query(`SELECT id FROM accounts WHERE record_id = $1 AND tenant_record_id = $2`, [accountRecordId, tenantRecordId]);
    return row?.id ?? null;
  }

  private async bundleKeyOf(bundleId: unknown, tenantRecordId: number): Promise<string | null> {
    if (typeof bundleId !== 'string') return null;
    const [row]: { external_key: string }[] = await this.transactions
      .manager()
      .query(`SELECT external_key FROM bundles WHERE id = $1 AND tenant_record_id = $2`, [bundleId, tenantRecordId]);
    return row ? visibleBundleKey(row.external_key) : null;
  }

  /**
   * Whether the blockable went from unblocked to blocked (or back) for billing and entitlement: its
   * states in effect (the latest of each service) just before this one and with it.
   */
  private async blockingTransitionOf(payload: Payload, tenantRecordId: number): Promise<BlockingTransition> {
    const effectiveDate = new Date(String(payload.effectiveDate));
    const rows: BlockingRow[] = await this.transactions.manager().query(
      `SELECT record_id, service, state, effective_date, block_billing, block_entitlement FROM blocking_states
        WHERE tenant_record_id = $1 AND blockable_id = $2 AND is_active AND effective_date <= $3
        ORDER BY effective_date, record_id`,
      [tenantRecordId, payload.blockableId, effectiveDate],
    );
    const current = [...rows].reverse().find((row) => row.service === payload.service && row.state === payload.stateName);
    const inEffect = (candidates: BlockingRow[]) => [...new Map(candidates.map((row) => [row.service, row])).values()];
    const before = inEffect(rows.filter((row) => current === undefined || Number(row.record_id) < Number(current.record_id)));
    const after = inEffect(rows.filter((row) => current === undefined || Number(row.record_id) <= Number(current.record_id)));
    const blocked = (states: BlockingRow[], flag: 'block_billing' | 'block_entitlement') => states.some((row) => row[flag]);
    return {
      isTransitionedToBlockedBilling: !blocked(before, 'block_billing') && blocked(after, 'block_billing'),
      isTransitionedToUnblockedBilling: blocked(before, 'block_billing') && !blocked(after, 'block_billing'),
      isTransitionedToBlockedEntitlement: !blocked(before, 'block_entitlement') && blocked(after, 'block_entitlement'),
      isTransitionedToUnblockedEntitlement: blocked(before, 'block_entitlement') && !blocked(after, 'block_entitlement'),
    };
  }

  private async invoicePaymentOf(payload: Payload, tenantRecordId: number): Promise<InvoicePaymentFacts | null> {
    const manager = this.transactions.manager();
    const [row]: { type: string; payment_date: Date; linked_invoice_payment_id: string | null; payment_cookie_id: string | null; processed_currency: string | null }[] =
      await manager.query(
        `SELECT type, payment_date, linked_invoice_payment_id, payment_cookie_id, processed_currency FROM invoice_payments
          WHERE tenant_record_id = $1 AND invoice_id = $2 AND payment_id = $3 ORDER BY record_id DESC LIMIT 1`,
        [tenantRecordId, payload.invoiceId, payload.paymentId],
      );
    if (!row) return null;
    const [attempt]: { id: string }[] = row.payment_cookie_id
      ? await manager.query(`SELECT id FROM payment_attempts WHERE tenant_record_id = $1 AND transaction_external_key = $2 ORDER BY record_id DESC LIMIT 1`, [
          tenantRecordId,
          row.payment_cookie_id,
        ])
      : [];
    return {
      paymentAttemptId: attempt?.id ?? null,
      invoicePaymentType: row.type,
      paymentDate: new Date(row.payment_date).toISOString(),
      linkedInvoicePaymentId: row.linked_invoice_payment_id,
      paymentCookieId: row.payment_cookie_id,
      processedCurrency: row.processed_currency,
    };
  }
}
