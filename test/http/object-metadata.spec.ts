import { Injectable, Module, type OnModuleInit, type Type } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { KillBillConfig, ObjectRegistry } from '@kb/platform';
import { createApplication } from '../../apps/killbill/src/bootstrap';
import { buildOpenApiDocument } from '../../apps/killbill/src/openapi';
import { metadataController } from '../../apps/killbill/src/resources/object-metadata/object-metadata.controller';
import { ObjectMetadataModule } from '../../apps/killbill/src/resources/object-metadata/object-metadata.module';
import { startTestApp, TEST_ENVIRONMENT, type TestApp, type TestTenant } from '../support/test-app';

/**
 * metadataController() mounted for an object type no resource serves yet: user tag definitions stand
 * in for a later bundle or invoice (a registered, audited, tenant-scoped object), under /1.0/kb/testObjects.
 */
@Injectable()
class TestObjectRegistration implements OnModuleInit {
  constructor(
    private readonly registry: ObjectRegistry,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register('TAG_DEFINITION', async (id, tenantRecordId) => {
      const [row]: { record_id: string }[] = await this.dataSource.query('SELECT record_id FROM tag_definitions WHERE id = $1 AND tenant_record_id = $2', [
        id,
        tenantRecordId,
      ]);
      return row ? { objectType: 'TAG_DEFINITION', id, recordId: Number(row.record_id), accountRecordId: null, tenantRecordId } : undefined;
    });
  }
}

@Module({
  imports: [ObjectMetadataModule],
  providers: [TestObjectRegistration],
  controllers: [
    metadataController({ objectType: 'TAG_DEFINITION', path: 'testObjects', idParam: 'testObjectId', operationName: 'TestObject', label: 'test object' }),
    metadataController({
      objectType: 'TAG_DEFINITION',
      path: 'testFieldsOnly',
      idParam: 'testObjectId',
      operationName: 'TestFieldsOnly',
      label: 'test object',
      routes: ['customFields'],
    }),
  ],
})
class TestObjectModule {}

/** INVOICE_TRACKING: a type with no lookup in any module (InvoiceModule registers INVOICE now). */
@Module({
  imports: [ObjectMetadataModule],
  controllers: [metadataController({ objectType: 'INVOICE_TRACKING', path: 'orphans', idParam: 'orphanId', operationName: 'Orphan', label: 'orphan' })],
})
class UnregisteredObjectModule {}

@Injectable()
class SecondAccountRegistration implements OnModuleInit {
  constructor(private readonly registry: ObjectRegistry) {}

  onModuleInit(): void {
    this.registry.register('ACCOUNT', async () => undefined);
  }
}

@Module({ providers: [SecondAccountRegistration] })
class DuplicateRegistrationModule {}

