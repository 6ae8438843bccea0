import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp, type TestTenant } from '../support/test-app';

const FAST = { 'org.killbill.billing.util.broadcast.rate': '50', 'org.killbill.nodes.info.refresh.rate': '50' };
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
const TEST_PLUGIN = 'killbill-payment-test';

interface NodeInfoJson {
  nodeName: string;
  bootTime: string;
  lastUpdatedDate: string;
  kbVersion: string;
  pluginsInfo: { pluginName: string; state: string }[];
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('/1.0/kb/nodesInfo (getNodesInfo, triggerNodeCommand)', () => {
  let a: TestApp;
  let b: TestApp;
  let tenant: TestTenant;

  const nodesOf = async (t: TestApp): Promise<NodeInfoJson[]> => (await t.http.get('/1.0/kb/nodesInfo').set(t.adminHeaders).expect(200)).body;
  const pluginStateOn = async (t: TestApp): Promise<string | undefined> =>
    ((await t.http.get('/1.0/kb/pluginsInfo').set(tenant.headers).expect(200)).body as { pluginName: string; state: string }[]).find((p) => p.pluginName === TEST_PLUGIN)?.state;
  const command = (t: TestApp, body: Record<string, unknown>, localNodeOnly?: boolean) =>
    t.http.post('/1.0/kb/nodesInfo').query(localNodeOnly === undefined ? {} : { localNodeOnly }).set(t.adminHeaders).send(body);
  const pluginCommand = (type: string, pluginName = TEST_PLUGIN) => ({ isSystemCommandType: true, nodeCommandType: type, nodeCommandProperties: [{ key: 'pluginName', value: pluginName }] });

  beforeAll(async () => {
    a = await startTestApp(FAST, { nodeName: 'node-a' });
    b = await startTestApp(FAST, { nodeName: 'node-b', sharedDatabaseOf: a });
    tenant = await a.createTenant();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('lists every node sharing the database with its versions and plugins, each refreshing its row while it runs', async () => {
    const nodes = await nodesOf(b);
    expect(nodes.map((n) => n.nodeName)).toEqual(['node-a', 'node-b']);
    for (const node of nodes) {
      expect(node).toMatchObject({ kbVersion: PACKAGE_VERSION, apiVersion: '0.24.10', platformVersion: PACKAGE_VERSION });
      expect(node.pluginsInfo).toEqual([
        {
          bundleSymbolicName: expect.any(String),
          pluginKey: expect.any(String),
          pluginName: TEST_PLUGIN,
          version: expect.any(String),
          state: 'RUNNING',
          isSelectedForStart: true,
          services: [{ serviceTypeName: 'org.killbill.billing.payment.plugin.api.PaymentPluginApi', registrationName: TEST_PLUGIN }],
        },
      ]);
      expect(new Date(node.bootTime).toISOString()).toBe(node.bootTime);
    }
    const [first] = nodes;
    const refreshed = await eventually(() => nodesOf(a), (all) => all[0].lastUpdatedDate > first.lastUpdatedDate, 'a refresh of node-a');
    expect(refreshed[0].bootTime).toBe(first.bootTime);
    expect(Date.parse(refreshed[0].lastUpdatedDate)).toBeGreaterThan(Date.parse(refreshed[0].bootTime));
  });

  it('broadcasts a plugin command through service_broadcasts to every node, and runs it on this node only with localNodeOnly', async () => {
    await command(a, pluginCommand('STOP_PLUGIN')).expect(202);
    expect(await a.query(`SELECT service_name, type, created_by FROM service_broadcasts`)).toEqual([{ service_name: 'broadcast-service', type: 'STOP_PLUGIN', created_by: 'test' }]);
    await eventually(() => pluginStateOn(b), (state) => state === 'STOPPED', 'node-b to stop the plugin');
    await eventually(() => pluginStateOn(a), (state) => state === 'STOPPED', 'node-a to stop the plugin');
    // Each node tells of its stopped plugin in its node info.
    const stopped = await eventually(() => nodesOf(a), (all) => all.every((n) => n.pluginsInfo[0]?.state === 'STOPPED'), 'both node infos to show STOPPED');
    expect(stopped.map((n) => n.pluginsInfo[0].state)).toEqual(['STOPPED', 'STOPPED']);
    // A stopped plugin serves no calls: a payment method on it is refused as Kill Bill refuses an unknown plugin.
    const accountId = String((await a.http.post('/1.0/kb/accounts').set(tenant.headers).send({ name: 'N', currency: 'USD' }).expect(201)).headers.location).split('/').pop();
    const refused = await a.http.post(`/1.0/kb/accounts/${accountId}/paymentMethods`).set(tenant.headers).send({ pluginName: TEST_PLUGIN }).expect(400);
    expect(refused.body).toMatchObject({ code: 7028 });

    await command(a, pluginCommand('START_PLUGIN'), true).expect(202);
    expect(await pluginStateOn(a)).toBe('RUNNING');
    expect(await a.query(`SELECT type FROM service_broadcasts ORDER BY record_id`)).toEqual([{ type: 'STOP_PLUGIN' }]);
    await new Promise((resolve) => setTimeout(resolve, 300)); // several polls of node-b
    expect(await pluginStateOn(b)).toBe('STOPPED');

    await command(b, pluginCommand('RESTART_PLUGIN'), true).expect(202);
    expect(await pluginStateOn(b)).toBe('RUNNING');
  });

  it('refuses with 400 what a built-in plugin cannot do and commands nothing here handles', async () => {
    for (const type of ['INSTALL_PLUGIN', 'UNINSTALL_PLUGIN']) {
      const response = await command(a, pluginCommand(type)).expect(400);
      expect(response.body.message).toContain('built in');
    }
    expect((await command(a, pluginCommand('STOP_PLUGIN', 'no-such-plugin')).expect(400)).body.message).toContain('no plugin no-such-plugin');
    expect((await command(a, pluginCommand('STOP_PLUGIN', '__EXTERNAL_PAYMENT__')).expect(400)).body.message).toContain('no plugin');
    await command(a, { isSystemCommandType: false, nodeCommandType: 'MY_COMMAND' }).expect(400);
    await command(a, { isSystemCommandType: true }).expect(400);
    expect(await a.query(`SELECT type FROM service_broadcasts ORDER BY record_id`)).toEqual([{ type: 'STOP_PLUGIN' }]);
    expect(await pluginStateOn(a)).toBe('RUNNING');
  });

  it('drops the row of a node that stops', async () => {
    await b.close();
    expect((await nodesOf(a)).map((n) => n.nodeName)).toEqual(['node-a']);
    b = undefined as unknown as TestApp;
  });
});
