import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_SCHEME, API_SECRET_SCHEME, BASIC_AUTH_SCHEME } from '@kb/platform';

/** The OpenAPI document generated from the decorators, with sorted paths and schemas (deterministic). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Kill Bill')
    .setDescription('Kill Bill is an open-source billing and payments platform')
    .setVersion('0.24.10')
    .setLicense('Apache License, Version 2.0', 'http://www.apache.org/licenses/LICENSE-2.0.html')
    // The server that serves this document (Swagger UI at /api), then Kill Bill's usual address.
    .addServer('/', 'This server')
    .addServer('http://127.0.0.1:8080', 'A local Kill Bill on its default port')
    .addBasicAuth({ type: 'http', scheme: 'basic' }, BASIC_AUTH_SCHEME)
    .addApiKey({ type: 'apiKey', name: 'X-Killbill-ApiKey', in: 'header' }, API_KEY_SCHEME)
    .addApiKey({ type: 'apiKey', name: 'X-Killbill-ApiSecret', in: 'header' }, API_SECRET_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method });
  document.paths = sortKeys(document.paths);
  if (document.components?.schemas) document.components.schemas = sortKeys(document.components.schemas);
  if (document.tags) document.tags = [...document.tags].sort((a, b) => a.name.localeCompare(b.name));
  return document;
}

function sortKeys<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b))) as T;
}
