import { builtFile } from '../../support/built';

/**
 * Runs once before the e2e test files (jest `globalSetup` of the e2e project): brings dist/ up to date
 * with src/, so the test files, which run in parallel, never build at the same time.
 */
export default function buildOnce(): void {
  try {
    builtFile('index.js');
  } catch (error) {
    const output = (error as { stdout?: Buffer | string }).stdout?.toString() ?? '';
    throw new Error(
      `The e2e tests run the built bot, and building it failed (tsc -p tsconfig.build.json):\n${output.slice(-4000)}`,
    );
  }
}
