import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource, ensureDatabase, startEmbeddedPostgres, withDatabase } from '@kb/platform';
import { ALL_ENTITIES, ALL_MIGRATIONS } from '../../apps/killbill/src/app.module';
import { TEST_SERVER_URL_ENV, TEST_TEMPLATE_ENV, withAdminClient } from './test-database';

/**
 * Starts one PostgreSQL for the run (embedded in a temporary folder, or DATABASE_URL's server) and
 * migrates a template database that every test file clones.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'kb-test-pg-')), 'data');
    const postgres = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      // A throw-away cluster: durability settings off for speed.
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
    });
    (globalThis as { __KB_TEST_PG__?: unknown }).__KB_TEST_PG__ = { postgres, dataDir };
    serverUrl = postgres.url;
  }
  process.env[TEST_SERVER_URL_ENV] = serverUrl;
  const template = `kb_template_${process.pid}`;
  await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`));
  await ensureDatabase(serverUrl, template);
  const dataSource = createDataSource({ url: withDatabase(serverUrl, template), entities: ALL_ENTITIES, migrations: ALL_MIGRATIONS });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  process.env[TEST_TEMPLATE_ENV] = template;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
