import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const ACCOUNTS = '/1.0/kb/accounts';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Account resource', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    other = await t.createTenant();
  });
  afterAll(() => t.close());

  async function createAccount(body: Record<string, unknown> = {}, headers: Record<string, string> = tenant.headers): Promise<string> {
    const response = await t.http.post(ACCOUNTS).set(headers).send(body).expect(201);
    return String(response.headers.location).split('/').pop() ?? '';
  }

  async function getAccount(id: string, query = '', headers = tenant.headers) {
    return (await t.http.get(`${ACCOUNTS}/${id}${query}`).set(headers).expect(200)).body;
  }

  describe('createAccount', () => {
    it('answers 201 with an empty body and a Location to the account; every field is emitted', async () => {
      const response = await t.http
        .post(ACCOUNTS)
        .set(tenant.headers)
        .send({ name: 'John Doe', firstNameLength: 4, email: 'john@laposte.com', currency: 'USD', company: 'Acme', state: 'CA', isMigrated: true })
        .expect(201);
      expect(response.text).toBe('');
      expect(response.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/1\.0\/kb\/accounts\/[0-9a-f-]{36}$/);
      const id = String(response.headers.location).split('/').pop() ?? '';
      const account = await getAccount(id);
      expect(Object.keys(account)).toEqual([
        'accountId',
        'name',
        'firstNameLength',
        'externalKey',
        'email',
        'billCycleDayLocal',
        'currency',
        'parentAccountId',
        'isPaymentDelegatedToParent',
        'paymentMethodId',
        'referenceTime',
        'timeZone',
        'address1',
        'address2',
        'postalCode',
        'company',
        'city',
        'state',
        'country',
        'locale',
        'phone',
        'notes',
        'isMigrated',
        'accountBalance',
        'accountCBA',
        'auditLogs',
      ]);
      expect(account).toMatchObject({
        accountId: id,
        name: 'John Doe',
        firstNameLength: 4,
        externalKey: id,
        email: 'john@laposte.com',
        billCycleDayLocal: 0,
        currency: 'USD',
        parentAccountId: null,
        isPaymentDelegatedToParent: false,
        timeZone: 'UTC',
        company: 'Acme',
        state: 'CA',
        isMigrated: true,
        accountBalance: null,
        accountCBA: null,
        auditLogs: [],
      });
      expect(account.referenceTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it('accepts a shell account (no field at all) with Kill Bill defaults', async () => {
      const id = await createAccount({});
      const account = await getAccount(id);
      expect(account).toMatchObject({ accountId: id, externalKey: id, timeZone: 'UTC', billCycleDayLocal: 0, currency: null, name: null, isMigrated: null });
    });

    it('keeps given externalKey, timeZone, referenceTime and BCD', async () => {
      const id = await createAccount({ externalKey: 'keep-1', timeZone: 'Europe/Paris', referenceTime: '2013-08-01T06:00:00.000Z', billCycleDayLocal: 15 });
      expect(await getAccount(id)).toMatchObject({
        externalKey: 'keep-1',
        timeZone: 'Europe/Paris',
        referenceTime: '2013-08-01T06:00:00.000Z',
        billCycleDayLocal: 15,
      });
    });

    it('writes the row, its history, the audit log with the call headers and an ACCOUNT_CREATION event', async () => {
      const id = await createAccount(
        { externalKey: 'audited-create' },
        { ...tenant.headers, 'X-Killbill-CreatedBy': 'alice', 'X-Killbill-Reason': 'signup', 'X-Killbill-Comment': 'web form' },
      );
      const rows = await t.query(
        `SELECT a.change_type, a.created_by, a.reason_code, a.comments, a.account_record_id = acc.record_id AS own_account, h.external_key
           FROM accounts acc JOIN accounts_history h ON h.target_record_id = acc.record_id
           JOIN audit_log a ON a.target_record_id = h.record_id AND a.table_name = 'accounts'
          WHERE acc.id = $1`,
        [id],
      );
      expect(rows).toEqual([
        { change_type: 'INSERT', created_by: 'alice', reason_code: 'signup', comments: 'web form', own_account: true, external_key: 'audited-create' },
      ]);
      const events = await t.query<{ n: string }>(
        `SELECT count(*) AS n FROM (SELECT event_json FROM bus_events WHERE class_name = 'ACCOUNT_CREATION'
           UNION ALL SELECT event_json FROM bus_events_history WHERE class_name = 'ACCOUNT_CREATION') e WHERE event_json::jsonb->>'accountId' = $1`,
        [id],
      );
      expect(Number(events[0].n)).toBe(1);
    });

    it('refuses a duplicate externalKey with 409 ACCOUNT_ALREADY_EXISTS and writes nothing', async () => {
      // Account rows and their audit only: the tenant's own catalog placeholder may be written meanwhile (TENANT_CREATION's handler).
      await createAccount({ externalKey: 'dup-key' });
      const before = await t.query<{ n: string }>(`SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM audit_log WHERE table_name LIKE 'account%') AS n`);
      const response = await t.http.post(ACCOUNTS).set(tenant.headers).send({ externalKey: 'dup-key', name: 'again' }).expect(409);
      expect(response.body).toMatchObject({
        className: 'org.killbill.billing.account.api.AccountApiException',
        code: 3000,
        message: 'Account already exists for key dup-key',
      });
      const after = await t.query<{ n: string }>(`SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM audit_log WHERE table_name LIKE 'account%') AS n`);
      expect(after[0].n).toBe(before[0].n);
    });

    it('keeps externalKey unique per tenant only', async () => {
      await createAccount({ externalKey: 'shared-key' });
      await createAccount({ externalKey: 'shared-key' }, other.headers);
    });

    it('refuses two concurrent creates of one key: exactly one wins', async () => {
      const responses = await Promise.all([1, 2, 3, 4].map(() => t.http.post(ACCOUNTS).set(tenant.headers).send({ externalKey: 'race-key' })));
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    });

    it('refuses an externalKey over 255 characters with EXTERNAL_KEY_LIMIT_EXCEEDED', async () => {
      const response = await t.http
        .post(ACCOUNTS)
        .set(tenant.headers)
        .send({ externalKey: 'k'.repeat(256) })
        .expect(400);
      expect(response.body).toMatchObject({ code: 5, message: 'External key exceeded 255 characters' });
    });

    it('refuses an unknown parent with 404 ACCOUNT_DOES_NOT_EXIST_FOR_ID', async () => {
      const parentAccountId = '6b4e8bdb-36c5-4a8c-a0a2-4f7a1f0e9a11';
      const response = await t.http.post(ACCOUNTS).set(tenant.headers).send({ parentAccountId }).expect(404);
      expect(response.body).toMatchObject({ code: 3002, message: `Account does not exist for id ${parentAccountId}` });
    });

    it.each([
      [{ timeZone: 'Mars/Olympus' }, 'Mars/Olympus'],
      [{ currency: 'XXX' }, 'currency'],
      [{ billCycleDayLocal: 32 }, 'billCycleDayLocal'],
      [{ locale: 'not a locale' }, 'locale'],
      [{ referenceTime: 'yesterday' }, 'referenceTime'],
      [{ name: 42 }, 'name'],
      [{ parentAccountId: 'not-a-uuid' }, 'parentAccountId'],
    ])('refuses bad input %j with a 400 naming it', async (body, named) => {
      const response = await t.http.post(ACCOUNTS).set(tenant.headers).send(body).expect(400);
      expect(response.body.className).toBe('java.lang.IllegalArgumentException');
      expect(response.body.message).toContain(named);
    });

    it('needs X-Killbill-CreatedBy and the tenant headers', async () => {
      const { 'X-Killbill-CreatedBy': _, ...noCreatedBy } = tenant.headers;
      await t.http.post(ACCOUNTS).set(noCreatedBy).send({}).expect(400);
      await t.http.post(ACCOUNTS).set(t.adminHeaders).send({}).expect(401);
    });
  });

  describe('getAccount / getAccountByKey', () => {
    it('finds an account by externalKey', async () => {
      const id = await createAccount({ externalKey: 'by-key', name: 'Keyed' });
      const response = await t.http.get(`${ACCOUNTS}?externalKey=by-key&accountWithBalance=true`).set(tenant.headers).expect(200);
      expect(response.body).toMatchObject({ accountId: id, name: 'Keyed', accountBalance: 0, accountCBA: null });
    });

    it('answers 404 3003 for an unknown externalKey and 404 3002 for an unknown id', async () => {
      const byKey = await t.http.get(`${ACCOUNTS}?externalKey=nope`).set(tenant.headers).expect(404);
      expect(byKey.body).toMatchObject({ code: 3003, message: 'Account does not exist for key nope' });
      const id = '0a4b8bdb-36c5-4a8c-a0a2-4f7a1f0e9a11';
      const byId = await t.http.get(`${ACCOUNTS}/${id}`).set(tenant.headers).expect(404);
      expect(byId.body).toMatchObject({ code: 3002, message: `Account does not exist for id ${id}` });
    });

    it('answers 400 for a malformed id', async () => {
      await t.http.get(`${ACCOUNTS}/not-a-uuid`).set(tenant.headers).expect(400);
    });

    it('isolates tenants: an account of one tenant is 404 from another, by id, key, search and list', async () => {
      const id = await createAccount({ externalKey: 'isolated-key', name: 'Isolated Person' });
      await t.http.get(`${ACCOUNTS}/${id}`).set(other.headers).expect(404);
      await t.http.get(`${ACCOUNTS}?externalKey=isolated-key`).set(other.headers).expect(404);
      await t.http.put(`${ACCOUNTS}/${id}`).set(other.headers).send({ name: 'hijack' }).expect(404);
      await t.http.get(`${ACCOUNTS}/${id}/emails`).set(other.headers).expect(200, []);
      await t.http.post(`${ACCOUNTS}/${id}/emails`).set(other.headers).send({ accountId: id, email: 'x@y.z' }).expect(404);
      await t.http.get(`${ACCOUNTS}/${id}/auditLogs`).set(other.headers).expect(404);
      await t.http.delete(`${ACCOUNTS}/${id}`).set(other.headers).expect(404);
      const search = await t.http.get(`${ACCOUNTS}/search/Isolated`).set(other.headers).expect(200);
      expect(search.body).toEqual([]);
      const list = await t.http.get(`${ACCOUNTS}/pagination`).set(other.headers).expect(200);
      expect(list.body.map((a: { accountId: string }) => a.accountId)).not.toContain(id);
      expect((await getAccount(id)).name).toBe('Isolated Person');
    });
  });

  describe('updateAccount', () => {
    it('updates given fields, keeps null ones (treatNullAsReset=false) and answers 204', async () => {
      const id = await createAccount({ name: 'Before', email: 'before@x.com', city: 'Paris', currency: 'EUR' });
      const response = await t.http.put(`${ACCOUNTS}/${id}`).set(tenant.headers).send({ name: 'After', phone: '555', billCycleDayLocal: 12 }).expect(204);
      expect(response.text).toBe('');
      expect(await getAccount(id)).toMatchObject({ name: 'After', email: 'before@x.com', city: 'Paris', phone: '555', currency: 'EUR', billCycleDayLocal: 12 });
    });

    it('clears null fields with treatNullAsReset=true when the immutable fields are repeated', async () => {
      const id = await createAccount({ externalKey: 'reset-1', name: 'Reset', email: 'r@x.com', currency: 'USD', timeZone: 'UTC' });
      await t.http
        .put(`${ACCOUNTS}/${id}?treatNullAsReset=true`)
        .set(tenant.headers)
        .send({ externalKey: 'reset-1', currency: 'USD', timeZone: 'UTC', name: 'Only name' })
        .expect(204);
      expect(await getAccount(id)).toMatchObject({ name: 'Only name', email: null, currency: 'USD' });
    });

    it('refuses treatNullAsReset=true without the immutable fields', async () => {
      const id = await createAccount({ currency: 'USD' });
      const response = await t.http.put(`${ACCOUNTS}/${id}?treatNullAsReset=true`).set(tenant.headers).send({ name: 'x' }).expect(400);
      expect(response.body.message).toContain("Killbill doesn't support updating the account external key");
    });

    it.each([
      [{ externalKey: 'changed' }, 'external key'],
      [{ currency: 'GBP' }, 'currency'],
      [{ timeZone: 'America/New_York' }, 'timeZone'],
      [{ billCycleDayLocal: 3 }, 'BCD'],
      [{ referenceTime: '2020-01-02T00:00:00.000Z' }, 'referenceTime'],
    ])('refuses changing an immutable field %j with a 400', async (body, what) => {
      const id = await createAccount({ currency: 'EUR', billCycleDayLocal: 10, referenceTime: '2020-01-01T10:00:00.000Z' });
      const response = await t.http.put(`${ACCOUNTS}/${id}`).set(tenant.headers).send(body).expect(400);
      expect(response.body.className).toBe('java.lang.IllegalArgumentException');
      expect(response.body.message).toContain(`Killbill doesn't support updating the account ${what}`);
    });

    it('accepts resending the same immutable values, and a reference time of the same date', async () => {
      const id = await createAccount({ externalKey: 'same-1', currency: 'EUR', billCycleDayLocal: 10, referenceTime: '2020-01-01T10:00:00.000Z' });
      await t.http
        .put(`${ACCOUNTS}/${id}`)
        .set(tenant.headers)
        .send({ externalKey: 'same-1', currency: 'EUR', timeZone: 'UTC', billCycleDayLocal: 10, referenceTime: '2020-01-01T23:00:00.000Z', notes: 'n' })
        .expect(204);
      expect(await getAccount(id)).toMatchObject({ notes: 'n', referenceTime: '2020-01-01T10:00:00.000Z' });
    });

    it('answers 404 for an unknown account', async () => {
      await t.http.put(`${ACCOUNTS}/0a4b8bdb-36c5-4a8c-a0a2-4f7a1f0e9a11`).set(tenant.headers).send({ name: 'x' }).expect(404);
    });

    it('posts ACCOUNT_CHANGE with the changed fields', async () => {
      const id = await createAccount({ name: 'Evented' });
      await t.http.put(`${ACCOUNTS}/${id}`).set(tenant.headers).send({ name: 'Evented 2' }).expect(204);
      const [event] = await t.query<{ event_json: string }>(
        `SELECT event_json FROM (SELECT event_json, class_name FROM bus_events UNION ALL SELECT event_json, class_name FROM bus_events_history) e
          WHERE class_name = 'ACCOUNT_CHANGE' AND event_json::jsonb->>'accountId' = $1`,
        [id],
      );
      expect(JSON.parse(event.event_json).changedFields).toEqual([{ fieldName: 'name', oldValue: 'Evented', newValue: 'Evented 2' }]);
    });
  });

  describe('audit logs', () => {
    let id: string;

    beforeAll(async () => {
      id = await createAccount(
        { name: 'Audited' },
        { ...tenant.headers, 'X-Killbill-CreatedBy': 'creator', 'X-Killbill-Reason': 'r1', 'X-Killbill-Comment': 'c1' },
      );
      await t.http
        .put(`${ACCOUNTS}/${id}`)
        .set({ ...tenant.headers, 'X-Killbill-CreatedBy': 'updater', 'X-Killbill-Reason': 'r2', 'X-Killbill-Comment': 'c2' })
        .send({ name: 'Audited 2' })
        .expect(204);
    });

    it('has no audit logs by default', async () => {
      expect((await getAccount(id)).auditLogs).toEqual([]);
    });

    it('MINIMAL shows the INSERT only', async () => {
      const { auditLogs } = await getAccount(id, '?audit=MINIMAL');
      expect(auditLogs).toEqual([
        expect.objectContaining({
          changeType: 'INSERT',
          objectType: 'ACCOUNT',
          objectId: id,
          changedBy: 'creator',
          reasonCode: 'r1',
          comments: 'c1',
          history: null,
        }),
      ]);
      expect(auditLogs[0].userToken).toMatch(UUID);
    });

    it('FULL shows INSERT then UPDATE with the headers of each call', async () => {
      const { auditLogs } = await getAccount(id, '?audit=FULL');
      expect(auditLogs.map((log: Record<string, unknown>) => [log.changeType, log.changedBy, log.reasonCode, log.comments])).toEqual([
        ['INSERT', 'creator', 'r1', 'c1'],
        ['UPDATE', 'updater', 'r2', 'c2'],
      ]);
    });

    it('refuses an unknown audit level', async () => {
      await t.http.get(`${ACCOUNTS}/${id}?audit=SOME`).set(tenant.headers).expect(400);
    });

    it('auditLogsWithHistory carries the snapshot after each change', async () => {
      const response = await t.http.get(`${ACCOUNTS}/${id}/auditLogsWithHistory`).set(tenant.headers).expect(200);
      expect(
        response.body.map((log: { changeType: string; history: { name: string; id: string } }) => [log.changeType, log.history.name, log.history.id]),
      ).toEqual([
        ['INSERT', 'Audited', id],
        ['UPDATE', 'Audited 2', id],
      ]);
    });

    it('auditLogs lists every change of the account and of what it owns', async () => {
      await t.http.post(`${ACCOUNTS}/${id}/emails`).set(tenant.headers).send({ accountId: id, email: 'owned@x.com' }).expect(201);
      const response = await t.http.get(`${ACCOUNTS}/${id}/auditLogs`).set(tenant.headers).expect(200);
      expect(response.body.map((log: Record<string, unknown>) => [log.objectType, log.changeType])).toEqual([
        ['ACCOUNT', 'INSERT'],
        ['ACCOUNT', 'UPDATE'],
        ['ACCOUNT_EMAIL', 'INSERT'],
      ]);
      expect(response.body[2].objectId).toMatch(UUID);
      expect(response.body[2].history).toBeNull();
      await t.http.get(`${ACCOUNTS}/0a4b8bdb-36c5-4a8c-a0a2-4f7a1f0e9a11/auditLogs`).set(tenant.headers).expect(404);
      await t.http.get(`${ACCOUNTS}/0a4b8bdb-36c5-4a8c-a0a2-4f7a1f0e9a11/auditLogsWithHistory`).set(tenant.headers).expect(404);
    });
  });

  describe('emails', () => {
    it('adds (idempotently), lists and removes emails, each audited', async () => {
      const id = await createAccount({});
      const created = await t.http.post(`${ACCOUNTS}/${id}/emails`).set(tenant.headers).send({ accountId: id, email: 'a@x.com' }).expect(201);
      expect(created.headers.location).toMatch(new RegExp(`/1\\.0/kb/accounts/${id}/emails$`));
      await t.http.post(`${ACCOUNTS}/${id}/emails`).set(tenant.headers).send({ accountId: id, email: 'a@x.com' }).expect(201);
      await t.http.post(`${ACCOUNTS}/${id}/emails`).set(tenant.headers).send({ accountId: id, email: 'b@x.com' }).expect(201);
      const list = await t.http.get(`${ACCOUNTS}/${id}/emails`).set(tenant.headers).expect(200);
      expect(list.body).toEqual([
        { accountId: id, email: 'a@x.com', auditLogs: [] },
        { accountId: id, email: 'b@x.com', auditLogs: [] },
      ]);
      const [row] = await t.query<{ id: string }>(`SELECT id FROM account_emails WHERE account_id = $1 AND email = 'a@x.com'`, [id]);

      await t.http
        .delete(`${ACCOUNTS}/${id}/emails/a@x.com`)
        .set({ ...tenant.headers, 'X-Killbill-CreatedBy': 'remover' })
        .expect(204);
      expect((await t.http.get(`${ACCOUNTS}/${id}/emails`).set(tenant.headers).expect(200)).body).toEqual([{ accountId: id, email: 'b@x.com', auditLogs: [] }]);
      // removed softly, as Kill Bill does: the row stays, inactive
      expect(await t.query(`SELECT is_active FROM account_emails WHERE id = $1`, [row.id])).toEqual([{ is_active: false }]);

      const history = await t.http.get(`${ACCOUNTS}/${id}/emails/${row.id}/auditLogsWithHistory`).set(tenant.headers).expect(200);
      expect(
        history.body.map((log: { changeType: string; changedBy: string; objectType: string; history: { email: string } }) => [
          log.objectType,
          log.changeType,
          log.changedBy,
          log.history.email,
        ]),
      ).toEqual([
        ['ACCOUNT_EMAIL', 'INSERT', 'test', 'a@x.com'],
        ['ACCOUNT_EMAIL', 'DELETE', 'remover', 'a@x.com'],
      ]);
    });

    it('removing an email the account does not have is a 204 no-op', async () => {
      const id = await createAccount({});
      await t.http.delete(`${ACCOUNTS}/${id}/emails/none@x.com`).set(tenant.headers).expect(204);
    });

    it('refuses a missing email (400) and an unknown account (404)', async () => {
      const id = await createAccount({});
      const missing = await t.http.post(`${ACCOUNTS}/${id}/emails`).set(tenant.headers).send({ accountId: id }).expect(400);
      expect(missing.body.message).toBe('AccountEmailJson email needs to be set');
      await t.http
        .post(`${ACCOUNTS}/0a4b8bdb-36c5-4a8c-a0a2-4f7a1f0e9a11/emails`)
        .set(tenant.headers)
        .send({ accountId: '0a4b8bdb-36c5-4a8c-a0a2-4f7a1f0e9a11', email: 'x@y.z' })
        .expect(404);
    });
  });

  describe('children', () => {
    it('lists the children of a parent, with audit on request', async () => {
      const parent = await createAccount({ name: 'Parent' });
      const child1 = await createAccount({ parentAccountId: parent, isPaymentDelegatedToParent: true });
      const child2 = await createAccount({ parentAccountId: parent });
      await createAccount({});
      const response = await t.http.get(`${ACCOUNTS}/${parent}/children?audit=MINIMAL`).set(tenant.headers).expect(200);
      expect(response.body.map((a: { accountId: string }) => a.accountId)).toEqual([child1, child2]);
      expect(response.body[0]).toMatchObject({ parentAccountId: parent, isPaymentDelegatedToParent: true });
      expect(response.body[0].auditLogs).toHaveLength(1);
      expect((await t.http.get(`${ACCOUNTS}/${child1}/children`).set(tenant.headers).expect(200)).body).toEqual([]);
    });

    it('answers 404 for an unknown parent', async () => {
      await t.http.get(`${ACCOUNTS}/0a4b8bdb-36c5-4a8c-a0a2-4f7a1f0e9a11/children`).set(tenant.headers).expect(404);
    });
  });

  describe('blocking states and close', () => {
    it('adds an account blocking state (201 → GET block) and lists it with its audit', async () => {
      const id = await createAccount({ timeZone: 'UTC', referenceTime: '2013-08-01T06:00:00.000Z' });
      const response = await t.http
        .post(`${ACCOUNTS}/${id}/block?requestedDate=2030-01-15`)
        .set(tenant.headers)
        .send({ stateName: 'STOP', service: 'my-service', isBlockChange: false, isBlockEntitlement: true, isBlockBilling: true, type: 'ACCOUNT' })
        .expect(201);
      expect(response.headers.location).toMatch(new RegExp(`/1\\.0/kb/accounts/${id}/block\\?blockingStateTypes=ACCOUNT$`));
      const states = await t.http.get(`${ACCOUNTS}/${id}/block?blockingStateTypes=ACCOUNT&audit=MINIMAL`).set(tenant.headers).expect(200);
      expect(states.body).toEqual([
        expect.objectContaining({
          blockedId: id,
          stateName: 'STOP',
          service: 'my-service',
          isBlockChange: false,
          isBlockEntitlement: true,
          isBlockBilling: true,
          effectiveDate: '2030-01-15T06:00:00.000Z',
          type: 'ACCOUNT',
        }),
      ]);
      expect(states.body[0].auditLogs).toEqual([expect.objectContaining({ changeType: 'INSERT', objectType: 'BLOCKING_STATES' })]);
      const filtered = await t.http.get(`${ACCOUNTS}/${id}/block?blockingStateSvcs=other`).set(tenant.headers).expect(200);
      expect(filtered.body).toEqual([]);

      const blockingId = states.body[0].auditLogs[0].objectId;
      const history = await t.http.get(`${ACCOUNTS}/block/${blockingId}/auditLogsWithHistory`).set(tenant.headers).expect(200);
      expect(history.body).toEqual([expect.objectContaining({ changeType: 'INSERT', history: expect.objectContaining({ state: 'STOP', blockableId: id }) })]);
    });

    it('refuses a blocking state without stateName (400) or for an unknown account (404)', async () => {
      const id = await createAccount({});
      await t.http.post(`${ACCOUNTS}/${id}/block`).set(tenant.headers).send({ service: 's' }).expect(400);
      await t.http.post(`${ACCOUNTS}/0a4b8bdb-36c5-4a8c-a0a2-4f7a1f0e9a11/block`).set(tenant.headers).send({ stateName: 'x', service: 's' }).expect(404);
      await t.http.get(`${ACCOUNTS}/${id}/block?blockingStateTypes=NOPE`).set(tenant.headers).expect(400);
    });

    it('closes an account: 204, AUTO_INVOICING_OFF tag, CLOSE_ACCOUNT blocking state, future notifications removed, the account stays readable', async () => {
      const id = await createAccount({});
      const [account] = await t.query<{ record_id: string; tenant_record_id: string }>(`SELECT record_id, tenant_record_id FROM accounts WHERE id = $1`, [id]);
      await t.query(
        `INSERT INTO notifications (class_name, event_json, created_date, creating_owner, processing_state, error_count, search_key1, search_key2, queue_name, effective_date)
         VALUES ('test-queue', '{}', now(), 'test', 'AVAILABLE', 0, $1, $2, 'test-queue', now() + interval '30 days')`,
        [account.record_id, account.tenant_record_id],
      );
      await t.http.delete(`${ACCOUNTS}/${id}`).set(tenant.headers).expect(204);
      const states = await t.http.get(`${ACCOUNTS}/${id}/block`).set(tenant.headers).expect(200);
      expect(states.body).toEqual([
        expect.objectContaining({
          stateName: 'CLOSE_ACCOUNT',
          service: 'account-service',
          isBlockChange: true,
          isBlockEntitlement: false,
          isBlockBilling: false,
        }),
      ]);
      const pending = await t.query(`SELECT 1 FROM notifications WHERE search_key1 = $1`, [account.record_id]);
      expect(pending).toEqual([]);
      const removed = await t.query<{ processing_state: string }>(`SELECT processing_state FROM notifications_history WHERE search_key1 = $1`, [
        account.record_id,
      ]);
      expect(removed).toEqual([{ processing_state: 'REMOVED' }]);
      const tags = await t.http.get(`${ACCOUNTS}/${id}/tags`).set(tenant.headers).expect(200);
      expect(tags.body).toEqual([expect.objectContaining({ tagDefinitionName: 'AUTO_INVOICING_OFF', objectType: 'ACCOUNT', objectId: id })]);
      await getAccount(id);
    });

    it('closing an account twice keeps one CLOSE_ACCOUNT state and one AUTO_INVOICING_OFF tag', async () => {
      const id = await createAccount({});
      await t.http.delete(`${ACCOUNTS}/${id}`).set(tenant.headers).expect(204);
      await t.http.delete(`${ACCOUNTS}/${id}`).set(tenant.headers).expect(204);
      const states = await t.http.get(`${ACCOUNTS}/${id}/block`).set(tenant.headers).expect(200);
      expect(states.body.map((s: { stateName: string }) => s.stateName)).toEqual(['CLOSE_ACCOUNT']);
      const tags = await t.http.get(`${ACCOUNTS}/${id}/tags`).set(tenant.headers).expect(200);
      expect(tags.body.map((tag: { tagDefinitionName: string }) => tag.tagDefinitionName)).toEqual(['AUTO_INVOICING_OFF']);
    });

    it('a blocking state differing from the one in force is written; the same one again is not', async () => {
      const id = await createAccount({});
      const block = (body: object) => t.http.post(`${ACCOUNTS}/${id}/block`).set(tenant.headers).send({ service: 'svc', ...body }).expect(201);
      await block({ stateName: 'A', isBlockBilling: true });
      await block({ stateName: 'A', isBlockBilling: true });
      await block({ stateName: 'A', isBlockBilling: false });
      await block({ stateName: 'B' });
      const states = await t.http.get(`${ACCOUNTS}/${id}/block`).set(tenant.headers).expect(200);
      expect(states.body.map((s: { stateName: string; isBlockBilling: boolean }) => [s.stateName, s.isBlockBilling])).toEqual([
        ['A', true],
        ['A', false],
        ['B', false],
      ]);
    });

    it('answers 404 when closing an unknown account', async () => {
      await t.http.delete(`${ACCOUNTS}/0a4b8bdb-36c5-4a8c-a0a2-4f7a1f0e9a11`).set(tenant.headers).expect(404);
    });
  });
});
