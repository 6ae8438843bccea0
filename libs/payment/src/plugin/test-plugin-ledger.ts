import Big from 'big.js';
import type { DataSource } from 'typeorm';
import type { PaymentTransactionInfoPlugin } from './payment-plugin-api';

/** One answer as stored: amounts as decimal strings, dates as ISO strings. */
type StoredInfo = Omit<PaymentTransactionInfoPlugin, 'processedAmount' | 'effectiveDate' | 'createdDate'> & {
  readonly processedAmount: string | null;
  readonly effectiveDate: string | null;
  readonly createdDate: string | null;
};

/**
 * The test plugin's ledger (table `test_payment_plugin_ledger`): the answers it gave, per tenant and
 * payment, kept in the database as a gateway keeps its own records, outside Kill Bill's transactions
 * (each write commits on its own). Any node, and a node started after a crash, reads the same
 * ledger, so the janitor's getPaymentInfo sees what was charged whoever charged it.
 */
export class TestPluginLedger {
  constructor(private readonly dataSource: DataSource) {}

  async record(tenantRecordId: number, info: PaymentTransactionInfoPlugin): Promise<void> {
    const stored: StoredInfo = {
      ...info,
      processedAmount: info.processedAmount?.toString() ?? null,
      effectiveDate: info.effectiveDate?.toISOString() ?? null,
      createdDate: info.createdDate?.toISOString() ?? null,
    };
    await this.dataSource.query('INSERT INTO test_payment_plugin_ledger (tenant_record_id, kb_payment_id, kb_transaction_id, response) VALUES ($1, $2, $3, $4)', [
      tenantRecordId,
      info.kbPaymentId,
      info.kbTransactionPaymentId,
      JSON.stringify(stored),
    ]);
  }

  /** The payment's answers, in the order they were given. */
  async answers(tenantRecordId: number, kbPaymentId: string): Promise<PaymentTransactionInfoPlugin[]> {
    const rows: { response: StoredInfo }[] = await this.dataSource.query(
      'SELECT response FROM test_payment_plugin_ledger WHERE tenant_record_id = $1 AND kb_payment_id = $2 ORDER BY record_id',
      [tenantRecordId, kbPaymentId],
    );
    return rows.map(({ response }) => ({
      ...response,
      processedAmount: response.processedAmount === null ? null : new Big(response.processedAmount),
      effectiveDate: response.effectiveDate === null ? null : new Date(response.effectiveDate),
      createdDate: response.createdDate === null ? null : new Date(response.createdDate),
    }));
  }
}
