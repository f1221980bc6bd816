import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactAttackSchema } from '../../../../src/intel/attack';
import { bundlePath, missingSharedMessage, projectRoot } from './shared-data';

const script = join(projectRoot, 'scripts/generate-attack.mjs');
const committedDirectory = join(projectRoot, 'src/intel/attack/data');
const generatedFiles = ['attack-compact.json', 'LICENSE-ATTACK.txt', 'README.md'];

function runGenerator(args: string[]): string {
  return execFileSync(process.execPath, [script, ...args], { encoding: 'utf8', stdio: 'pipe' });
}

describe('scripts/generate-attack.mjs', () => {
  let workDirectory: string;
  beforeEach(() => {
    workDirectory = mkdtempSync(join(tmpdir(), 'attack-generate-'));
  });
  afterEach(() => {
    rmSync(workDirectory, { recursive: true, force: true });
  });

  if (existsSync(bundlePath)) {
    test('regenerating from the shared bundle is byte-for-byte identical to the committed files', () => {
      const committedVersion = (
        JSON.parse(readFileSync(join(committedDirectory, generatedFiles[0]), 'utf8')) as {
          attackVersion: string;
        }
      ).attackVersion;
      runGenerator([bundlePath, '--out-dir', workDirectory, '--attack-version', committedVersion]);
      for (const file of generatedFiles) {
        const regenerated = readFileSync(join(workDirectory, file));
        const committed = readFileSync(join(committedDirectory, file));
        expect({ file, identical: regenerated.equals(committed) }).toEqual({ file, identical: true });
      }
    }, 60_000);
  } else {
    test('regeneration check needs ../shared', () => {
      console.warn(missingSharedMessage(bundlePath, 'regenerating the compact ATT&CK table'));
      expect(existsSync(bundlePath)).toBe(false);
    });
  }

  test('the committed table passes the schema the product loads it with', () => {
    const committed: unknown = JSON.parse(readFileSync(join(committedDirectory, generatedFiles[0]), 'utf8'));
    expect(compactAttackSchema.safeParse(committed).success).toBe(true);
  });

  test('the committed licence file and the table itself reproduce MITRE copyright and licence', () => {
    const licenceFile = readFileSync(join(committedDirectory, 'LICENSE-ATTACK.txt'), 'utf8');
    const table = JSON.parse(readFileSync(join(committedDirectory, generatedFiles[0]), 'utf8')) as { license: string };
    for (const licence of [licenceFile, table.license]) {
      expect(licence).toContain(
        'The MITRE Corporation (MITRE) hereby grants you a non-exclusive, royalty-free license',
      );
      expect(licence).toMatch(/© \d{4} The MITRE Corporation/);
    }
  });

  describe('on a small synthetic bundle', () => {
    const marking = 'marking-definition--1';
    const reference = (id: string) => [{ source_name: 'mitre-attack', external_id: id }];
    const synthetic = {
      type: 'bundle',
      id: 'bundle--synthetic',
      objects: [
        { type: 'marking-definition', id: marking, definition: { statement: 'Copyright test.' } },
        {
          type: 'x-mitre-collection',
          id: 'x-mitre-collection--1',
          x_mitre_version: '99.0',
          modified: '2030-01-02T00:00:00.000Z',
        },
        { type: 'x-mitre-matrix', id: 'x-mitre-matrix--1', tactic_refs: ['x-mitre-tactic--b', 'x-mitre-tactic--a'] },
        {
          type: 'x-mitre-tactic',
          id: 'x-mitre-tactic--a',
          name: 'Impact',
          x_mitre_shortname: 'impact',
          external_references: reference('TA0040'),
        },
        {
          type: 'x-mitre-tactic',
          id: 'x-mitre-tactic--b',
          name: 'Execution',
          x_mitre_shortname: 'execution',
          external_references: reference('TA0002'),
        },
        {
          type: 'attack-pattern',
          id: 'attack-pattern--parent',
          name: 'Parent',
          description: 'Prose that must never reach the compact table.',
          external_references: reference('T0001'),
          kill_chain_phases: [
            { kill_chain_name: 'mitre-attack', phase_name: 'impact' },
            { kill_chain_name: 'mitre-attack', phase_name: 'execution' },
          ],
          x_mitre_platforms: ['Windows', 'Linux'],
        },
        {
          type: 'attack-pattern',
          id: 'attack-pattern--child',
          name: 'Child',
          external_references: reference('T0001.001'),
          x_mitre_is_subtechnique: true,
        },
        {
          type: 'attack-pattern',
          id: 'attack-pattern--old',
          name: 'Old',
          external_references: reference('T0002'),
          revoked: true,
        },
        {
          type: 'attack-pattern',
          id: 'attack-pattern--older',
          name: 'Older',
          external_references: reference('T0003'),
          revoked: true,
        },
        {
          type: 'x-mitre-data-component',
          id: 'x-mitre-data-component--1',
          name: 'Process Creation',
          external_references: reference('DC0032'),
        },
        {
          type: 'relationship',
          id: 'relationship--1',
          relationship_type: 'subtechnique-of',
          source_ref: 'attack-pattern--child',
          target_ref: 'attack-pattern--parent',
        },
        // T0003 was revoked by T0002, itself later revoked by T0001: the table must point T0003 straight at T0001.
        {
          type: 'relationship',
          id: 'relationship--2',
          relationship_type: 'revoked-by',
          source_ref: 'attack-pattern--older',
          target_ref: 'attack-pattern--old',
        },
        {
          type: 'relationship',
          id: 'relationship--3',
          relationship_type: 'revoked-by',
          source_ref: 'attack-pattern--old',
          target_ref: 'attack-pattern--parent',
        },
        // ATT&CK v11–v17 style: the data component detects the technique directly.
        {
          type: 'relationship',
          id: 'relationship--4',
          relationship_type: 'detects',
          source_ref: 'x-mitre-data-component--1',
          target_ref: 'attack-pattern--parent',
        },
      ],
    };

    test('keeps facts only, orders tactics by the matrix and collapses revocation chains', () => {
      const source = join(workDirectory, 'bundle.json');
      writeFileSync(source, JSON.stringify(synthetic));
      writeFileSync(join(workDirectory, 'LICENSE.txt'), 'licence text');
      const outDirectory = join(workDirectory, 'out');
      runGenerator([source, '--out-dir', outDirectory]);
      const json = readFileSync(join(outDirectory, 'attack-compact.json'), 'utf8');
      expect(json).not.toContain('Prose');
      const table = compactAttackSchema.parse(JSON.parse(json));
      expect(table.attackVersion).toBe('99.0');
      expect(table.license).toBe('licence text');
      expect(table.tactics.map((tactic) => [tactic.id, tactic.order])).toEqual([
        ['TA0002', 1],
        ['TA0040', 2],
      ]);
      const byId = new Map(table.techniques.map((technique) => [technique.id, technique]));
      expect(byId.get('T0001')).toMatchObject({
        tactics: ['execution', 'impact'],
        platforms: ['Linux', 'Windows'],
        dataComponents: ['DC0032'],
      });
      expect(byId.get('T0001.001')).toMatchObject({ isSubtechnique: true, parent: 'T0001' });
      expect(byId.get('T0003')).toMatchObject({ revoked: true, revokedBy: 'T0001' });
      expect(readFileSync(join(outDirectory, 'LICENSE-ATTACK.txt'), 'utf8')).toBe('licence text');
      // One record per line keeps diffs readable when MITRE updates ATT&CK.
      expect(json.split('\n').filter((line) => line.startsWith('{"dataComponents"'))).toHaveLength(4);
    });

    test('refuses to run without the licence or without a version', () => {
      const source = join(workDirectory, 'bundle.json');
      writeFileSync(source, JSON.stringify(synthetic));
      expect(() => runGenerator([source, '--out-dir', join(workDirectory, 'out')])).toThrow(
        /licence text was not found/,
      );
      const withoutCollection = {
        ...synthetic,
        objects: synthetic.objects.filter((item) => item.type !== 'x-mitre-collection'),
      };
      writeFileSync(source, JSON.stringify(withoutCollection));
      writeFileSync(join(workDirectory, 'LICENSE.txt'), 'licence text');
      expect(() => runGenerator([source, '--out-dir', join(workDirectory, 'out')])).toThrow(/pass --attack-version/);
    });
  });
});
