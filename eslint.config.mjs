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
    files: ['libs/platform/src/config/config.ts'],
    rules: {},
  },
  {
    files: ['{apps,libs}/**/*.ts'],
    ignores: ['libs/platform/src/config/config.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through KillBillConfig.' }] },
  },
);
