import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { FIRST_SESSION_PROGRAM } from './first-session.program';

/**
 * The committed OpenAPI document as a client generator sees it: every value typed (nothing left
 * `object` or untyped, which openapi-typescript turns into `Record<string, never>` / `unknown`),
 * Redocly's lint clean, and a TypeScript client generated from it compiles the README's first
 * session.
 */
const ROOT = resolve(__dirname, '../..');
const SPEC_PATH = join(ROOT, 'openapi/killbill.json');

type Schema = {
  type?: string;
  format?: string;
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  enum?: unknown[];
};
type Parameter = { name: string; in: string; schema?: Schema; style?: string; explode?: boolean };
type Operation = { operationId: string; parameters?: Parameter[]; responses: Record<string, { content?: Record<string, { schema?: Schema }> }> };
type Document = {
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, unknown> };
};

const committed = (): Document => JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Document;

function operations(document: Document): Operation[] {
  return Object.values(document.paths).flatMap((item) => Object.values(item));
}

/** Where a value's type is missing, or is a bare `object` with nothing saying what is inside. */
function untyped(schema: Schema | undefined, at: string): string[] {
  if (!schema) return [`${at}: no schema`];
  if (schema.$ref) return [];
  const composed = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  if (composed) return composed.flatMap((part, index) => untyped(part, `${at}[${index}]`));
  if (!schema.type) return [`${at}: untyped`];
  if (schema.type === 'array') return untyped(schema.items, `${at}[]`);
  if (schema.type === 'object' && !schema.properties && !schema.additionalProperties) return [`${at}: bare object`];
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => untyped(property, `${at}.${name}`));
}

/** Kill Bill's repeatable (`collectionFormat: multi`) query parameters. */
const REPEATED_QUERIES = ['blockingStateTypes', 'blockingStateSvcs', 'tagDef', 'pluginProperty', 'customField', 'controlPluginName'];

describe('the committed OpenAPI document', () => {
  const document = committed();

  it('types every schema property (no untyped or bare-object value)', () => {
    expect(Object.entries(document.components.schemas).flatMap(([name, schema]) => untyped(schema, name))).toEqual([]);
  });

  it('types every path and query parameter, and repeats the list ones', () => {
    const problems = operations(document).flatMap((operation) =>
      (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'path' || parameter.in === 'query')
        .flatMap((parameter) => {
          const at = `${operation.operationId} ${parameter.in} ${parameter.name}`;
          const own = untyped(parameter.schema, at).concat(parameter.schema?.type === 'object' ? [`${at}: object`] : []);
          const repeated = REPEATED_QUERIES.includes(parameter.name);
          if (repeated && (parameter.schema?.type !== 'array' || parameter.explode !== true)) own.push(`${at}: not a repeated array`);
          if (!repeated && parameter.schema?.type === 'array') own.push(`${at}: an array Kill Bill does not repeat`);
          return own;
        }),
    );
    expect(problems).toEqual([]);
  });

  it('gives every 201 the schema of what its Location answers', () => {
    const missing = operations(document)
      .filter((operation) => operation.responses['201'])
      .filter((operation) => untyped(operation.responses['201'].content?.['application/json']?.schema, operation.operationId).length > 0)
      .map((operation) => operation.operationId);
    expect(missing).toEqual([]);
  });

  it("declares its servers and Kill Bill's security schemes", () => {
    expect(document.servers?.map((server) => server.url)).toEqual(['/', 'http://127.0.0.1:8080']);
    expect(document.components.securitySchemes).toEqual({
      basicAuth: { type: 'http', scheme: 'basic' },
      'Killbill Api Key': { type: 'apiKey', in: 'header', name: 'X-Killbill-ApiKey' },
      'Killbill Api Secret': { type: 'apiKey', in: 'header', name: 'X-Killbill-ApiSecret' },
    });
  });

  it('finds the defects it looks for', () => {
    const broken = committed();
    broken.components.schemas.Account.properties!.name = { type: 'object' };
    delete broken.components.schemas.Tenant.properties!.apiSecret.type;
    expect(untyped(broken.components.schemas.Account, 'Account')).toEqual(['Account.name: bare object']);
    expect(untyped(broken.components.schemas.Tenant, 'Tenant')).toEqual(['Tenant.apiSecret: untyped']);
  });

  it('passes redocly lint with no errors', () => {
    const cli = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');
    let output: string;
    try {
      output = execFileSync(process.execPath, [cli, 'lint', SPEC_PATH, '--format=json', '--config', join(ROOT, 'redocly.yaml')], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (failure) {
      output = (failure as { stdout: string }).stdout;
    }
    const report = JSON.parse(output) as { totals: { errors: number }; problems: { severity: string; ruleId: string; message: string }[] };
    expect(report.problems.filter((problem) => problem.severity === 'error').map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });
});

describe('a TypeScript client generated from it (openapi-typescript + openapi-fetch)', () => {
  let folder: string;
  let errors: Map<string, string[]>;

  // The committed document and two broken copies, generated and type-checked in one go (seconds).
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'kb-openapi-client-'));
    const objectName = committed();
    objectName.components.schemas.Account.properties!.name = { type: 'object' };
    const no201 = committed();
    delete no201.paths['/1.0/kb/tenants'].post.responses['201'].content;
    errors = await compileFirstSessions(folder, { committed: committed(), objectName, no201 });
  }, 120_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("compiles the README's first session", () => {
    expect(errors.get('committed')).toEqual([]);
  });

  it('fails to compile against a document that types an account name as an object', () => {
    expect(errors.get('objectName')!.join('\n')).toMatch(/Record<string, never>/);
  });

  it('fails to compile against a document whose 201 has no schema', () => {
    expect(errors.get('no201')!.join('\n')).toMatch(/Argument of type 'true' is not assignable/);
  });
});

/**
 * For each document, generates `<name>/killbill.ts` with openapi-typescript's CLI (the package is
 * ESM, which jest's module system does not load) next to the session program, then type-checks all
 * of them in one program. Answers the diagnostics per document.
 */
async function compileFirstSessions(folder: string, documents: Record<string, Document>): Promise<Map<string, string[]>> {
  const cli = join(ROOT, 'node_modules/openapi-typescript/bin/cli.js');
  const names = Object.keys(documents);
  await Promise.all(
    names.map(async (name) => {
      const target = join(folder, name);
      mkdirSync(target, { recursive: true });
      writeFileSync(join(target, 'killbill.json'), JSON.stringify(documents[name]));
      writeFileSync(join(target, 'first-session.ts'), FIRST_SESSION_PROGRAM);
      await run(process.execPath, [cli, join(target, 'killbill.json'), '--output', join(target, 'killbill.ts')]);
    }),
  );
  const program = ts.createProgram(
    names.map((name) => join(folder, name, 'first-session.ts')),
    {
      strict: true,
      noEmit: true,
      // Without the DOM lib (seconds of parsing): openapi-fetch's `Response`/`RequestInit` stay
      // unresolved in its declarations, which are not under test; the generated types need none.
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      types: [],
      paths: { 'openapi-fetch': [join(ROOT, 'node_modules/openapi-fetch')] },
    },
  );
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return new Map(
    names.map((name) => [
      name,
      diagnostics
        .filter((diagnostic) => diagnostic.file === undefined || diagnostic.file.fileName.startsWith(join(folder, name) + '/'))
        .map((diagnostic) => `${diagnostic.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`),
    ]),
  );
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => execFile(command, args, (error, _stdout, stderr) => (error ? fail(new Error(`${error.message}\n${stderr}`)) : done())));
}
