import { QueueDispatcher } from '@kb/platform';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';
import { globalCatalogTenant } from '../support/entitlement';
import { AUTO_PAY_OFF, TEST_PLUGIN, invoicePaymentSteps } from '../support/invoice-payment-scenarios';

const ONE_AT_A_TIME = { 'org.killbill.notificationq.main.claimed': '1', 'org.killbill.persistent.bus.main.claimed': '1' };

/**
 * Money safety (issue 11 item 7): an invoice is never charged twice. The test plugin records what it
 * charged in its ledger (a table, as a gateway's records outlive our processes), which is what these
 * tests count and what getPaymentInfo answers from.
 */
describe('Payment safety: one charge per invoice across crashes, nodes and retries', () => {
  let t: TestApp;
  let tenant: TestTenant;
  beforeAll(async () => {
    t = await startTestApp(ONE_AT_A_TIME, { nodeName: 'node-1' });
    tenant = await globalCatalogTenant(t);
  });
  afterAll(() => t.close());
  const s = () => invoicePaymentSteps(t, () => tenant);
  const ledgerOf = (accountId: string) =>
    t.query<{ kb_payment_id: string; status: string; amount: string | null }>(
      `SELECT l.kb_payment_id, l.response ->> 'status' AS status, l.response ->> 'processedAmount' AS amount
         FROM test_payment_plugin_ledger l JOIN payments p ON p.id = l.kb_payment_id WHERE p.account_id = $1 ORDER BY l.record_id`,
      [accountId],
    );
  /** The account's ledger once it holds `count` charges (polled for up to 5 s: the gateway records a charge before its configured sleep). */
  async function ledgerOnceItHolds(accountId: string, count: number) {
    let charged = await ledgerOf(accountId);
    for (let tries = 0; tries < 250 && charged.length < count; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      charged = await ledgerOf(accountId);
    }
    return charged;
  }
  /** Sessions of this database idle inside a transaction for over a second (a transaction kept open across a gateway call). */
  const idleInTransactionOverASecond = () =>
    t.query(
      `SELECT pid, query FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND state LIKE 'idle in transaction%' AND state_change < clock_timestamp() - interval '1 second'`,
    );
  const configure = (app: TestApp, body: Record<string, unknown>) =>
    app.http.post(`/plugins/${TEST_PLUGIN}/configure`).set(tenant.headers).send(body).expect(200);

  /** An account whose automatic 2013-08-31 payment the test plugin (of every node given) declined: a retry waits for 2013-09-08. */
  async function declined(name: string, nodes: readonly TestApp[] = [t]) {
    const steps = s();
    for (const node of nodes) await configure(node, { CONFIGURE_ACTION: 'ACTION_RETURN_PLUGIN_STATUS_ERROR', METHODS: 'purchasePayment' });
    try {
      const { accountId, invoiceId } = await steps.sportsAfterTrial(name, (id) => steps.addMethod(id, TEST_PLUGIN));
      const [purchase] = await steps.purchases(accountId);
      return { accountId, invoiceId, paymentId: purchase.payment_id };
    } finally {
      for (const node of nodes) await configure(node, { CONFIGURE_ACTION: 'ACTION_CLEAR' });
    }
  }

  it('a retry of a declined payment does not charge once the invoice was paid another way', async () => {
    const steps = s();
    const { accountId, invoiceId, paymentId } = await declined('PaidElsewhere');
    await steps.addDays(1);
    await t.http.post(`/1.0/kb/invoices/${invoiceId}/payments`).query({ externalPayment: true }).set(steps.h()).send({ accountId }).expect(201);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(0);

    await steps.addDays(7); // 2013-09-08: the retry runs and finds nothing to pay
    await steps.drain();
    const [retry] = await t.query<{ processing_state: string }>(
      "SELECT processing_state FROM notifications_history WHERE queue_name = 'payment-retry' AND event_json::jsonb ->> 'paymentId' = $1",
      [paymentId],
    );
    expect(retry.processing_state).toBe('PROCESSED');
    expect((await steps.purchases(accountId)).map((purchase) => [purchase.payment_id === paymentId, purchase.transaction_status])).toEqual([
      [true, 'PAYMENT_FAILURE'],
      [false, 'SUCCESS'],
    ]);
    // The gateway saw the declined call only.
    expect((await ledgerOf(accountId)).map((entry) => entry.status)).toEqual(['ERROR']);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(0);
  });

  it('two nodes handling two deliveries of the same retry at once charge once', async () => {
    const node2 = await startTestApp(ONE_AT_A_TIME, { sharedDatabaseOf: t, nodeName: 'node-2' });
    try {
      const steps = s();
      const { accountId, paymentId } = await declined('TwoNodes', [t, node2]);
      // The retry delivered twice (a redelivery), each copy claimed by a node while the other's gateway call is in flight.
      const copied = await t.query(
        `INSERT INTO notifications (class_name, event_json, user_token, created_date, creating_owner, processing_state, error_count, search_key1, search_key2, queue_name, effective_date, future_user_token)
         SELECT class_name, event_json, user_token, created_date, creating_owner, processing_state, error_count, search_key1, search_key2, queue_name, effective_date, future_user_token
           FROM notifications WHERE queue_name = 'payment-retry' AND event_json::jsonb ->> 'paymentId' = $1 RETURNING record_id`,
        [paymentId],
      );
      expect(copied).toHaveLength(1);
      for (const node of [t, node2]) await configure(node, { SLEEP_TIME_SEC: 1, METHODS: 'purchasePayment' });
      try {
        await steps.addDays(8);
        await steps.drain();
        await node2.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);
      } finally {
        for (const node of [t, node2]) await configure(node, { CONFIGURE_ACTION: 'ACTION_CLEAR' });
      }
      const handled = await t.query<{ processing_state: string }>(
        "SELECT processing_state FROM notifications_history WHERE queue_name = 'payment-retry' AND event_json::jsonb ->> 'paymentId' = $1",
        [paymentId],
      );
      expect(handled.map((row) => row.processing_state)).toEqual(['PROCESSED', 'PROCESSED']);
      expect((await steps.purchases(accountId)).map((purchase) => purchase.transaction_status)).toEqual(['PAYMENT_FAILURE', 'SUCCESS']);
      expect((await ledgerOf(accountId)).map((entry) => [entry.status, entry.amount])).toEqual([
        ['ERROR', '500'],
        ['PROCESSED', '500'],
      ]);
      expect((await steps.accountBalance(accountId)).accountBalance).toBe(0);
    } finally {
      await node2.close();
    }
  });

  it('the automatic payment of a new invoice calls the gateway with no transaction open: the INVOICE_CREATION delivery is complete, the queued payment leased', async () => {
    const steps = s();
    await steps.setClock('2013-08-01T06:00:00.000Z');
    const accountId = await createAccount(t, tenant, { name: 'AutomaticDetached', currency: 'USD' });
    await steps.addMethod(accountId, TEST_PLUGIN);
    await t.http.post('/1.0/kb/subscriptions').set(steps.h()).send({ accountId, planName: 'sports-monthly' }).expect(201);
    await steps.drain();
    await configure(t, { SLEEP_TIME_SEC: 3, METHODS: 'purchasePayment' });
    let moving: Promise<unknown> | undefined;
    try {
      moving = steps.addDays(31).then((response) => response); // sent now; past 2013-08-31 and its $500 invoice, paid automatically
      expect(await ledgerOnceItHolds(accountId, 1)).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(await idleInTransactionOverASecond()).toEqual([]);
      const [accountRow] = await t.query<{ record_id: string }>('SELECT record_id FROM accounts WHERE id = $1', [accountId]);
      // The bus delivery that queued the payment is done; the payment itself is leased to this node.
      expect(
        await t.query(`SELECT processing_state FROM bus_deliveries WHERE class_name = 'INVOICE_CREATION' AND search_key1 = $1`, [accountRow.record_id]),
      ).toEqual([]);
      expect(
        await t.query(
          `SELECT processing_state, processing_owner FROM notifications WHERE queue_name = 'invoice-payment-due' AND search_key1 = $1 FOR UPDATE NOWAIT`,
          [accountRow.record_id],
        ),
      ).toEqual([{ processing_state: 'IN_PROCESSING', processing_owner: 'node-1' }]);
    } finally {
      await moving;
      await configure(t, { CONFIGURE_ACTION: 'ACTION_CLEAR' });
    }
    await steps.drain();
    expect((await steps.purchases(accountId)).map((purchase) => purchase.transaction_status)).toEqual(['SUCCESS']);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(0);
  });

  it('a retry calls the gateway with no transaction open: its notification and rows stay free, the account lock is held, and it completes with history and audit', async () => {
    const steps = s();
    const { accountId, paymentId } = await declined('Detached');
    const [notification] = await t.query<{ record_id: string }>(
      "SELECT record_id FROM notifications WHERE queue_name = 'payment-retry' AND event_json::jsonb ->> 'paymentId' = $1",
      [paymentId],
    );
    await configure(t, { SLEEP_TIME_SEC: 3, METHODS: 'purchasePayment' });
    let moving: Promise<unknown> | undefined;
    try {
      moving = steps.addDays(8).then((response) => response); // 2013-09-08: the retry is due
      expect(await ledgerOnceItHolds(accountId, 2)).toHaveLength(2);
      // Well into the gateway's 3 s answer: a transaction kept open across it would be idle that long.
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(await idleInTransactionOverASecond()).toEqual([]);
      // The notification is leased to this node, not row-locked by an open transaction.
      const claimed = await t.query<{ processing_state: string; processing_owner: string }>(
        'SELECT processing_state, processing_owner FROM notifications WHERE record_id = $1 FOR UPDATE NOWAIT',
        [notification.record_id],
      );
      expect(claimed).toEqual([{ processing_state: 'IN_PROCESSING', processing_owner: 'node-1' }]);
      // The retry's attempt and transaction were committed before the call, for the janitor should this node die.
      const written = await t.query<{ transaction_status: string; attempt: string }>(
        `SELECT tr.transaction_status, a.state_name AS attempt FROM payment_transactions tr JOIN payment_attempts a ON a.id = tr.attempt_id
          WHERE tr.payment_id = $1 ORDER BY tr.record_id FOR UPDATE OF tr, a NOWAIT`,
        [paymentId],
      );
      expect(written).toEqual([
        { transaction_status: 'PAYMENT_FAILURE', attempt: 'RETRIED' },
        { transaction_status: 'UNKNOWN', attempt: 'INIT' },
      ]);
      const [{ free }] = await t.query<{ free: boolean }>('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS free', [`ACCNT_INV_PAY:${accountId}`]);
      expect(free).toBe(false);
    } finally {
      await moving;
      await configure(t, { CONFIGURE_ACTION: 'ACTION_CLEAR' });
    }
    await steps.drain();
    const [handled] = await t.query<{ processing_state: string; processing_owner: string }>(
      'SELECT processing_state, processing_owner FROM notifications_history WHERE record_id = $1',
      [notification.record_id],
    );
    expect(handled).toEqual({ processing_state: 'PROCESSED', processing_owner: 'node-1' });
    expect((await steps.purchases(accountId)).map((purchase) => [purchase.payment_id === paymentId, purchase.transaction_status])).toEqual([
      [true, 'PAYMENT_FAILURE'],
      [true, 'SUCCESS'],
    ]);
    // Both short transactions of the retry left their history row and its audit row.
    const history = await t.query<{ change_type: string; transaction_status: string; audited: string }>(
      `SELECT h.change_type, h.transaction_status, a.change_type AS audited FROM payment_transactions tr
         JOIN payment_transactions_history h ON h.target_record_id = tr.record_id
         JOIN audit_log a ON a.table_name = 'payment_transactions' AND a.target_record_id = h.record_id
        WHERE tr.payment_id = $1 AND tr.transaction_status = 'SUCCESS' ORDER BY h.record_id`,
      [paymentId],
    );
    expect(history.map((row) => [row.change_type, row.transaction_status, row.audited])).toEqual([
      ['INSERT', 'UNKNOWN', 'INSERT'],
      ['UPDATE', 'SUCCESS', 'UPDATE'],
    ]);
    expect((await ledgerOf(accountId)).map((entry) => entry.status)).toEqual(['ERROR', 'PROCESSED']);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(0);
  });

  it('a node dying while the gateway charges leaves an UNKNOWN transaction that another node settles from getPaymentInfo, never charged again', async () => {
    const steps = s();
    const { accountId, invoiceId } = await steps.sportsAfterTrial('Crash', async (id) => {
      await steps.addMethod(id, TEST_PLUGIN);
      await steps.tag(id, AUTO_PAY_OFF);
    });
    const crashing = await startTestApp({}, { sharedDatabaseOf: t, nodeName: 'crashing' });
    let pending: Promise<{ status: number }> | undefined;
    try {
      // The gateway charges at once; its answer would arrive 4 s later, after this node is gone.
      await configure(crashing, { SLEEP_TIME_SEC: 4, METHODS: 'purchasePayment' });
      pending = crashing.http
        .post(`/1.0/kb/invoices/${invoiceId}/payments`)
        .set(steps.h())
        .send({ accountId })
        .then((response) => response);
      let charged: unknown[] = [];
      for (let tries = 0; tries < 100 && charged.length === 0; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        charged = await ledgerOf(accountId);
      }
      expect(charged).toHaveLength(1);

      // The crash: every session of the node ends (its account lock with it); it writes nothing more.
      void crashing.dataSource.destroy().catch(() => undefined);
      await crashing.app.get(QueueDispatcher).stop();
      const [written] = await t.query<{ transaction_status: string; state_name: string; attempt: string; row_status: string }>(
        `SELECT tr.transaction_status, p.state_name, a.state_name AS attempt, ip.status AS row_status
           FROM payment_transactions tr JOIN payments p ON p.id = tr.payment_id JOIN payment_attempts a ON a.id = tr.attempt_id
           JOIN invoice_payments ip ON ip.payment_id = p.id AND ip.type = 'ATTEMPT'
          WHERE p.account_id = $1`,
        [accountId],
      );
      expect(written).toEqual({ transaction_status: 'UNKNOWN', state_name: 'PURCHASE_INIT', attempt: 'INIT', row_status: 'INIT' });
      // Its sessions end as the pool closes: the account lock it held goes with them.
      let free = false;
      for (let tries = 0; tries < 100 && !free; tries++) {
        [{ free }] = await t.query<{ free: boolean }>('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS free', [`ACCNT_INV_PAY:${accountId}`]);
        if (!free) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(free).toBe(true);

      // Another node: paying the invoice again is refused while the outcome is unknown (nothing to pay: 204).
      await t.http.post(`/1.0/kb/invoices/${invoiceId}/payments`).set(steps.h()).send({ accountId }).expect(204);
      expect((await steps.accountBalance(accountId)).accountBalance).toBe(500);

      // 12 hours on (org.killbill.payment.janitor.attempts.delay), its janitor asks the gateway and settles the charge.
      await steps.addDays(1);
      await steps.drain();
      const purchases = await steps.purchases(accountId);
      expect(purchases.map((purchase) => [purchase.transaction_status, Number(purchase.processed_amount)])).toEqual([['SUCCESS', 500]]);
      const [settled] = await t.query<{ state_name: string; attempt: string; row_status: string; amount: string }>(
        `SELECT p.state_name, a.state_name AS attempt, ip.status AS row_status, ip.amount FROM payments p
           JOIN payment_transactions tr ON tr.payment_id = p.id JOIN payment_attempts a ON a.id = tr.attempt_id
           JOIN invoice_payments ip ON ip.payment_id = p.id AND ip.type = 'ATTEMPT' WHERE p.account_id = $1`,
        [accountId],
      );
      expect({ ...settled, amount: Number(settled.amount) }).toEqual({
        state_name: 'PURCHASE_SUCCESS',
        attempt: 'SUCCESS',
        row_status: 'SUCCESS',
        amount: 500,
      });
      expect((await steps.accountBalance(accountId)).accountBalance).toBe(0);
      expect(await ledgerOf(accountId)).toHaveLength(1);
    } finally {
      // The dead node's call comes back once its sleep is over, and fails to write anything.
      if (pending) expect((await pending).status).toBeGreaterThanOrEqual(500);
      await crashing.app.close().catch(() => undefined);
    }
  });

  it('a node dying during a retry leaves its notification leased: once the lease runs out another node takes it, charges nothing, and the janitor settles the charge', async () => {
    const steps = s();
    const { accountId, paymentId } = await declined('LeaseExpiry');
    const [notification] = await t.query<{ record_id: string }>(
      "SELECT record_id FROM notifications WHERE queue_name = 'payment-retry' AND event_json::jsonb ->> 'paymentId' = $1",
      [paymentId],
    );
    const crashing = await startTestApp(
      { ...ONE_AT_A_TIME, 'org.killbill.notificationq.main.reapThreshold': '2s' },
      { sharedDatabaseOf: t, nodeName: 'crashing' },
    );
    const dispatcher = t.app.get(QueueDispatcher);
    try {
      await configure(crashing, { SLEEP_TIME_SEC: 4, METHODS: 'purchasePayment' });
      // Only the node about to die handles queues while the retry becomes due.
      await dispatcher.stop();
      await t.http.put('/1.0/kb/test/clock').query({ days: 8, timeoutSec: 0 }).set(steps.h()).expect(200);
      expect(await ledgerOnceItHolds(accountId, 2)).toHaveLength(2);

      void crashing.dataSource.destroy().catch(() => undefined);
      await crashing.app.get(QueueDispatcher).stop();
      const [leased] = await t.query<{ processing_state: string; processing_owner: string }>(
        'SELECT processing_state, processing_owner FROM notifications WHERE record_id = $1',
        [notification.record_id],
      );
      expect(leased).toEqual({ processing_state: 'IN_PROCESSING', processing_owner: 'crashing' });
      expect((await steps.purchases(accountId)).map((purchase) => purchase.transaction_status)).toEqual(['PAYMENT_FAILURE', 'UNKNOWN']);
    } finally {
      dispatcher.start();
      await crashing.app.close().catch(() => undefined);
    }

    // Its lease (2 s) is over: this node runs the retry again, and the control plugin refuses to pay while the outcome is unknown.
    await steps.drain();
    const [handled] = await t.query<{ processing_state: string; processing_owner: string }>(
      'SELECT processing_state, processing_owner FROM notifications_history WHERE record_id = $1',
      [notification.record_id],
    );
    expect(handled).toEqual({ processing_state: 'PROCESSED', processing_owner: 'node-1' });
    expect((await steps.purchases(accountId)).map((purchase) => purchase.transaction_status)).toEqual(['PAYMENT_FAILURE', 'UNKNOWN']);
    expect(await ledgerOf(accountId)).toHaveLength(2);

    // 12 hours on, the attempt's janitor asks the gateway and settles the one charge.
    await steps.addDays(1);
    await steps.drain();
    expect((await steps.purchases(accountId)).map((purchase) => purchase.transaction_status)).toEqual(['PAYMENT_FAILURE', 'SUCCESS']);
    expect((await ledgerOf(accountId)).map((entry) => entry.status)).toEqual(['ERROR', 'PROCESSED']);
    expect((await steps.accountBalance(accountId)).accountBalance).toBe(0);
  });
});
