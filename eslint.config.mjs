// Lint: typescript-eslint's recommended rules, plus the project's import boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Kill Bill's module order, lowest first: a lib imports only libs of a lower layer (never one beside
 * or above it). A lower module reacts to a higher one through bus events; an operation spanning
 * modules is orchestrated above them, in apps/killbill.
 */
export const LIB_LAYERS = [
  ['kernel'],
  ['platform'],
  ['tenant', 'security', 'tag', 'custom-field'],
  ['account'],
  ['catalog'],
  ['entitlement'],
  ['usage'],
  ['invoice'],
  ['payment'],
  ['overdue'],
  ['notification'],
];

const DEEP_IMPORTS = { group: ['@kb/*/src/*', '**/libs/*/src/*'], message: 'Import a lib through its index (@kb/<lib>).' };

/** The `no-restricted-imports` block of one lib: deep imports and every lib not below it. */
function dependencyDirection(lib, layer) {
  const forbidden = LIB_LAYERS.slice(layer)
    .flat()
    .filter((other) => other !== lib);
  return {
    files: [`libs/${lib}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            DEEP_IMPORTS,
            ...forbidden.map((other) => ({
              group: [`@kb/${other}`, `**/libs/${other}/**`],
              message: `@kb/${lib} must not import @kb/${other}: dependencies point down (${LIB_LAYERS.map((l) => l.join('|')).join(' ← ')}).`,
            })),
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'openapi/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { project: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unsafe-function-type': 'off',
      'no-restricted-imports': ['error', { patterns: [DEEP_IMPORTS] }],
    },
  },
  ...LIB_LAYERS.flatMap((libs, layer) => libs.map((lib) => dependencyDirection(lib, layer))),
  {
    // The kernel is pure: big.js and js-joda, nothing else (no Nest, no TypeORM, no other lib).
    files: ['libs/kernel/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!big\\.js$|@js-joda/core$|@js-joda/timezone$|\\.\\.?/)', message: 'The kernel imports only big.js and js-joda.' }] },
      ],
    },
  },
  {
    // Engines (the catalog engine; the service layer under service/ is the Nest side) import only the kernel.
    files: ['libs/catalog/src/**/*.ts', 'libs/kernel/test/**/*.ts'],
    ignores: ['libs/catalog/src/service/**', 'libs/catalog/src/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            DEEP_IMPORTS,
            {
              group: ['@nestjs/*', 'typeorm', 'reflect-metadata', '@kb/*', '!@kb/kernel', '**/service', '**/service/*'],
              message: 'Engines import only @kb/kernel (plus big.js, js-joda, xml2js).',
            },
          ],
        },
      ],
    },
  },
  {
    // The engines of the billing core (libs/<lib>/src/engine): pure functions over plain data, like the
    // catalog engine; they may use the kernel and the catalog engine, nothing with Nest or a database.
    files: ['libs/*/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            DEEP_IMPORTS,
            {
              regex: '^(@nestjs/|typeorm$|pg$|reflect-metadata$|@kb/(?!kernel$|catalog/engine$|entitlement/engine$|invoice/engine$|payment/engine$|overdue/engine$)|\\.\\./)',
              message: 'Engines import only @kb/kernel, the engines of lower libs (@kb/<lib>/engine) and their own files (plus big.js, js-joda).',
            },
          ],
        },
      ],
    },
  },
  {
    // Business time is the clock's (Clock.now(): the tenant's test clock in test mode); elapsed time
    // (deadlines, cache ages) is performance.now(). Only the clock itself reads the system time.
    files: ['{apps,libs}/**/*.ts'],
    ignores: ['libs/platform/src/clock/clock.ts', 'libs/*/test/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Read the time through Clock (clock.now()), not new Date().' },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Read the time through Clock (clock.now()), or measure elapsed time with performance.now().',
        },
      ],
    },
  },
  {
    files: ['{apps,libs}/**/*.ts'],
    ignores: ['libs/platform/src/config/config.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through KillBillConfig.' }] },
  },
);
