// Lint: typescript-eslint's recommended rules, plus the project's import boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
      'no-restricted-imports': ['error', { patterns: [{ group: ['@kb/*/src/*', '**/libs/*/src/*'], message: 'Import a lib through its index (@kb/<lib>).' }] }],
    },
  },
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
            { group: ['@kb/*/src/*', '**/libs/*/src/*'], message: 'Import a lib through its index (@kb/<lib>).' },
            { group: ['@nestjs/*', 'typeorm', 'reflect-metadata', '@kb/*', '!@kb/kernel', '**/service', '**/service/*'], message: 'Engines import only @kb/kernel (plus big.js, js-joda, xml2js).' },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/platform/src/config/config.ts'],
    rules: {},
  },
  {
    files: ['{apps,libs}/**/*.ts'],
    ignores: ['libs/platform/src/config/config.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through KillBillConfig.' }] },
  },
);