describe('metadataController: tags, custom fields and audit routes for any object type', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let objectId: string;
  let labelId: string;

  beforeAll(async () => {
    t = await startTestApp({}, { extraModules: [TestObjectModule] });
    tenant = await t.createTenant();
    const created = await t.http
      .post('/1.0/kb/tagDefinitions')
      .set(tenant.headers)
      .send({ name: 'taggable', description: 'A test object', applicableObjectTypes: ['ACCOUNT'] })
      .expect(201);
    objectId = String(created.headers.location).split('/').pop() ?? '';
    const label = await t.http
      .post('/1.0/kb/tagDefinitions')
      .set(tenant.headers)
      .send({ name: 'label', description: 'A user tag', applicableObjectTypes: ['TAG_DEFINITION'] })
      .expect(201);
    labelId = String(label.headers.location).split('/').pop() ?? '';
  });
  afterAll(() => t.close());

  /** The error of starting the server with `module` mounted, on this file's database; the app is closed again. */
  async function startupError(module: Type): Promise<unknown> {
    const config = KillBillConfig.load({ 'org.killbill.server.test.mode': 'true' }, TEST_ENVIRONMENT);
    const app = await createApplication({ config, databaseUrl: t.databaseUrl, extraModules: [module] });
    try {
      await app.init();
      return undefined;
    } catch (error) {
      return error;
    } finally {
      await app.close();
    }
  }

  it('documents the routes with the operationIds derived from the name, uuid ids and the contract responses', () => {
    const paths = buildOpenApiDocument(t.app).paths;
    const tags = paths['/1.0/kb/testObjects/{testObjectId}/tags'];
    expect([tags.get?.operationId, tags.post?.operationId, tags.delete?.operationId]).toEqual([
      'getTestObjectTags',
      'createTestObjectTags',
      'deleteTestObjectTags',
    ]);
    const fields = paths['/1.0/kb/testObjects/{testObjectId}/customFields'];
    expect([fields.get?.operationId, fields.post?.operationId, fields.put?.operationId, fields.delete?.operationId]).toEqual([
      'getTestObjectCustomFields',
      'createTestObjectCustomFields',
      'modifyTestObjectCustomFields',
      'deleteTestObjectCustomFields',
    ]);
    expect(paths['/1.0/kb/testObjects/{testObjectId}/auditLogsWithHistory'].get?.operationId).toBe('getTestObjectAuditLogsWithHistory');
    expect(tags.get?.tags).toEqual(['TestObject']);
    expect(tags.get?.summary).toBe('Retrieve test object tags');
    expect(Object.keys(tags.get?.responses ?? {})).toEqual(['200', '400', '404']);
    expect(tags.get?.parameters).toEqual(
      expect.arrayContaining([
        { name: 'testObjectId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        expect.objectContaining({ name: 'includedDeleted', in: 'query' }),
        expect.objectContaining({ name: 'audit', in: 'query' }),
      ]),
    );
    expect(tags.delete?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'tagDef', in: 'query' })]));
    // routes: ['customFields'] mounts those alone
    expect(paths['/1.0/kb/testFieldsOnly/{testObjectId}/customFields']).toBeDefined();
    expect(paths['/1.0/kb/testFieldsOnly/{testObjectId}/tags']).toBeUndefined();
    expect(paths['/1.0/kb/testFieldsOnly/{testObjectId}/auditLogsWithHistory']).toBeUndefined();
  });

  it('adds (201 + Location), lists, and removes (204) tags on the object, with its object type', async () => {
    const base = `/1.0/kb/testObjects/${objectId}/tags`;
    const created = await t.http.post(base).set(tenant.headers).send([labelId]).expect(201);
    expect(created.headers.location).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+${base}$`));
    const listed = await t.http.get(base).set(tenant.headers).expect(200);
    expect(listed.body).toEqual([
      { tagId: expect.any(String), objectType: 'TAG_DEFINITION', objectId, tagDefinitionId: labelId, tagDefinitionName: 'label', auditLogs: [] },
    ]);
    await t.http.delete(`${base}?tagDef=${labelId}`).set(tenant.headers).expect(204);
    expect((await t.http.get(base).set(tenant.headers).expect(200)).body).toEqual([]);
    expect((await t.http.get(`${base}?includedDeleted=true`).set(tenant.headers).expect(200)).body).toHaveLength(1);
  });

  it('adds (201 + Location), modifies (204), lists and removes (204) custom fields on the object', async () => {
    const base = `/1.0/kb/testObjects/${objectId}/customFields`;
    const created = await t.http
      .post(base)
      .set(tenant.headers)
      .send([{ name: 'color', value: 'blue' }])
      .expect(201);
    expect(created.headers.location).toMatch(new RegExp(`${base}$`));
    const [field] = (await t.http.get(base).set(tenant.headers).expect(200)).body as { customFieldId: string }[];
    expect(field).toMatchObject({ objectId, objectType: 'TAG_DEFINITION', name: 'color', value: 'blue' });
    await t.http
      .put(base)
      .set(tenant.headers)
      .send([{ customFieldId: field.customFieldId, value: 'red' }])
      .expect(204);
    expect((await t.http.get(base).set(tenant.headers).expect(200)).body).toMatchObject([{ value: 'red' }]);
    // the routes-limited controller works on the same objects
    expect((await t.http.get(`/1.0/kb/testFieldsOnly/${objectId}/customFields`).set(tenant.headers).expect(200)).body).toHaveLength(1);
    await t.http.get(`/1.0/kb/testFieldsOnly/${objectId}/tags`).set(tenant.headers).expect(404);
    await t.http.delete(`${base}?customField=${field.customFieldId}`).set(tenant.headers).expect(204);
    expect((await t.http.get(base).set(tenant.headers).expect(200)).body).toEqual([]);
  });

  it('answers auditLogsWithHistory with the history of the object row', async () => {
    const response = await t.http.get(`/1.0/kb/testObjects/${objectId}/auditLogsWithHistory`).set(tenant.headers).expect(200);
    expect(response.body).toEqual([
      expect.objectContaining({
        changeType: 'INSERT',
        objectType: 'TAG_DEFINITION',
        objectId,
        history: expect.objectContaining({ id: objectId, name: 'taggable' }),
      }),
    ]);
  });

  it("answers 404 ObjectDoesNotExist for an unknown id or another tenant's object, 400 for a malformed id", async () => {
    const unknown = randomUUID();
    const missing = await t.http.get(`/1.0/kb/testObjects/${unknown}/tags`).set(tenant.headers).expect(404);
    expect(missing.body.message).toBe(`Object id=${unknown} type=TAG_DEFINITION doesn't exist!`);
    await t.http
      .post(`/1.0/kb/testObjects/${unknown}/customFields`)
      .set(tenant.headers)
      .send([{ name: 'a', value: 'b' }])
      .expect(404);
    await t.http.get(`/1.0/kb/testObjects/${unknown}/auditLogsWithHistory`).set(tenant.headers).expect(404);
    const other = await t.createTenant();
    await t.http.get(`/1.0/kb/testObjects/${objectId}/customFields`).set(other.headers).expect(404);
    await t.http.get('/1.0/kb/testObjects/not-a-uuid/tags').set(tenant.headers).expect(400);
  });

  it('refuses to start with routes for an object type nobody registered', async () => {
    expect(await startupError(UnregisteredObjectModule)).toEqual(
      new Error('Routes under /1.0/kb/orphans need the object type INVOICE_TRACKING registered in the ObjectRegistry'),
    );
  });

  it('refuses to start when two modules register the same object type', async () => {
    expect(await startupError(DuplicateRegistrationModule)).toEqual(new Error('An object lookup is already registered for ACCOUNT'));
  });
});
