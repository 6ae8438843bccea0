// A second server node in its own process for multi-node tests: the real application on the
// database of DATABASE_URL, with the test probes' handlers, listening on PORT. Started by
// startServerProcess() below through `node -r @swc-node/register`.
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { KillBillConfig } from '@kb/platform';
import { ClockProbeHandler } from './clock-probe';

const TEST_PROPERTIES: Record<string, string> = {
  'org.killbill.server.test.mode': 'true',
  'org.killbill.security.shiroNbHashIterations': '1000',
  'org.killbill.notificationq.main.sleep': '20',
  'org.killbill.persistent.bus.main.sleep': '20',
};

export interface ServerProcess {
  readonly url: string;
  stop(): Promise<void>;
}

/** Spawns a node of the server on `databaseUrl`; resolves once it listens. */
export async function startServerProcess(databaseUrl: string, port: number, nodeName: string, properties: Record<string, string> = {}): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', __filename], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), KB_NODE_NAME: nodeName, KB_TEST_PROPERTIES: JSON.stringify({ ...TEST_PROPERTIES, ...properties }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${nodeName} did not start:\n${output}`)), 60_000);
    child.stdout?.on('data', () => {
      if (output.includes('LISTENING')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node ${nodeName} exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function main(): Promise<void> {
  // Imported here: the parent process only needs startServerProcess.
  const { createApplication } = await import('../../apps/killbill/src/bootstrap');
  const properties = JSON.parse(process.env.KB_TEST_PROPERTIES ?? '{}') as Record<string, string>;
  const config = KillBillConfig.load(properties);
  const app = await createApplication({ config, databaseUrl: config.server.databaseUrl ?? '', extraProviders: [ClockProbeHandler] });
  await app.listen(config.server.port, '127.0.0.1');
  process.stdout.write('LISTENING\n');
  process.once('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
