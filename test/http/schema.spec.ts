import { startTestApp, type TestApp } from '../support/test-app';

/** Entities and migrations must describe the same schema (migrations are real; nothing synchronizes). */
describe('Database schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('has no difference between the entities and the migrated tables', async () => {
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});
