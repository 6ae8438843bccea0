/**
 * Two jest projects, one run (`npm test`): `engine` (pure code, no database: it never starts
 * PostgreSQL) and `database` (HTTP and persistence tests against a real PostgreSQL, started once by
 * the project's global setup). `npm run test:engine` runs the first alone.
 */
const swcConfig = {
  sourceMaps: 'inline',
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  moduleNameMapper: { '^@kb/catalog/engine$': '<rootDir>/libs/catalog/src/engine.ts', '^@kb/([a-z-]+)/engine$': '<rootDir>/libs/$1/src/engine/index.ts', '^@kb/(.*)$': '<rootDir>/libs/$1/src/index.ts' },
};

module.exports = {
  testTimeout: 60000,
  maxWorkers: process.env.JEST_MAX_WORKERS || '50%',
  projects: [
    {
      ...shared,
      displayName: 'engine',
      roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test/architecture', '<rootDir>/test/contract'],
      testMatch: ['**/test/**/*.spec.ts', '<rootDir>/test/architecture/**/*.spec.ts', '<rootDir>/test/contract/**/*.spec.ts'],
      // Engine tests must not reach a database: the database project's setup never runs for them.
      setupFiles: ['<rootDir>/test/support/no-database.ts'],
    },
    {
      ...shared,
      displayName: 'database',
      roots: ['<rootDir>/test/http'],
      testMatch: ['**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
