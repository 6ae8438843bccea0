import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAccount, startTestApp, type TestApp, type TestTenant } from '../support/test-app';

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly schema?: { type?: string; format?: string; items?: { type?: string } };
}
interface Operation {
  readonly operationId: string;
  readonly parameters?: Parameter[];
  readonly requestBody?: unknown;
}

const DOCUMENT = JSON.parse(readFileSync(join(__dirname, '../../openapi/killbill.json'), 'utf8')) as { paths: Record<string, Record<string, Operation>> };
const OPERATIONS = Object.entries(DOCUMENT.paths).flatMap(([path, methods]) =>
  Object.entries(methods)
    .filter(([method]) => ['get', 'post', 'put', 'delete'].includes(method))
    .map(([method, operation]) => ({ path, method: method as 'get' | 'post' | 'put' | 'delete', operation })),
);

/** A bad value of each kind a parameter can have. */
function badValuesFor(parameter: Parameter): string[] {
  const type = parameter.schema?.type === 'array' ? parameter.schema.items?.type : parameter.schema?.type;
  if (type === 'integer' || type === 'number') return ['abc', '-1', '99999999999999999999999', '1.5'];
  if (type === 'boolean') return ['maybe'];
  if (parameter.schema?.format === 'date' || parameter.schema?.format === 'date-time') return ['2020-13-45', '275760-09-13', '0'];
  if (parameter.schema?.format === 'uuid') return ['not-a-uuid', '00000000-0000-0000-0000-000000000000'];
  return ['x\u0000y', 'é'.repeat(300)];
}

/**
 * Every operation of the contract, fed wrong ids, wrong query values and malformed bodies, answers
 * a 4xx (or one of Kill Bill's own business errors), never an unexpected 500.
 */
describe('Hostile inputs on every operation', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let accountId: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await t.createTenant();
    accountId = await createAccount(t, tenant);
  });
  afterAll(() => t.close());

  const send = async (unexpected: string[], method: 'get' | 'post' | 'put' | 'delete', url: string, what: string, body?: string) => {
    let call = t.http[method](url).set(tenant.headers);
    if (body !== undefined) call = call.set('Content-Type', 'application/json').send(body);
    const response = await call;
    // Kill Bill answers some business states with a 500 carrying its own exception class: those are
    // its contract. An unexpected failure is the filter's generic RuntimeException.
    if (response.status >= 500 && response.body?.className === 'java.lang.RuntimeException') unexpected.push(`${what} → ${response.status}`);
  };

  it.each(OPERATIONS.map((o) => [o.operation.operationId, o] as const))('%s', async (_id, { path, method, operation }) => {
    const unexpected: string[] = [];
    const parameters = operation.parameters ?? [];
    const fill = (value: (p: Parameter) => string) =>
      path.replace(/\{(\w+)\}/g, (_m, name: string) => {
        const parameter = parameters.find((p) => p.in === 'path' && p.name === name);
        return encodeURIComponent(parameter ? value(parameter) : 'x');
      });
    const validPath = path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'accountId' ? accountId : '00000000-0000-0000-0000-000000000000'));
    for (const parameter of parameters.filter((p) => p.in === 'path')) {
      for (const bad of badValuesFor(parameter))
        await send(
          unexpected,
          method,
          fill((p) => (p === parameter ? bad : '00000000-0000-0000-0000-000000000000')),
          `${operation.operationId} path ${parameter.name}=${JSON.stringify(bad)}`,
        );
    }
    for (const parameter of parameters.filter((p) => p.in === 'query')) {
      for (const bad of badValuesFor(parameter)) {
        await send(
          unexpected,
          method,
          `${validPath}?${parameter.name}=${encodeURIComponent(bad)}`,
          `${operation.operationId} query ${parameter.name}=${JSON.stringify(bad)}`,
        );
      }
    }
    if (operation.requestBody && method !== 'get') {
      for (const body of ['{}', '[]', '{"x":', '"text"', '{"accountId":"not-a-uuid","name":1,"currency":"XXX"}', '[{"tagDefinitionId":"nope"}]']) {
        await send(unexpected, method, validPath, `${operation.operationId} body ${body}`, body);
      }
    }
    expect(unexpected).toEqual([]);
  });
});
