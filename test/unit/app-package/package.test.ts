import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestOf, packageApp, sampleValues } from './package-app';
import { repositoryRoot } from './run-script';

jest.setTimeout(60_000);

describe('npm run package (scripts/package-app.mjs)', () => {
  it('zips exactly manifest.json, color.png and outline.png at the root', () => {
    const result = packageApp(sampleValues);
    expect(result.status).toBe(0);
    expect(result.entries?.map((entry) => entry.name)).toEqual(['manifest.json', 'color.png', 'outline.png']);
    for (const icon of ['color.png', 'outline.png']) {
      const packaged = result.entries?.find((entry) => entry.name === icon)?.data;
      expect(packaged?.equals(readFileSync(join(repositoryRoot, 'appPackage', icon)))).toBe(true);
    }
    expect(result.entries?.[0].data.toString('utf8')).not.toContain('${{');
  });

  it('writes the same bytes for the same inputs', () => {
    const first = packageApp(sampleValues);
    const second = packageApp(sampleValues);
    expect(first.zip).toBeDefined();
    expect(first.zip?.equals(second.zip as Buffer)).toBe(true);
  });

  it('escapes values for JSON and accepts an empty name suffix', () => {
    expect(manifestOf(packageApp({ ...sampleValues, APP_NAME_SUFFIX: ' "beta" \\' })).name.short).toBe(
      'SOC Copilot "beta" \\',
    );
    expect(manifestOf(packageApp({ ...sampleValues, APP_NAME_SUFFIX: '' })).name.short).toBe('SOC Copilot');
  });

  it('fails naming every placeholder left without a value, and writes no zip', () => {
    const result = packageApp({ ...sampleValues, BOT_ID: '', TEAMS_APP_ID: '' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no value for TEAMS_APP_ID, BOT_ID');
    expect(result.entries).toBeUndefined();
  });

  it('fails naming an env file that does not exist', () => {
    const result = packageApp(sampleValues, ['--env', 'no-such-environment']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('env/.env.no-such-environment does not exist');
  });

  it('rejects an environment name that would leave env/', () => {
    const result = packageApp(sampleValues, ['--env', '../package']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is not a valid environment name');
    expect(existsSync(join(repositoryRoot, 'appPackage', 'build', 'appPackage.../package.zip'))).toBe(false);
  });
});
