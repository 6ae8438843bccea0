import 'reflect-metadata';
import { createRootLogger, ensureDatabase, KillBillConfig, type RootLogger, startEmbeddedPostgres } from '@kb/platform';
import { createApplication } from './bootstrap';
import { shutDown } from './shutdown';

const REPEATED_SIGNAL_MILLIS = 1000;

/** Starts the server on PORT (8080), on DATABASE_URL or else an embedded PostgreSQL; stops cleanly on SIGTERM/SIGINT. */
async function main(logger: RootLogger, config: KillBillConfig): Promise<void> {
  let stopDatabase: () => Promise<void> = async () => undefined;
  let databaseUrl = config.server.databaseUrl;
  if (!databaseUrl) {
    logger.info(`Starting embedded PostgreSQL (data in ${config.server.embeddedDataDir}, port ${config.server.embeddedPort})`);
    const postgres = await startEmbeddedPostgres({
      dataDir: config.server.embeddedDataDir,
      port: config.server.embeddedPort,
      callerHandlesSignals: true,
    });
    stopDatabase = postgres.stop;
    databaseUrl = await ensureDatabase(postgres.url, 'killbill');
  }
  const app = await createApplication({ config, databaseUrl, logger });
  let stoppingSince: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      // A signal to the process group reaches us twice at once (directly and forwarded by npm): only a
      // later one, e.g. a second Ctrl-C, means "stop now".
      if (performance.now() - stoppingSince < REPEATED_SIGNAL_MILLIS) return;
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stoppingSince = performance.now();
    logger.info(`${signal} received`);
    shutDown({ app, graceMillis: config.server.shutdownGraceMillis, logger, stopDatabase }).then(
      (code) => process.exit(code),
      (error: unknown) => {
        logger.fatal({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await app.listen(config.server.port);
  logger.info(
    `Kill Bill listening on http://127.0.0.1:${config.server.port} (node ${config.server.nodeName}, Swagger UI at /api, metrics at /metrics, test mode ${config.testMode ? 'on' : 'off'}, log level ${config.server.logLevel})`,
  );
}

let config: KillBillConfig;
let logger: RootLogger;
try {
  config = KillBillConfig.load();
  logger = createRootLogger(config.server);
} catch (error) {
  console.error(`Invalid configuration: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
main(logger, config).catch((error: unknown) => {
  logger.fatal({ err: error }, 'Start-up failed');
  process.exit(1);
});
