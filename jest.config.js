/** Jest runs the TypeScript sources as ES modules; the package name maps to `lib/`. */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
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
  testTimeout: 30000,
};
