/**
 * Jest 30 takes `testTimeout` only from the global configuration: the value in the e2e project of
 * jest.config.js documents the intent, this setup file (setupFilesAfterEnv) applies it. Starting the
 * built bot (building it first when src/ is newer), the Playground and Chromium takes tens of seconds.
 */
jest.setTimeout(120_000);
