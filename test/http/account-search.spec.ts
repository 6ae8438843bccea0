import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const ACCOUNTS = '/1.0/kb/accounts';

describe('Account listing and search', () => {
  let t: TestApp;
  let tenant: TestTenant;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    const other = await t.createTenant();
    const people = [
      { name: 'Alice Martin', email: 'alice@acme.com', company: 'Acme', externalKey: 'ext-alice', currency: 'USD', billCycleDayLocal: 5 },
      { name: 'Bob Stone', email: 'bob@globex.com', company: 'Globex', externalKey: 'ext-bob', currency: 'EUR', billCycleDayLocal: 15 },
      { name: 'Carol Acme', email: 'carol@initech.com', company: 'Initech', externalKey: 'ext-carol', currency: 'USD', billCycleDayLocal: 25 },
      { name: 'Dan', email: 'dan@x.com', externalKey: 'ext-dan' },
      { name: 'Eve', email: 'eve@x.com', externalKey: 'ext-eve' },
    ];
    for (const body of people) {
      const response = await t.http.post(ACCOUNTS).set(tenant.headers).send(body).expect(201);
      ids.push(String(response.headers.location).split('/').pop() ?? '');
    }
    await t.http.post(ACCOUNTS).set(other.headers).send({ name: 'Alice Other Tenant' }).expect(201);
  });
  afterAll(() => t.close());

  const names = (body: { name: string }[]) => body.map((a) => a.name);

  describe('getAccounts (pagination)', () => {
    it('pages by record id with Kill Bill pagination headers', async () => {
      const first = await t.http.get(`${ACCOUNTS}/pagination?offset=0&limit=2&audit=NONE`).set(tenant.headers).expect(200);
      expect(names(first.body)).toEqual(['Alice Martin', 'Bob Stone']);
      expect(first.headers['x-killbill-pagination-currentoffset']).toBe('0');
      expect(first.headers['x-killbill-pagination-nextoffset']).toBe('2');
      expect(first.headers['x-killbill-pagination-totalnbrecords']).toBe('5');
      expect(first.headers['x-killbill-pagination-maxnbrecords']).toBe('5');
      expect(first.headers['x-killbill-pagination-nextpageuri']).toBe('/1.0/kb/accounts/pagination?offset=2&limit=2&audit=NONE');

      const last = await t.http.get(`${ACCOUNTS}/pagination?offset=4&limit=2`).set(tenant.headers).expect(200);
      expect(names(last.body)).toEqual(['Eve']);
      expect(last.headers['x-killbill-pagination-nextoffset']).toBeUndefined();
      expect(last.headers['x-killbill-pagination-nextpageuri']).toBeUndefined();
    });

    it('defaults to offset 0, limit 100, and carries audit logs on request', async () => {
      const response = await t.http.get(`${ACCOUNTS}/pagination?audit=MINIMAL`).set(tenant.headers).expect(200);
      expect(response.body).toHaveLength(5);
      expect(response.body.every((a: { auditLogs: unknown[] }) => a.auditLogs.length === 1)).toBe(true);
    });

    it('refuses a non-numeric or negative offset/limit with a 400', async () => {
      await t.http.get(`${ACCOUNTS}/pagination?offset=abc`).set(tenant.headers).expect(400);
      await t.http.get(`${ACCOUNTS}/pagination?limit=-3`).set(tenant.headers).expect(400);
    });
  });

  describe('searchAccounts', () => {
    it('matches name, email, external key or company containing the key, case-insensitively', async () => {
      const response = await t.http.get(`${ACCOUNTS}/search/acme`).set(tenant.headers).expect(200);
      expect(names(response.body)).toEqual(['Alice Martin', 'Carol Acme']);
      expect(response.headers['x-killbill-pagination-totalnbrecords']).toBe('2');
      expect(response.headers['x-killbill-pagination-maxnbrecords']).toBe('5');
      expect(names((await t.http.get(`${ACCOUNTS}/search/ext-bob`).set(tenant.headers).expect(200)).body)).toEqual(['Bob Stone']);
    });

    it('matches an account id exactly', async () => {
      const response = await t.http.get(`${ACCOUNTS}/search/${ids[3]}`).set(tenant.headers).expect(200);
      expect(names(response.body)).toEqual(['Dan']);
    });

    it('pages a search, keeping the search path in the next page URI', async () => {
      const response = await t.http.get(`${ACCOUNTS}/search/@x.com?offset=0&limit=1`).set(tenant.headers).expect(200);
      expect(names(response.body)).toEqual(['Dan']);
      expect(response.headers['x-killbill-pagination-nextpageuri']).toBe('/1.0/kb/accounts/search/@x.com?offset=1&limit=1');
    });

    it('offset=-1&limit=1 is the exact "feeling lucky" search', async () => {
      const exact = await t.http.get(`${ACCOUNTS}/search/bob@globex.com?offset=-1&limit=1`).set(tenant.headers).expect(200);
      expect(names(exact.body)).toEqual(['Bob Stone']);
      const partial = await t.http.get(`${ACCOUNTS}/search/globex?offset=-1&limit=1`).set(tenant.headers).expect(200);
      expect(partial.body).toEqual([]);
    });

    it('supports the advanced _q=1 syntax (ANDed clauses, typed columns)', async () => {
      const search = (query: string) =>
        t.http
          .get(`${ACCOUNTS}/search/${encodeURIComponent(query)}`)
          .set(tenant.headers)
          .expect(200);
      expect(names((await search('_q=1&currency=USD')).body)).toEqual(['Alice Martin', 'Carol Acme']);
      expect(names((await search('_q=1&currency[eq]=USD&billing_cycle_day_local[gt]=10')).body)).toEqual(['Carol Acme']);
      expect(names((await search('_q=1&name[like]=%o%')).body)).toEqual(['Bob Stone', 'Carol Acme']);
      expect(names((await search('_q=1&currency[neq]=USD')).body)).toEqual(['Bob Stone']);
      expect(names((await search(`_q=1&id=${ids[4]}`)).body)).toEqual(['Eve']);
    });

    it('refuses an unknown column with a 400 naming it, instead of dropping the condition', async () => {
      const response = await t.http
        .get(`${ACCOUNTS}/search/${encodeURIComponent('_q=1&name[like]=%o%&unknown_column=1')}`)
        .set(tenant.headers)
        .expect(400);
      expect(response.body.message).toContain('Invalid search column unknown_column');
      await t.http
        .get(`${ACCOUNTS}/search/${encodeURIComponent('_q=1&constructor=1')}`)
        .set(tenant.headers)
        .expect(400);
    });

    it('refuses an unknown operator or a non-numeric value for a numeric column with a 400', async () => {
      await t.http
        .get(`${ACCOUNTS}/search/${encodeURIComponent('_q=1&name[almost]=x')}`)
        .set(tenant.headers)
        .expect(400);
      await t.http
        .get(`${ACCOUNTS}/search/${encodeURIComponent('_q=1&billing_cycle_day_local[gt]=ten')}`)
        .set(tenant.headers)
        .expect(400);
    });

    it('does not see other tenants', async () => {
      const response = await t.http.get(`${ACCOUNTS}/search/Other Tenant`).set(tenant.headers).expect(200);
      expect(response.body).toEqual([]);
    });
  });
});
