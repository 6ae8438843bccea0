import { randomUUID } from 'node:crypto';
import { defineBusEvent, newRequestContext, Queues, runWithContext, Transactions } from '@kb/platform';
import { TagDefinitionRow } from '@kb/tag';
import { startTestApp, type TestApp } from '../support/test-app';

/** A write names who made it and for which tenant: with no request or job context it fails loudly. */
describe('Write context', () => {
  let t: TestApp;
  let tenantRecordId: number;

  beforeAll(async () => {
    t = await startTestApp();
    const tenant = await t.createTenant();
    tenantRecordId = Number((await t.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [tenant.id]))[0].record_id);
  });
  afterAll(() => t.close());

  const definition = (name: string, withTenant = true) =>
    Object.assign(new TagDefinitionRow(), {
      id: randomUUID(),
      ...(withTenant ? { tenantRecordId } : {}),
      name,
      description: 'context',
      applicableObjectTypes: 'ACCOUNT',
      isActive: true,
    });
  const save = (row: TagDefinitionRow) => t.app.get(Transactions).run((manager) => manager.getRepository(TagDefinitionRow).save(row));

  it('refuses an audited write outside any request or job, and writes nothing', async () => {
    await expect(save(definition('orphan'))).rejects.toThrow('Write to tag_definitions outside any request or job context');
    expect(await t.query(`SELECT 1 FROM tag_definitions WHERE name = 'orphan'`)).toHaveLength(0);
    expect(await t.query(`SELECT 1 FROM audit_log WHERE created_by = 'SYSTEM' AND tenant_record_id = 0 AND table_name = 'tag_definitions'`)).toHaveLength(0);
  });

  it('audits a write made in a context under its tenant and author', async () => {
    const row = definition('in-context');
    await runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'job' }), () => save(row));
    expect(
      await t.query(
        `SELECT created_by, tenant_record_id::int AS tenant FROM audit_log WHERE table_name = 'tag_definitions' AND target_record_id IN
        (SELECT record_id FROM tag_definitions_history WHERE target_record_id = $1)`,
        [row.recordId],
      ),
    ).toEqual([{ created_by: 'job', tenant: tenantRecordId }]);
  });

  it('refuses to post a bus event outside any request or job, and posts nothing', async () => {
    const Probe = defineBusEvent<{ n: number }>('WRITE_CONTEXT_PROBE');
    const post = () => t.app.get(Transactions).run(() => t.app.get(Queues).post(Probe, { n: 1 }, { tenantRecordId }));
    await expect(post()).rejects.toThrow('Posting a bus event outside any request or job context');
    await runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'job' }), post);
    const posted = await t.query(
      `SELECT 1 FROM bus_events_history WHERE class_name = 'WRITE_CONTEXT_PROBE' UNION ALL SELECT 1 FROM bus_events WHERE class_name = 'WRITE_CONTEXT_PROBE'`,
    );
    expect(posted).toHaveLength(1);
  });
});
