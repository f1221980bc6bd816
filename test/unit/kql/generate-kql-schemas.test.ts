import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeWithSharedData, sharedDataPath } from '../../support/shared-data';

const projectRoot = path.resolve(__dirname, '..', '..', '..');
const script = path.join(projectRoot, 'scripts', 'generate-kql-schemas.mjs');
const committedDirectory = path.join(projectRoot, 'src', 'kql', 'schemas');
const exportPath = sharedDataPath('kql-schemas', 'sentinel-tables.json');
const generatedFiles = ['sentinel-tables.json', 'defender-tables.json', 'LICENSE-log-analytics.txt', 'README.md'];

type Tables = Record<string, Array<[string, string]>>;

function readTables(file: string): Tables {
  return (JSON.parse(readFileSync(file, 'utf8')) as { tables: Tables }).tables;
}

describeWithSharedData('scripts/generate-kql-schemas.mjs', exportPath, () => {
  let workDirectory: string;
  beforeAll(() => {
    workDirectory = mkdtempSync(path.join(tmpdir(), 'kql-schemas-'));
    execFileSync(process.execPath, [script, exportPath, '--out-dir', workDirectory], { stdio: 'pipe' });
  }, 60_000);
  afterAll(() => {
    rmSync(workDirectory, { recursive: true, force: true });
  });

  it.each(generatedFiles)('regenerates %s byte for byte', (file) => {
    const regenerated = readFileSync(path.join(workDirectory, file));
    const committed = readFileSync(path.join(committedDirectory, file));
    expect(regenerated.equals(committed)).toBe(true);
  });

  it('keeps every table and column of the export', () => {
    const exported = readTables(exportPath);
    const sentinel = readTables(path.join(committedDirectory, 'sentinel-tables.json'));
    expect(Object.keys(sentinel)).toHaveLength(751);
    expect(sentinel).toEqual(exported);
  });

  it('gives Defender tables Timestamp and none of the Log-Analytics-only columns', () => {
    const defender = readTables(path.join(committedDirectory, 'defender-tables.json'));
    expect(Object.keys(defender)).toEqual(
      expect.arrayContaining([
        'DeviceProcessEvents',
        'EmailEvents',
        'IdentityLogonEvents',
        'AlertInfo',
        'AlertEvidence',
      ]),
    );
    expect(Object.keys(defender)).not.toContain('SecurityEvent');
    expect(Object.keys(defender)).not.toContain('CloudHsmServiceOperationAuditLogs');
    for (const [table, columns] of Object.entries(defender)) {
      const names = columns.map(([name]) => name);
      expect({ table, timestamp: columns.find(([name]) => name === 'Timestamp') }).toEqual({
        table,
        timestamp: ['Timestamp', 'datetime'],
      });
      for (const dropped of ['TimeGenerated', 'TenantId', 'SourceSystem', 'Type', '_ResourceId']) {
        expect({ table, dropped, present: names.includes(dropped) }).toEqual({ table, dropped, present: false });
      }
    }
  });
});
