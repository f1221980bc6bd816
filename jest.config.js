/** @type {import('jest').Config} */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/unit'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'integration',
      // Real servers and child processes: generous under a loaded 2-core CI machine (applied by the setup
      // file, since Jest 30 reads testTimeout only from the global configuration).
      setupFilesAfterEnv: ['<rootDir>/test/integration/timeouts.ts'],
      testEnvironment: 'node',
      roots: ['<rootDir>/test/integration'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'e2e',
      // The built bot, the Agents Playground and headless Chromium as child processes; a cold build takes ~20 s.
      // Jest 30 reads testTimeout only globally, so test/e2e/support/timeouts.ts applies it for this project.
      testTimeout: 120000,
      setupFilesAfterEnv: ['<rootDir>/test/e2e/support/timeouts.ts'],
      // Builds dist/ once when src/ is newer, before the test files start bots from it in parallel.
      globalSetup: '<rootDir>/test/e2e/support/global-setup.ts',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/e2e'],
      transform: { '^.+\\.ts$': tsJest },
    },
  ],
};
