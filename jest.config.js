/** @type {import('jest').Config} */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const common = { testEnvironment: 'node', testMatch: ['**/*.test.ts'], transform };

// The SDK's notice that releases after January 2027 need Node 22 says nothing about our code; keep test output readable.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// EMF lines on stdout would bury the test output; tests that check metrics spy on addMetric.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

// Two projects so that DynamoDB Local (Java) starts only when integration tests run.
module.exports = {
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/test'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/'] },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/test/integration'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
  ],
};
