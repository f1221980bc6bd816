/**
 * Jest 30 takes `testTimeout` only from the global configuration; this setup file (setupFilesAfterEnv
 * of the integration project) gives tests that start real servers and child processes room on a loaded
 * 2-core machine.
 */
jest.setTimeout(30_000);
