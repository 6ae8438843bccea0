import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from '@kb/platform';

/** Set by the global setup for every test worker. */
export const TEST_SERVER_URL_ENV = 'KB_TEST_SERVER_URL';
export const TEST_TEMPLATE_ENV = 'KB_TEST_TEMPLATE_DB';

export function testServerUrl(): string {
  const url = process.env[TEST_SERVER_URL_ENV];
  if (!url) throw new Error('The jest global setup did not run (no test database server)');
  return url;
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database cloned from the migrated template: each test file gets its own. */
export async function createTestDatabase(): Promise<{ name: string; url: string }> {
  const template = process.env[TEST_TEMPLATE_ENV];
  if (!template) throw new Error('No migrated template database');
  const name = `kb_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        return;
      } catch (error) {
        // Two workers cloning the template at the same instant can collide; try again shortly.
        if (attempt >= 10 || !String(error).includes('being accessed by other users')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return { name, url: withDatabase(testServerUrl(), name) };
}

export async function dropTestDatabase(name: string): Promise<void> {
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
