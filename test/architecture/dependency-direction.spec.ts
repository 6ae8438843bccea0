import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintProbes } from './lint-probes';

const ROOT = join(__dirname, '../..');
const LIBS = readdirSync(join(ROOT, 'libs')).sort();

const importing = (file: string, target: string) => ({ file, source: `import { x } from '${target}';\nexport const y = x;\n` });

const FORBIDDEN: [string, string][] = [
  ['libs/account/src/probe.ts', '@kb/entitlement'],
  ['libs/account/src/probe.ts', '@kb/catalog'],
  ['libs/catalog/src/service/probe.ts', '@kb/entitlement'],
  ['libs/tenant/src/probe.ts', '@kb/account'],
  ['libs/tag/src/probe.ts', '@kb/custom-field'], // a lib beside it, not below it
  ['libs/platform/src/probe.ts', '@kb/tenant'],
  ['libs/entitlement/src/probe.ts', '@kb/invoice'],
];
const ENGINE_FORBIDDEN: [string, string][] = [
  ['libs/entitlement/src/engine/probe.ts', '@kb/catalog'],
  ['libs/entitlement/src/engine/probe.ts', '@kb/platform'],
  ['libs/entitlement/src/engine/probe.ts', '@nestjs/common'],
  ['libs/entitlement/src/engine/probe.ts', 'typeorm'],
  ['libs/entitlement/src/engine/probe.ts', '../blocking-state.service'],
];
const ALLOWED: [string, string][] = [
  ['libs/entitlement/src/engine/probe.ts', '@kb/catalog/engine'],
  ['libs/entitlement/src/engine/probe.ts', '@kb/kernel'],
  ['libs/entitlement/src/probe.ts', '@kb/account'],
  ['libs/entitlement/src/probe.ts', '@kb/catalog'],
  ['libs/catalog/src/service/probe.ts', '@kb/tenant'],
  ['libs/account/src/probe.ts', '@kb/platform'],
  ['apps/killbill/src/probe.ts', '@kb/entitlement'],
];

describe('Module dependency direction', () => {
  const probes = [...FORBIDDEN, ...ALLOWED, ...ENGINE_FORBIDDEN].map(([file, target]) => importing(file, target));
  probes.push(importing('apps/killbill/src/probe.ts', '@kb/account/src/account.service'));
  let linted: ReturnType<typeof lintProbes>;
  const errorsOf = (index: number) => linted.messages[index].filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);

  beforeAll(() => {
    linted = lintProbes(probes);
  });

  it.each(FORBIDDEN.map((pair, index) => [...pair, index] as const))('%s may not import %s', (_file, target, index) => {
    expect(errorsOf(index)).toEqual([expect.stringContaining(`must not import ${target}`)]);
  });

  it.each(ALLOWED.map((pair, index) => [...pair, FORBIDDEN.length + index] as const))('%s may import %s', (_file, _target, index) => {
    expect(errorsOf(index)).toEqual([]);
  });

  it.each(ENGINE_FORBIDDEN.map((pair, index) => [...pair, FORBIDDEN.length + ALLOWED.length + index] as const))(
    'the engine %s may not import %s',
    (_file, _target, index) => {
      expect(errorsOf(index)).toEqual([expect.stringContaining('Engines import only')]);
    },
  );

  it('refuses a deep import into another lib', () => {
    expect(errorsOf(probes.length - 1)).toEqual([expect.stringContaining('through its index')]);
  });

  it('knows every lib, and nest-cli.json and tsconfig.json list each of them', () => {
    const LIB_LAYERS = linted.layers;
    const nestCli = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')) as { projects: Record<string, { type: string }> };
    const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
    for (const lib of LIBS) {
      expect(LIB_LAYERS.flat()).toContain(lib);
      expect(nestCli.projects[lib]?.type).toBe('library');
      expect(tsconfig.compilerOptions.paths[`@kb/${lib}`]).toEqual([`libs/${lib}/src/index.ts`]);
    }
  });
});
