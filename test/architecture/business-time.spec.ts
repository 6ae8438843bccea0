import { lintProbes } from './lint-probes';

const READS = [
  ['new Date()', 'export const t = new Date();\n'],
  ['Date.now()', 'export const t = Date.now();\n'],
] as const;

/** Business time is read only through the Clock (the tenant's test clock in test mode): linted. */
describe('Reading the time', () => {
  const probes = [
    ...READS.map(([, source]) => ({ file: 'libs/account/src/probe.ts', source })),
    ...READS.map(([, source]) => ({ file: 'apps/killbill/src/resources/probe.ts', source })),
    ...READS.map(([, source]) => ({ file: 'libs/platform/src/clock/clock.ts', source })),
    { file: 'libs/account/src/probe.ts', source: 'export const t = new Date(0);\nexport const e = performance.now();\n' },
  ];
  let linted: ReturnType<typeof lintProbes>;
  const timeErrors = (index: number) => linted.messages[index].filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);

  beforeAll(() => {
    linted = lintProbes(probes);
  });

  it.each([0, 1, 2, 3])('fails the lint for a system-time read in a lib or the app (probe %i)', (index) => {
    expect(timeErrors(index)).toEqual([expect.stringContaining('through Clock')]);
  });

  it('lets the clock itself read the system time', () => {
    expect([timeErrors(4), timeErrors(5)]).toEqual([[], []]);
  });

  it('allows a fixed date and elapsed time', () => {
    expect(timeErrors(6)).toEqual([]);
  });
});
