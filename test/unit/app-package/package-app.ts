import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ScriptResult, runScript } from './run-script';
import { type ZipEntry, readZip } from './zip';

/** Values for every placeholder in appPackage/manifest.json, as a provisioned environment would have them. */
export const sampleValues = {
  TEAMS_APP_ID: '3f2a1c4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
  BOT_ID: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
  BOT_DOMAIN: 'soc-copilot.example.com',
  APP_NAME_SUFFIX: ' (test)',
};

export interface PackageResult extends ScriptResult {
  /** The zip's entries, or undefined when the script wrote no zip. */
  entries?: ZipEntry[];
  zip?: Buffer;
}

/** Runs `npm run package` (scripts/package-app.mjs) into a temporary directory; real variables win over env files. */
export function packageApp(environment: Record<string, string>, args: string[] = []): PackageResult {
  const directory = mkdtempSync(join(tmpdir(), 'soc-copilot-app-package-'));
  try {
    const output = join(directory, 'appPackage.zip');
    const result = runScript('package-app.mjs', ['--output', output, ...args], environment);
    if (result.status !== 0) return result;
    const zip = readFileSync(output);
    return { ...result, zip, entries: readZip(zip) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export function manifestOf(result: PackageResult): any {
  const entry = result.entries?.find((candidate) => candidate.name === 'manifest.json');
  if (!entry) throw new Error(`no manifest.json in the package; the script said: ${result.stderr}`);
  return JSON.parse(entry.data.toString('utf8'));
}
