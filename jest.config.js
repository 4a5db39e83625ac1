/**
 * Jest runs the TypeScript sources as ES modules; the package name maps to `lib/`.
 *
 * Two projects, told apart by the file name: `*.int.spec.ts` are the integration tests (child
 * processes, Redis servers, the packed package, the sample app's process), provisioned by the
 * global setup; every other `*.spec.ts` runs within the Jest process, in seconds.
 */
const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^nestjs-smsbat-cascade$': '<rootDir>/lib/index.ts',
    '^nestjs-smsbat-cascade/testing$': '<rootDir>/lib/emulator/index.ts',
    '^nestjs-smsbat-cascade/health$': '<rootDir>/lib/health/index.ts',
    '^nestjs-smsbat-cascade/queue$': '<rootDir>/lib/queue/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
};

export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['\\.int\\.spec\\.ts$'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['**/*.int.spec.ts'],
      globalSetup: '<rootDir>/test/support/provision.ts',
    },
  ],
  testTimeout: 30000,
};
