import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';
import { AUTO_PAY_OFF, EXTERNAL_PLUGIN, MANUAL_PAY, invoicePaymentSteps } from '../support/invoice-payment-scenarios';

/**
 * AUTO_PAY_OFF and MANUAL_PAY (spec 2.6 step 4): the system does not pay the invoices of such an
 * account but remembers what it held back; removing AUTO_PAY_OFF replays it through the invoice
 * payment control (so an invoice paid meanwhile is not charged again); removing MANUAL_PAY replays nothing.
 */
describe('Invoice payments: AUTO_PAY_OFF / MANUAL_PAY held back and replayed', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
  });
  afterAll(() => t.close());
  const s = () => invoicePaymentSteps(t, () => tenant);
  const heldBack = (accountId: string) =>
    t.query<{ invoice_id: string; amount: string; is_active: boolean }>('SELECT invoice_id, amount, is_active FROM invoice_payment_auto_pay_off WHERE account_id = $1 ORDER BY record_id', [accountId]);

  it('does not pay while AUTO_PAY_OFF, remembers the $500; removing the tag pays it (one payment, balance 0)', async () => {
    const steps = s();
    const { accountId, invoiceId } = await steps.sportsAfterTrial('AutoPayOff', async (id) => {
      await steps.addMethod(id, EXTERNAL_PLUGIN);
      await steps.tag(id, AUTO_PAY_OFF);
    });
    expect(await steps.purchases(accountId)).toEqual([]);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(500);
    expect((await heldBack(accountId)).map((row) => [row.invoice_id, Number(row.amount), row.is_active])).toEqual([[invoiceId, 500, true]]);

    await steps.untag(accountId, AUTO_PAY_OFF);
    await steps.drain();
    const purchases = await steps.purchases(accountId);
    expect(purchases.map((purchase) => [purchase.transaction_status, Number(purchase.processed_amount)])).toEqual([['SUCCESS', 500]]);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(0);
    expect((await heldBack(accountId)).map((row) => row.is_active)).toEqual([false]);
    // The next invoice (2013-09-30) is paid automatically again.
    await steps.addDays(30);
    await steps.drain();
    expect((await steps.purchases(accountId)).map((purchase) => purchase.transaction_status)).toEqual(['SUCCESS', 'SUCCESS']);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(0);
  });

  it('an invoice paid through the API meanwhile is not charged again when AUTO_PAY_OFF is removed', async () => {
    const steps = s();
    const { accountId, invoiceId } = await steps.sportsAfterTrial('PaidMeanwhile', async (id) => {
      await steps.addMethod(id, EXTERNAL_PLUGIN);
      await steps.tag(id, AUTO_PAY_OFF);
    });
    // The API ignores AUTO_PAY_OFF.
    await t.http.post(`/1.0/kb/invoices/${invoiceId}/payments`).set(steps.h()).send({ accountId }).expect(201);
    await steps.untag(accountId, AUTO_PAY_OFF);
    await steps.drain();
    expect((await steps.purchases(accountId)).map((purchase) => [purchase.transaction_status, Number(purchase.processed_amount)])).toEqual([['SUCCESS', 500]]);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(0);
  });

  it('MANUAL_PAY is not paid automatically and its removal pays nothing; with both tags the replay is held back again', async () => {
    const steps = s();
    const { accountId, invoiceId } = await steps.sportsAfterTrial('ManualPay', async (id) => {
      await steps.addMethod(id, EXTERNAL_PLUGIN);
      await steps.tag(id, MANUAL_PAY);
      await steps.tag(id, AUTO_PAY_OFF);
    });
    expect(await steps.purchases(accountId)).toEqual([]);
    // AUTO_PAY_OFF removed: the replay runs, MANUAL_PAY holds it back once more.
    await steps.untag(accountId, AUTO_PAY_OFF);
    await steps.drain();
    expect(await steps.purchases(accountId)).toEqual([]);
    expect((await heldBack(accountId)).map((row) => [row.invoice_id, row.is_active])).toEqual([
      [invoiceId, false],
      [invoiceId, true],
    ]);
    // MANUAL_PAY removed: nothing is replayed.
    await steps.untag(accountId, MANUAL_PAY);
    await steps.drain();
    expect(await steps.purchases(accountId)).toEqual([]);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(500);
  });
});
