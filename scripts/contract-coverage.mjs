#!/usr/bin/env node
// How much of Kill Bill's published contract our generated OpenAPI document covers: operations (by
// method and path, path parameter names ignored), and for the operations both have, their
// operationIds, success codes and query parameters; then the reference's schemas and their properties.
// Usage: node scripts/contract-coverage.mjs [ours=openapi/killbill.json] [reference=openapi/reference/killbill-swagger.json] [--missing]
// Reads Swagger 2.0 or OpenAPI 3 on either side. Informational: it always exits 0 on readable input.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** `/accounts/{accountId}/tags` and `/accounts/{id}/tags` are the same route. */
export function routeKey(method, path) {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '')}`;
}

/** Each operation of a document by route: its operationId, success codes and query parameter names. */
export function operationsOf(document) {
  const operations = new Map();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (!operation) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => resolve(document, p));
      operations.set(routeKey(method, path), {
        operationId: operation.operationId,
        successCodes: Object.keys(operation.responses ?? {}).filter((code) => /^2\d\d$/.test(code)).sort(),
        queryParameters: new Set(parameters.filter((p) => p?.in === 'query').map((p) => p.name)),
      });
    }
  }
  return operations;
}

/** Each named schema of a document with its property names (allOf parts merged). */
export function schemasOf(document) {
  const named = document.definitions ?? document.components?.schemas ?? {};
  const schemas = new Map();
  for (const [name, schema] of Object.entries(named)) schemas.set(name, propertyNames(document, schema, new Set()));
  return schemas;
}

function propertyNames(document, schema, seen) {
  const resolved = resolve(document, schema);
  if (!resolved || seen.has(resolved)) return new Set();
  seen.add(resolved);
  const names = new Set(Object.keys(resolved.properties ?? {}));
  for (const part of resolved.allOf ?? []) for (const name of propertyNames(document, part, seen)) names.add(name);
  return names;
}

function resolve(document, value) {
  let current = value;
  for (let depth = 0; current && typeof current.$ref === 'string' && depth < 10; depth++) {
    const pointer = current.$ref.replace(/^#\//, '').split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
    current = pointer.reduce((node, part) => node?.[part], document);
  }
  return current;
}

const percent = (part, whole) => (whole === 0 ? '100%' : `${Math.round((1000 * part) / whole) / 10}%`);

/** The comparison, as numbers and as the lists of what is missing or differs. */
export function compare(ours, reference) {
  const ourOperations = operationsOf(ours);
  const referenceOperations = operationsOf(reference);
  const result = {
    operations: { present: 0, total: referenceOperations.size, missing: [] },
    operationIds: { matching: 0, present: 0, differing: [] },
    successCodes: { matching: 0, present: 0, differing: [] },
    queryParameters: { present: 0, total: 0, missing: [] },
    schemas: { present: 0, total: 0, missing: [] },
    properties: { present: 0, total: 0, missing: [] },
  };
  for (const [route, expected] of referenceOperations) {
    const actual = ourOperations.get(route);
    result.queryParameters.total += expected.queryParameters.size;
    if (!actual) {
      result.operations.missing.push(route);
      result.queryParameters.missing.push(...[...expected.queryParameters].map((name) => `${route} ?${name}`));
      continue;
    }
    result.operations.present++;
    result.operationIds.present++;
    if (actual.operationId === expected.operationId) result.operationIds.matching++;
    else result.operationIds.differing.push(`${route}: ${actual.operationId} instead of ${expected.operationId}`);
    result.successCodes.present++;
    if (actual.successCodes.join(',') === expected.successCodes.join(',')) result.successCodes.matching++;
    else result.successCodes.differing.push(`${route}: ${actual.successCodes.join(',') || 'none'} instead of ${expected.successCodes.join(',') || 'none'}`);
    for (const name of expected.queryParameters) {
      if (actual.queryParameters.has(name)) result.queryParameters.present++;
      else result.queryParameters.missing.push(`${route} ?${name}`);
    }
  }
  const ourSchemas = schemasOf(ours);
  for (const [name, properties] of schemasOf(reference)) {
    result.schemas.total++;
    result.properties.total += properties.size;
    const actual = ourSchemas.get(name);
    if (actual) result.schemas.present++;
    else result.schemas.missing.push(name);
    for (const property of properties) {
      if (actual?.has(property)) result.properties.present++;
      else result.properties.missing.push(`${name}.${property}`);
    }
  }
  return result;
}

/** The summary lines CI prints. */
export function summaryLines(result) {
  const { operations, operationIds, successCodes, queryParameters, schemas, properties } = result;
  return [
    `operations      ${operations.present}/${operations.total} (${percent(operations.present, operations.total)})`,
    `operationIds    ${operationIds.matching}/${operationIds.present} of present match`,
    `success codes   ${successCodes.matching}/${successCodes.present} of present match`,
    `query params    ${queryParameters.present}/${queryParameters.total} (${percent(queryParameters.present, queryParameters.total)})`,
    `schemas         ${schemas.present}/${schemas.total}, properties ${properties.present}/${properties.total} (${percent(properties.present, properties.total)})`,
    `contract: ${percent(operations.present, operations.total)} operations, ${percent(properties.present, properties.total)} schema properties`,
  ];
}

function detailLines(result) {
  const section = (title, items) => (items.length ? [`${title}:`, ...items.map((item) => `  ${item}`)] : []);
  return [
    ...section('missing operations', result.operations.missing),
    ...section('differing operationIds', result.operationIds.differing),
    ...section('differing success codes', result.successCodes.differing),
    ...section('missing query params', result.queryParameters.missing),
    ...section('missing schemas', result.schemas.missing),
    ...section('missing properties', result.properties.missing),
  ];
}

function main(argv) {
  const flags = argv.filter((arg) => arg.startsWith('--'));
  const [oursPath = 'openapi/killbill.json', referencePath = 'openapi/reference/killbill-swagger.json'] = argv.filter((arg) => !arg.startsWith('--'));
  const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
  const result = compare(read(oursPath), read(referencePath));
  const lines = [...(flags.includes('--missing') ? detailLines(result) : []), ...summaryLines(result)];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
