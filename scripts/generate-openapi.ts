import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { KillBillConfig } from '@kb/platform';
import { AppModule } from '../apps/killbill/src/app.module';
import { buildOpenApiDocument } from '../apps/killbill/src/openapi';

/**
 * Writes openapi/killbill.json from the controllers' decorators. Preview mode builds the module graph
 * without instantiating providers, so no database is needed. `--check` fails when the file is stale.
 */
async function main(): Promise<void> {
  const target = resolve(__dirname, '../openapi/killbill.json');
  const config = KillBillConfig.load({ 'org.killbill.server.test.mode': 'false' }, {});
  const app = await NestFactory.create(AppModule.register({ config, databaseUrl: 'postgres://unused/unused' }), { preview: true, logger: false });
  const text = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close();
  if (process.argv.includes('--check')) {
    const committed = readFileSync(target, 'utf8');
    if (committed !== text) {
      console.error('openapi/killbill.json is stale: run `npm run openapi` and commit the result');
      process.exit(1);
    }
    console.log('openapi/killbill.json is up to date');
    return;
  }
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}

void main();
