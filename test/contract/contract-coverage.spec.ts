import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '../../scripts/contract-coverage.mjs');

/** A Swagger 2.0 reference as Kill Bill publishes it. */
const REFERENCE = {
  swagger: '2.0',
  paths: {
    '/1.0/kb/things/{thingId}': {
      get: { operationId: 'getThing', parameters: [{ name: 'thingId', in: 'path' }, { name: 'audit', in: 'query' }, { name: 'withDetails', in: 'query' }], responses: { 200: {}, 404: {} } },
      delete: { operationId: 'deleteThing', responses: { 204: {} } },
    },
    '/1.0/kb/things': { post: { operationId: 'createThing', responses: { 201: {} } } },
    '/1.0/kb/gadgets': { get: { operationId: 'getGadgets', parameters: [{ name: 'offset', in: 'query' }], responses: { 200: {} } } },
  },
  definitions: { Thing: { properties: { thingId: {}, name: {}, color: {} } }, Gadget: { properties: { gadgetId: {} } } },
};

/** Ours, OpenAPI 3: another path parameter name, a wrong operationId, a wrong code, a missing query parameter, operation, schema and property. */
const OURS = {
  openapi: '3.0.0',
  paths: {
    '/1.0/kb/things/{id}': {
      parameters: [{ $ref: '#/components/parameters/Audit' }],
      get: { operationId: 'getThing', responses: { 200: {}, 400: {} } },
      delete: { operationId: 'removeThing', responses: { 204: {} } },
    },
    '/1.0/kb/things/': { post: { operationId: 'createThing', responses: { 200: {} } } },
  },
  components: {
    parameters: { Audit: { name: 'audit', in: 'query' } },
    schemas: { Thing: { allOf: [{ $ref: '#/components/schemas/Named' }, { properties: { thingId: {} } }] }, Named: { properties: { name: {} } } },
  },
};

describe('scripts/contract-coverage.mjs', () => {
  let directory: string;
  const run = (...args: string[]) => execFileSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' }).trimEnd().split('\n');

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'contract-coverage-'));
    writeFileSync(join(directory, 'ours.json'), JSON.stringify(OURS));
    writeFileSync(join(directory, 'reference.json'), JSON.stringify(REFERENCE));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('prints the summary of operations, operationIds, success codes, query parameters and schema properties', () => {
    expect(run(join(directory, 'ours.json'), join(directory, 'reference.json'))).toEqual([
      'operations      3/4 (75%)',
      'operationIds    2/3 of present match',
      'success codes   2/3 of present match',
      'query params    1/3 (33.3%)',
      'schemas         1/2, properties 2/4 (50%)',
      'contract: 75% operations, 50% schema properties',
    ]);
  });

  it('lists what is missing or differs with --missing', () => {
    const lines = run(join(directory, 'ours.json'), join(directory, 'reference.json'), '--missing');
    expect(lines.slice(0, 14)).toEqual([
      'missing operations:',
      '  GET /1.0/kb/gadgets',
      'differing operationIds:',
      '  DELETE /1.0/kb/things/{}: removeThing instead of deleteThing',
      'differing success codes:',
      '  POST /1.0/kb/things: 200 instead of 201',
      'missing query params:',
      '  GET /1.0/kb/things/{} ?withDetails',
      '  GET /1.0/kb/gadgets ?offset',
      'missing schemas:',
      '  Gadget',
      'missing properties:',
      '  Thing.color',
      '  Gadget.gadgetId',
    ]);
  });

  it('finds the whole contract when a document is compared with itself', () => {
    expect(run(join(directory, 'reference.json'), join(directory, 'reference.json'))[5]).toBe('contract: 100% operations, 100% schema properties');
  });
});
