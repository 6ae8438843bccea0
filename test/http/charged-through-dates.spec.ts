import { randomUUID } from 'node:crypto';
import { NotFoundException } from '@nestjs/common';
import { Clock, insertManyLikeSave, newRequestContext, runWithContext, tenantRepository, Transactions } from '@kb/platform';
import { AccountRow } from '@kb/account';
import { BundleRow, SubscriptionRow, SubscriptionService } from '@kb/entitlement';
import { startTestApp, type TestApp } from '../support/test-app';

/** Invoicing sets the charged-through dates of an account's subscriptions in one call: each changed one gets its date, history and audit row. */
describe('SubscriptionService.setChargedThroughDates', () => {
  let t: TestApp;
  let tenantRecordId: number;
  let subscriptions: SubscriptionRow[];
  const COUNT = 2_000;

  const inContext = <T>(work: () => Promise<T>) =>
    runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'invoicing', userToken: randomUUID() }), () =>
      t.app.get(Transactions).run(work),
    );

  beforeAll(async () => {
    t = await startTestApp();
    const tenant = await t.createTenant();
    tenantRecordId = Number((await t.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [tenant.id]))[0].record_id);
    const clock = t.app.get(Clock);
    subscriptions = await inContext(async () => {
      const manager = t.app.get(Transactions).manager();
      const repository = tenantRepository(manager, AccountRow);
      const account = await repository.save(
        repository.create({ id: randomUUID(), externalKey: `ctd-${randomUUID()}`, referenceTime: clock.now(), timeZone: 'UTC', currency: 'USD' }),
      );
      const owned = { tenantRecordId, accountRecordId: account.recordId };
      const bundles = Array.from({ length: COUNT }, (_, i) =>
        Object.assign(new BundleRow(), {
          ...owned,
          id: randomUUID(),
          accountId: account.id,
          externalKey: `b-${i}-${account.id}`,
          originalCreatedDate: clock.now(),
          lastSysUpdateDate: null,
        }),
      );
      await insertManyLikeSave(manager, BundleRow, bundles, clock);
      const rows = bundles.map((bundle, i) =>
        Object.assign(new SubscriptionRow(), {
          ...owned,
          id: randomUUID(),
          bundleId: bundle.id,
          externalKey: `s-${i}-${account.id}`,
          category: 'BASE',
          startDate: clock.now(),
          bundleStartDate: clock.now(),
          chargedThroughDate: null,
          migrated: false,
        }),
      );
      return insertManyLikeSave(manager, SubscriptionRow, rows, clock);
    });
  });
  afterAll(() => t.close());

  const written = async () => {
    const ids = subscriptions.map((row) => row.recordId);
    const [counts] = await t.query<{ dated: string; updates: string; audits: string }>(
      `SELECT (SELECT count(*) FROM subscriptions WHERE record_id = ANY($1) AND charged_through_date IS NOT NULL) AS dated,
              (SELECT count(*) FROM subscriptions_history WHERE target_record_id = ANY($1) AND change_type = 'UPDATE') AS updates,
              (SELECT count(*) FROM audit_log a JOIN subscriptions_history h ON h.record_id = a.target_record_id
                WHERE a.table_name = 'subscriptions' AND a.change_type = 'UPDATE' AND h.target_record_id = ANY($1)) AS audits`,
      [ids],
    );
    return counts;
  };

  it(`writes ${COUNT} subscriptions' charged-through dates, each with its history and audit row, in one call; an unchanged date writes nothing`, async () => {
    const service = t.app.get(SubscriptionService);
    const dates = new Map(subscriptions.map((row, i) => [row.id, new Date(Date.UTC(2024, 1, 1 + (i % 28)))] as const));
    await inContext(() => service.setChargedThroughDates(t.app.get(Transactions).manager(), dates));
    expect(await written()).toEqual({ dated: String(COUNT), updates: String(COUNT), audits: String(COUNT) });
    const [sample] = await t.query<{ charged_through_date: Date; updated_by: string; history_date: Date }>(
      `SELECT s.charged_through_date, s.updated_by, h.charged_through_date AS history_date FROM subscriptions s
         JOIN subscriptions_history h ON h.target_record_id = s.record_id AND h.change_type = 'UPDATE' WHERE s.id = $1`,
      [subscriptions[29].id],
    );
    expect(sample).toEqual({ charged_through_date: new Date(Date.UTC(2024, 1, 2)), updated_by: 'invoicing', history_date: new Date(Date.UTC(2024, 1, 2)) });

    // Same dates again but one: only that one is written.
    const again = new Map<string, Date | null>(dates);
    again.set(subscriptions[0].id, null);
    await inContext(() => service.setChargedThroughDates(t.app.get(Transactions).manager(), again));
    expect(await written()).toEqual({ dated: String(COUNT - 1), updates: String(COUNT + 1), audits: String(COUNT + 1) });
  });

  it('answers 404 for an unknown subscription and writes none of the others', async () => {
    const service = t.app.get(SubscriptionService);
    const before = await written();
    const dates = new Map<string, Date | null>([
      [subscriptions[1].id, new Date(Date.UTC(2025, 0, 1))],
      [randomUUID(), new Date(Date.UTC(2025, 0, 1))],
    ]);
    await expect(inContext(() => service.setChargedThroughDates(t.app.get(Transactions).manager(), dates))).rejects.toBeInstanceOf(NotFoundException);
    expect(await written()).toEqual(before);
  });

  it('with the dates the caller read (record id, stored date): writes the changed ones alone, each history row a copy of the whole stored row', async () => {
    const service = t.app.get(SubscriptionService);
    const before = await written();
    const [known, alsoKnown, unchanged, unread] = subscriptions.slice(10, 14);
    const stored = await t.query<{ id: string; record_id: string; charged_through_date: Date | null }>(
      `SELECT id, record_id, charged_through_date FROM subscriptions WHERE id = ANY($1)`,
      [[known.id, alsoKnown.id, unchanged.id]],
    );
    const current = new Map(stored.map((row) => [row.id, { recordId: Number(row.record_id), chargedThroughDate: row.charged_through_date }]));
    const unchangedDate = current.get(unchanged.id)!.chargedThroughDate;
    const dates = new Map<string, Date | null>([
      [known.id, new Date(Date.UTC(2026, 0, 1))],
      [alsoKnown.id, null],
      [unchanged.id, unchangedDate],
      [unread.id, new Date(Date.UTC(2026, 0, 2))],
    ]);
    await inContext(() => service.setChargedThroughDates(t.app.get(Transactions).manager(), dates, current));
    // known, alsoKnown (to null) and the one read by the service: three writes; the unchanged one none.
    expect(await written()).toEqual({ dated: String(Number(before.dated) - 1), updates: String(Number(before.updates) + 3), audits: String(Number(before.audits) + 3) });
    const [latest] = await t.query<{ same: boolean }>(
      `SELECT (to_jsonb(s) - 'record_id') @> (to_jsonb(h) - 'record_id' - 'target_record_id' - 'change_type') AND to_jsonb(h) ? 'external_key' AS same
         FROM subscriptions s JOIN subscriptions_history h ON h.target_record_id = s.record_id
        WHERE s.id = $1 ORDER BY h.record_id DESC LIMIT 1`,
      [known.id],
    );
    expect(latest.same).toBe(true);
    const [row] = await t.query<{ charged_through_date: Date; updated_by: string; external_key: string }>(
      `SELECT charged_through_date, updated_by, external_key FROM subscriptions WHERE id = $1`,
      [known.id],
    );
    expect(row).toEqual({ charged_through_date: new Date(Date.UTC(2026, 0, 1)), updated_by: 'invoicing', external_key: known.externalKey });
  });
});
