import { newRequestContext, runWithContext, tenantRepository, TenantRepository, Transactions } from '@kb/platform';
import { TagDefinitionRow } from '@kb/tag';
import { AccountRow } from '@kb/account';
import { PaymentMethodRow } from '@kb/payment';
import { createAccount, startTestApp, type TestApp } from '../support/test-app';

/** A tenant-scoped repository sees and writes the rows of its tenant only, and refuses to guess. */
describe('Tenant-scoped repository', () => {
  let t: TestApp;
  let tenantA: number;
  let tenantB: number;

  beforeAll(async () => {
    t = await startTestApp();
    const recordIdOf = async (id: string) => Number((await t.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [id]))[0].record_id);
    tenantA = await recordIdOf((await t.createTenant()).id);
    tenantB = await recordIdOf((await t.createTenant()).id);
  });
  afterAll(() => t.close());

  const repositoryOf = (tenantRecordId: number) => new TenantRepository(t.dataSource.manager, TagDefinitionRow, tenantRecordId);
  const repositoryOfAccounts = (tenantRecordId: number) => new TenantRepository(t.dataSource.manager, AccountRow, tenantRecordId);
  const inTenant = <T>(tenantRecordId: number, work: () => Promise<T>) =>
    runWithContext(newRequestContext({ tenant: { recordId: tenantRecordId }, createdBy: 'test' }), () => t.app.get(Transactions).run(work));

  async function definitionOf(tenantRecordId: number, name: string): Promise<TagDefinitionRow> {
    return inTenant(tenantRecordId, async () => {
      const repository = tenantRepository(t.app.get(Transactions).manager(), TagDefinitionRow);
      return repository.save(repository.create({ id: crypto.randomUUID(), name, description: 'scoped', applicableObjectTypes: 'ACCOUNT', isActive: true }));
    });
  }

  it('reads only the rows of its tenant', async () => {
    const row = await definitionOf(tenantA, 'only-a');
    expect(row.tenantRecordId).toBe(tenantA);
    expect(await repositoryOf(tenantA).findOne({ where: { id: row.id } })).toMatchObject({ id: row.id });
    expect(await repositoryOf(tenantB).findOne({ where: { id: row.id } })).toBeNull();
    expect(await repositoryOf(tenantB).count({ where: [{ id: row.id }, { name: 'only-a' }] })).toBe(0);
  });

  it('refuses a where value that is undefined instead of matching every row', async () => {
    await definitionOf(tenantA, 'some-row');
    await expect(repositoryOf(tenantA).findOne({ where: { id: undefined } })).rejects.toThrow('where.id is undefined');
  });

  it('refuses a missing tenant', () => {
    expect(() => repositoryOf(undefined as unknown as number)).toThrow('needs a tenant');
    expect(() => tenantRepository(t.dataSource.manager, TagDefinitionRow)).toThrow('No tenant in the current request context');
  });

  it('refuses to write a row of another tenant', async () => {
    const row = await definitionOf(tenantA, 'not-for-b');
    await expect(inTenant(tenantB, () => tenantRepository(t.app.get(Transactions).manager(), TagDefinitionRow).save(row))).rejects.toThrow(
      `Row of tenant ${tenantA} written through the repository of tenant ${tenantB}`,
    );
  });

  it('reads a row by plain column values exactly as TypeORM builds it: same class, same typed values', async () => {
    const row = await definitionOf(tenantA, 'same-entity');
    const viaTypeOrm = await t.dataSource.manager.getRepository(TagDefinitionRow).findOne({ where: { id: row.id, tenantRecordId: tenantA } });
    const viaRepository = await repositoryOf(tenantA).findOne({ where: { id: row.id, isActive: true } });
    expect(viaRepository).toBeInstanceOf(TagDefinitionRow);
    expect(viaRepository).toEqual(viaTypeOrm);
    expect(typeof viaRepository?.recordId).toBe('number');
    expect(viaRepository?.createdDate).toBeInstanceOf(Date);
    expect(await repositoryOf(tenantA).exists({ where: { name: 'same-entity' } })).toBe(true);
    expect(await repositoryOf(tenantB).exists({ where: { name: 'same-entity' } })).toBe(false);
    expect(await repositoryOf(tenantA).findOne({ where: { id: row.id, isActive: false } })).toBeNull();
  });
  it('reads a row and the row its reference names in one statement, each as TypeORM builds it; null for what is missing or of another tenant', async () => {
    const tenant = await t.createTenant();
    const recordId = Number((await t.query<{ record_id: string }>(`SELECT record_id FROM tenants WHERE id = $1`, [tenant.id]))[0].record_id);
    const accountId = await createAccount(t, tenant);
    const bare = await repositoryOfAccounts(recordId).findByIdWithReferenced(accountId, 'paymentMethodId', PaymentMethodRow);
    expect(bare.row).toEqual(await t.dataSource.manager.getRepository(AccountRow).findOne({ where: { id: accountId } }));
    expect(bare.referenced).toBeNull();

    await t.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).query({ isDefault: 'true' }).set(tenant.headers).send({ pluginName: '__EXTERNAL_PAYMENT__' }).expect(201);
    const { row, referenced } = await repositoryOfAccounts(recordId).findByIdWithReferenced(accountId, 'paymentMethodId', PaymentMethodRow);
    expect(row).toBeInstanceOf(AccountRow);
    expect(row).toEqual(await t.dataSource.manager.getRepository(AccountRow).findOne({ where: { id: accountId } }));
    expect(referenced).toBeInstanceOf(PaymentMethodRow);
    expect(referenced).toEqual(await t.dataSource.manager.getRepository(PaymentMethodRow).findOne({ where: { id: row?.paymentMethodId ?? '' } }));
    expect(await repositoryOfAccounts(tenantB).findByIdWithReferenced(accountId, 'paymentMethodId', PaymentMethodRow)).toEqual({ row: null, referenced: null });
  });
});
