import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ensureDatabase, KillBillConfig, startEmbeddedPostgres } from '@kb/platform';
import { createApplication } from './bootstrap';

/** Starts the server on PORT (8080), on DATABASE_URL or else an embedded PostgreSQL. */
async function main(): Promise<void> {
  const logger = new Logger('KillBill');
  const config = KillBillConfig.load();
  let stopDatabase: () => Promise<void> = async () => undefined;
  let databaseUrl = config.server.databaseUrl;
  if (!databaseUrl) {
    logger.log(`Starting embedded PostgreSQL (data in ${config.server.embeddedDataDir}, port ${config.server.embeddedPort})`);
    const postgres = await startEmbeddedPostgres({ dataDir: config.server.embeddedDataDir, port: config.server.embeddedPort });
    stopDatabase = postgres.stop;
    databaseUrl = await ensureDatabase(postgres.url, 'killbill');
  }
  const app = await createApplication({ config, databaseUrl }, logger);
  const shutdown = async (signal: string) => {
    logger.log(`${signal} received, shutting down`);
    await app.close();
    await stopDatabase();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen(config.server.port);
  logger.log(`Kill Bill listening on http://127.0.0.1:${config.server.port} (Swagger UI at /api, test mode ${config.testMode ? 'on' : 'off'})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
