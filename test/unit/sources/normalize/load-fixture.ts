import { readFileSync } from 'node:fs';
import path from 'node:path';

const fixturesDirectory = path.join(__dirname, '..', '..', '..', 'fixtures', 'alerts');

/** A recorded alert or incident payload from test/fixtures/alerts, parsed fresh for every call. */
export function loadAlertFixture(fileName: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(fixturesDirectory, fileName), 'utf8')) as Record<string, unknown>;
}
