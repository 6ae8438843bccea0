/**
 * Catalog benchmark (not a test): starts the real application on an embedded PostgreSQL, uploads a
 * generated catalog of 5,000 plans and times the upload and the reads, cold (empty catalog cache)
 * and warm. Run with `npm run bench`; figures go to README.md's "Benchmarks" section.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { generateLargeCatalogXml, parseCatalogXml, StandaloneCatalog, validateCatalogUpload } from '@kb/catalog';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { startTestApp } from '../test/support/test-app';

const PLANS = Number(process.env.BENCH_PLANS ?? 5000);
const WARM_RUNS = 20;

async function timed<T>(work: () => Promise<T> | T): Promise<[number, T]> {
  const start = performance.now();
  const result = await work();
  return [performance.now() - start, result];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function main(): Promise<void> {
  await globalSetup();
  const t = await startTestApp();
  try {
    const tenant = await t.createTenant('bench', 'bench');
    const xml = generateLargeCatalogXml(PLANS);
    console.log(`catalog: ${PLANS} plans, ${(xml.length / 1024 / 1024).toFixed(2)} MiB of XML`);

    // the engine alone, for reference
    const [parseMs] = await timed(() => parseCatalogXml(xml));
    const [indexMs] = await timed(() => StandaloneCatalog.fromXml(xml));
    const [validateMs] = await timed(() => validateCatalogUpload(undefined, xml));
    console.log(`engine: parse (xml2js + model) ${ms(parseMs)}, parse + index ${ms(indexMs)}, upload validation (parse + validate) ${ms(validateMs)}`);

    const [uploadMs, upload] = await timed(() => t.http.post('/1.0/kb/catalog/xml').set(tenant.headers).set('Content-Type', 'text/xml').send(xml));
    if (upload.status !== 201) throw new Error(`upload answered ${upload.status}: ${upload.text}`);
    console.log(`POST /catalog/xml: ${ms(uploadMs)}`);
    const [firstMs] = await timed(() => t.http.get('/1.0/kb/catalog').set(tenant.headers).expect(200));
    console.log(`GET /1.0/kb/catalog right after the upload (cache primed by the upload, JSON rendered once): ${ms(firstMs)}`);

    const get = (path: string) => t.http.get(path).set(tenant.headers).expect(200);
    const report = async (path: string) => {
      await t.http.delete('/1.0/kb/admin/cache').query({ cacheName: 'tenant-catalog' }).set(tenant.headers).expect(204);
      const [coldMs, cold] = await timed(() => get(path));
      const warm: number[] = [];
      for (let i = 0; i < WARM_RUNS; i++) warm.push((await timed(() => get(path)))[0]);
      console.log(
        `GET ${path}: cold ${ms(coldMs)}, warm median ${ms(median(warm))} (max ${ms(Math.max(...warm))}), ${(cold.text.length / 1024 / 1024).toFixed(2)} MiB`,
      );
    };
    await report('/1.0/kb/catalog');
    await report('/1.0/kb/catalog/xml');
    await report('/1.0/kb/catalog/availableBasePlans');
    await report('/1.0/kb/catalog/versions');
  } finally {
    await t.close();
    await globalTeardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
