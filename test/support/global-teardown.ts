import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunningPostgres } from '@kb/platform';
import { TEST_TEMPLATE_ENV, withAdminClient } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as { __KB_TEST_PG__?: { postgres: RunningPostgres; dataDir: string } }).__KB_TEST_PG__;
  if (!embedded) {
    const template = process.env[TEST_TEMPLATE_ENV];
    if (template) await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`));
    return;
  }
  await embedded.postgres.stop();
  await rm(dirname(embedded.dataDir), { recursive: true, force: true });
}
