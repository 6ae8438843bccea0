import { randomUUID } from 'node:crypto';
import { EXPORT_PAGE_SIZE } from '../../apps/killbill/src/resources/export/account-export.service';
import { globalCatalogTenant } from '../support/entitlement';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

interface Section {
  readonly columns: string[];
  readonly rows: string[][];
}

/** Kill Bill's dump: `-- <table> <col>|<col>…` then one `|`-separated line per row. */
function parseDump(text: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  let current: Section | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const header = /^-- (\S+) (.*)$/.exec(line);
    if (header) {
      expect(sections.has(header[1])).toBe(false);
      current = { columns: header[2].split('|'), rows: [] };
      sections.set(header[1], current);
    } else {
      current?.rows.push(line.split('|'));
    }
  }
  return sections;
}

describe('GET /1.0/kb/export/{accountId} (exportDataForAccount)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let accountId: string;
  let otherAccountId: string;
  let accountRecordId: number;

  const exportOf = async (id: string) => {
    const response = await t.http.get(`/1.0/kb/export/${id}`).set(tenant.headers).buffer(true).parse((res, done) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => done(null, body));
    });
    return response;
  };

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await globalCatalogTenant(t);
    accountId = await createAccount(t, tenant, { name: 'Export', currency: 'USD', notes: 'two\nlines | and a bar' });
    otherAccountId = await createAccount(t, tenant, { name: 'Other', currency: 'USD' });
    await t.http.post('/1.0/kb/subscriptions').set(tenant.headers).send({ accountId, planName: 'standard-monthly', bundleExternalKey: 'export-1' }).expect(201);
    await t.http.get('/1.0/kb/test/queues').query({ timeoutSec: 10 }).set(tenant.headers).expect(200);
    [{ record_id: accountRecordId }] = await t.query<{ record_id: number }>(`SELECT record_id::int AS record_id FROM accounts WHERE id = $1`, [accountId]);
  });
  afterAll(() => t.close());

  it('streams every table of the account as Kill Bill does, the columns in catalog order', async () => {
    const response = await exportOf(accountId);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    const sections = parseDump(response.body as string);

    const accountColumns = (await t.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'accounts' ORDER BY ordinal_position`)).map((c) => c.column_name);
    const accounts = sections.get('accounts');
    expect(accounts?.columns).toEqual(accountColumns);
    expect(accounts?.rows).toHaveLength(1);
    const account = Object.fromEntries(accountColumns.map((name, i) => [name, accounts?.rows[0][i]]));
    expect(account).toMatchObject({ record_id: String(accountRecordId), id: accountId, name: 'Export', currency: 'USD', parent_account_id: '', notes: 'two\\N{LINE FEED}lines \\N{VERTICAL LINE} and a bar' });
    expect(account.created_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    expect(['true', 'false', '']).toContain(account.migrated);

    // Its history, its audit, its entitlement and invoicing rows and its bus events are all there.
    for (const table of ['accounts_history', 'audit_log', 'bundles', 'subscriptions', 'subscription_events', 'invoices', 'invoice_items', 'bus_events_history']) {
      expect({ table, rows: (sections.get(table)?.rows.length ?? 0) > 0 }).toEqual({ table, rows: true });
    }
    // Tables are listed in name order, and every row has one field per column.
    expect([...sections.keys()]).toEqual([...sections.keys()].sort());
    for (const [table, section] of sections) for (const row of section.rows) expect({ table, fields: row.length }).toEqual({ table, fields: section.columns.length });
    // Nothing of the other account.
    expect(response.body as string).not.toContain(otherAccountId);
  });

  it('exports a table added later (found from the catalog), paging through more rows than one statement fetches', async () => {
    await t.query(`CREATE TABLE export_probe (record_id bigserial PRIMARY KEY, account_record_id bigint, tenant_record_id bigint NOT NULL, payload bytea, note text)`);
    try {
      const [{ record_id: tenantRecordId }] = await t.query<{ record_id: number }>(`SELECT record_id::int AS record_id FROM tenants WHERE id = $1`, [tenant.id]);
      const count = EXPORT_PAGE_SIZE * 2 + 3;
      await t.query(`INSERT INTO export_probe (account_record_id, tenant_record_id, payload, note) SELECT $1, $2, '\\xcafe'::bytea, 'n' || i FROM generate_series(1, $3) i`, [accountRecordId, tenantRecordId, count]);
      await t.query(`INSERT INTO export_probe (account_record_id, tenant_record_id, note) VALUES ($1 + 1000, $2, 'another account'), ($1, $2 + 1000, 'another tenant')`, [accountRecordId, tenantRecordId]);
      const probe = parseDump((await exportOf(accountId)).body as string).get('export_probe');
      expect(probe?.columns).toEqual(['record_id', 'account_record_id', 'tenant_record_id', 'payload', 'note']);
      expect(probe?.rows).toHaveLength(count);
      expect(probe?.rows.map((row) => row[4])).toEqual(Array.from({ length: count }, (_, i) => `n${i + 1}`));
      expect(probe?.rows[0].slice(1, 4)).toEqual([String(accountRecordId), String(tenantRecordId), Buffer.from([0xca, 0xfe]).toString('base64')]);
    } finally {
      await t.query(`DROP TABLE export_probe`);
    }
  });

  it('answers 404 for an account the tenant does not have', async () => {
    const unknown = randomUUID();
    const response = await t.http.get(`/1.0/kb/export/${unknown}`).set(tenant.headers).expect(404);
    expect(response.body).toMatchObject({ code: 3002 });
    const stranger = await globalCatalogTenant(t);
    await t.http.get(`/1.0/kb/export/${accountId}`).set(stranger.headers).expect(404);
  });

  it('requires X-Killbill-CreatedBy and a UUID', async () => {
    const { 'X-Killbill-CreatedBy': _createdBy, ...withoutCreatedBy } = tenant.headers;
    await t.http.get(`/1.0/kb/export/${accountId}`).set(withoutCreatedBy).expect(400);
    await t.http.get('/1.0/kb/export/not-a-uuid').set(tenant.headers).expect(400);
  });
});
