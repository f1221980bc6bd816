import { existsSync } from 'node:fs';
import path from 'node:path';

/** The read-only ../shared folder beside the project: development data for tests, never for the product. */
export const sharedRoot = path.resolve(__dirname, '..', '..', '..', 'shared');

export function sharedDataPath(...parts: string[]): string {
  return path.join(sharedRoot, 'data', ...parts);
}

/**
 * Runs `body` when the shared file exists. When it does not, the suite still runs one test that says
 * why the data tests did not run and checks the file really is absent (so a typo in the path fails
 * instead of silently skipping).
 */
export function describeWithSharedData(name: string, file: string, body: () => void): void {
  if (existsSync(file)) {
    describe(name, body);
    return;
  }
  describe(name, () => {
    it(`needs ${path.relative(sharedRoot, file)} from ../shared, which is absent here`, () => {
      console.warn(`${name}: not run, ${file} is absent.`);
      expect(existsSync(sharedRoot) && existsSync(path.dirname(file)) && existsSync(file)).toBe(false);
    });
  });
}
