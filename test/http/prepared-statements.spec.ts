import { startTestApp, type TestApp } from '../support/test-app';

describe('Prepared statements', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('runs a parameterized statement used again as a named prepared statement of the connection, with the same answers', async () => {
    const text = `SELECT $1::int + 1 AS next, current_setting('application_name') IS NOT NULL AS probe_${Date.now()}`;
    const runner = t.dataSource.createQueryRunner();
    try {
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await runner.query(text, [i]));
      expect(answers.map(([row]) => row.next)).toEqual([1, 2, 3]);
      const prepared = await runner.query('SELECT name FROM pg_prepared_statements WHERE statement = $1', [text]);
      expect(prepared).toHaveLength(1);
      expect(prepared[0].name).toMatch(/^kb_stmt_\d+$/);
      // A statement without parameters stays a simple query.
      await runner.query('SELECT 41 + 1 AS answer');
      await runner.query('SELECT 41 + 1 AS answer');
      expect(await runner.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = 'SELECT 41 + 1 AS answer'`)).toEqual([{ n: 0 }]);
    } finally {
      await runner.release();
    }
  });

  it('keeps a prepared statement usable after one of its executions fails', async () => {
    const text = `SELECT 1 / $1::int AS quotient_${Date.now()}`;
    const runner = t.dataSource.createQueryRunner();
    try {
      await runner.query(text, [1]);
      await expect(runner.query(text, [0])).rejects.toThrow(/division by zero/);
      expect(await runner.query(text, [1])).toEqual([{ [text.split(' AS ')[1]]: 1 }]);
    } finally {
      await runner.release();
    }
  });
});
