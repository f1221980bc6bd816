import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CopilotError } from '../../../../src/errors';
import { AttackKnowledge, attackKnowledge, attackKnowledgeFor, attackStixPath } from '../../../../src/intel/attack';
import * as bundleDetails from '../../../../src/intel/attack/bundle-details';
import { fixtureBundle, fixtureObjects, fixtureTexts, writeFixtureBundle } from './stix-fixture';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'attack-details-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('AttackKnowledge.details from a configured bundle', () => {
  test.each(['enterprise-attack.json', 'enterprise-attack.json.gz'])(
    '%s: description, detection, mitigations',
    async (name) => {
      const knowledge = new AttackKnowledge({ stixPath: writeFixtureBundle(directory, name) });
      expect(knowledge.detailsConfigured).toBe(true);
      const details = await knowledge.details('t1059/001');
      expect(details).toEqual({
        id: 'T1059.001',
        description:
          'Synthetic text: adversaries run scripts in an interpreter. It often follows User Execution and uses ' +
          '-EncodedCommand.\n\nA second paragraph that only the full text shows.',
        detection: [
          {
            id: 'DET0455',
            name: 'Synthetic PowerShell strategy',
            url: 'https://attack.mitre.org/detectionstrategies/DET0455/',
            analytics: [
              {
                id: 'AN1252',
                platforms: ['Windows'],
                description: 'Synthetic analytic: look for encoded commands started by unusual parents.',
                logSources: [
                  { name: 'WinEventLog:Sysmon', channel: 'EventCode=1', dataComponentId: 'DC0032' },
                  { name: 'WinEventLog:PowerShell', channel: 'EventCode=4104', dataComponentId: 'DC0029' },
                  { name: 'WinEventLog:Sysmon', channel: 'EventCode=1', dataComponentId: 'DC0032' },
                ],
              },
            ],
          },
        ],
        mitigations: [
          {
            id: 'M1045',
            name: 'Code Signing',
            description: fixtureTexts.mitigationSpecific,
            url: 'https://attack.mitre.org/mitigations/M1045/',
          },
          {
            id: 'M1049',
            name: 'Antivirus/Antimalware',
            description: fixtureTexts.mitigationGeneral,
            url: 'https://attack.mitre.org/mitigations/M1049/',
          },
        ],
        dataComponents: [
          {
            id: 'DC0029',
            name: 'Script Execution',
            logSources: [{ name: 'WinEventLog:PowerShell', channel: 'EventCode=4104' }],
          },
          {
            id: 'DC0032',
            name: 'Process Creation',
            logSources: [{ name: 'WinEventLog:Sysmon', channel: 'EventCode=1' }],
          },
        ],
      });
    },
  );

  test('bundles before ATT&CK v18: the free-text detection field and directly linked data components', async () => {
    const knowledge = new AttackKnowledge({ stixPath: writeFixtureBundle(directory, 'legacy.json') });
    const details = await knowledge.details('T1566.001');
    expect(details?.detection).toEqual([
      { name: 'Detection', description: 'Synthetic free-text detection guidance from an older bundle.', analytics: [] },
    ]);
    expect(details?.dataComponents).toEqual([{ id: 'DC0039', name: 'File Creation', logSources: [] }]);
    // The only mitigates link to it is revoked.
    expect(details?.mitigations).toEqual([]);
  });

  test('a revoked ID gives its replacement; unknown IDs and non-IDs give undefined', async () => {
    const knowledge = new AttackKnowledge({ stixPath: writeFixtureBundle(directory, 'revoked.json') });
    expect((await knowledge.details('T1143'))?.id).toBe('T1564.003');
    expect(await knowledge.details('T1003')).toBeUndefined(); // a real technique the small bundle lacks
    expect(await knowledge.details('T9999')).toBeUndefined();
    expect(await knowledge.details('powershell')).toBeUndefined();
  });

  test('without a bundle there are no details, and nothing is read', async () => {
    const load = jest.spyOn(bundleDetails, 'loadTechniqueDetails');
    for (const knowledge of [new AttackKnowledge(), new AttackKnowledge({ stixPath: '  ' })]) {
      expect(knowledge.detailsConfigured).toBe(false);
      expect(await knowledge.details('T1059.001')).toBeUndefined();
      expect(await knowledge.loadDetails()).toBeUndefined();
    }
    expect(load).not.toHaveBeenCalled();
  });

  test('the bundle is read once, even by concurrent callers, and callers get their own copies', async () => {
    const load = jest.spyOn(bundleDetails, 'loadTechniqueDetails');
    const path = writeFixtureBundle(directory, 'once.json.gz');
    const knowledge = new AttackKnowledge({ stixPath: path });
    const [first, second] = await Promise.all([knowledge.details('T1059.001'), knowledge.details('T1059.001')]);
    expect(first).toEqual(second);
    first?.mitigations.splice(0);
    rmSync(path);
    expect((await knowledge.details('T1059.001'))?.mitigations).toHaveLength(2);
    expect(await knowledge.loadDetails()).toMatchObject({ path, objects: fixtureObjects().length, techniques: 4 });
    expect(load).toHaveBeenCalledTimes(1);
  });

  test('a question that is not a technique ID does not start reading a broken bundle', async () => {
    const load = jest.spyOn(bundleDetails, 'loadTechniqueDetails');
    const knowledge = new AttackKnowledge({ stixPath: join(directory, 'absent.json') });
    expect(await knowledge.details('powershell')).toBeUndefined();
    expect(load).not.toHaveBeenCalled();
    await expect(knowledge.details('T1059')).rejects.toMatchObject({ code: 'config_invalid' });
  });

  test('techniques of other ATT&CK domains in the same file are ignored', async () => {
    const objects = fixtureObjects();
    const mobile = { ...objects.find((stixObject) => stixObject.name === 'Spearphishing Attachment') };
    Object.assign(mobile, {
      id: 'attack-pattern--99999999-0000-4000-8000-000000000000',
      description: 'Synthetic mobile text.',
      x_mitre_domains: ['mobile-attack'],
      external_references: [{ source_name: 'mitre-attack', external_id: 'T1003' }],
    });
    const path = writeFixtureBundle(directory, 'mixed.json', fixtureBundle([...objects, mobile]));
    const knowledge = new AttackKnowledge({ stixPath: path });
    expect(await knowledge.details('T1003')).toBeUndefined();
    expect((await knowledge.details('T1566.001'))?.description).toBe('Synthetic attachment text.');
  });

  test('subTechniques lists the active sub-techniques of a technique', () => {
    const knowledge = new AttackKnowledge();
    const ids = knowledge.subTechniques('T1059').map((technique) => technique.id);
    expect(ids).toContain('T1059.001');
    expect(ids.every((id) => id.startsWith('T1059.'))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(knowledge.subTechniques('T1059.001')).toEqual([]);
    expect(knowledge.subTechniques('T9999')).toEqual([]);
  });
});

describe('a wrong or broken ATTACK_STIX_PATH', () => {
  const gzip = (text: string) => gzipSync(Buffer.from(text));
  const cases: Array<[string, () => string, RegExp]> = [
    ['a missing file', () => join(directory, 'absent.json'), /does not exist/],
    ['a directory', () => makeDirectory('a-directory'), /is a directory/],
    ['a URL', () => 'https://example.org/enterprise-attack.json', /is a URL; download the bundle/],
    ['an empty file', () => write('empty.json', ''), /not valid JSON/],
    [
      'corrupt gzip',
      () =>
        write(
          'corrupt.json.gz',
          Buffer.concat([gzip('{"type":"bundle"').subarray(0, 10), Buffer.from('garbage-bytes')]),
        ),
      /gzip/,
    ],
    [
      'truncated gzip',
      () => write('truncated.json.gz', gzip(JSON.stringify(fixtureBundle())).subarray(0, 200)),
      /gzip|ends early/,
    ],
    ['truncated JSON', () => write('truncated.json', JSON.stringify(fixtureBundle()).slice(0, 500)), /ends early/],
    ['text that is not JSON', () => write('notes.txt', 'Hello, this is not ATT&CK.'), /not valid JSON/],
    ['JSON that is not a bundle', () => write('other.json', '{"type": "report", "objects": []}'), /not a STIX bundle/],
    ['an array', () => write('array.json', '[{"type": "attack-pattern"}]'), /not a STIX bundle/],
    [
      'a bundle without techniques',
      () => writeFixtureBundle(directory, 'no-techniques.json', fixtureBundle(withoutTechniques())),
      /no Enterprise ATT&CK techniques/,
    ],
    [
      'the Mobile bundle',
      () => writeFixtureBundle(directory, 'mobile.json', fixtureBundle(mobileOnly())),
      /no Enterprise ATT&CK techniques/,
    ],
    [
      'a malformed technique',
      () => writeFixtureBundle(directory, 'malformed.json', fixtureBundle(malformedTechnique())),
      /attack-pattern .* is malformed: description/,
    ],
  ];

  test.each(cases)(
    '%s is a config_invalid error naming ATTACK_STIX_PATH; the compact facts keep working',
    async (_, makePath, reason) => {
      const load = jest.spyOn(bundleDetails, 'loadTechniqueDetails');
      const path = makePath();
      const knowledge = new AttackKnowledge({ stixPath: path });
      const failure = await knowledge.details('T1059.001').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(CopilotError);
      const error = failure as CopilotError;
      expect(error.code).toBe('config_invalid');
      expect(error.message).toContain(`ATTACK_STIX_PATH (${path})`);
      expect(error.message).toMatch(reason);
      expect(error.userMessage).toContain('ATTACK_STIX_PATH');
      expect(knowledge.technique('T1059.001')?.name).toBe('PowerShell');
      expect(knowledge.search('kerberoasting')[0].id).toBe('T1558.003');
      // The failure is remembered: asking again does not read the file again.
      await expect(knowledge.loadDetails()).rejects.toBe(error);
      expect(load).toHaveBeenCalledTimes(1);
    },
  );
});

describe('the environment', () => {
  test('ATTACK_STIX_PATH picks one shared instance per path; unset or blank means the shared compact instance', () => {
    expect(attackStixPath({})).toBeUndefined();
    expect(attackStixPath({ ATTACK_STIX_PATH: '   ' })).toBeUndefined();
    expect(attackStixPath({ ATTACK_STIX_PATH: ' /x/enterprise-attack.json ' })).toBe('/x/enterprise-attack.json');
    expect(attackKnowledgeFor({})).toBe(attackKnowledge());
    const configured = attackKnowledgeFor({ ATTACK_STIX_PATH: '/x/enterprise-attack.json' });
    expect(configured.detailsConfigured).toBe(true);
    expect(attackKnowledgeFor({ ATTACK_STIX_PATH: '/x/enterprise-attack.json' })).toBe(configured);
    expect(attackKnowledgeFor({ ATTACK_STIX_PATH: '/y/enterprise-attack.json' })).not.toBe(configured);
  });
});

function write(name: string, content: string | Buffer): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

function makeDirectory(name: string): string {
  const path = join(directory, name);
  mkdirSync(path, { recursive: true });
  return path;
}

function withoutTechniques() {
  return fixtureObjects().filter((stixObject) => stixObject.type !== 'attack-pattern');
}

function mobileOnly() {
  return fixtureObjects().map((stixObject) =>
    stixObject.type === 'attack-pattern' ? { ...stixObject, x_mitre_domains: ['mobile-attack'] } : stixObject,
  );
}

function malformedTechnique() {
  const objects = fixtureObjects();
  const index = objects.findIndex((stixObject) => stixObject.type === 'attack-pattern');
  objects[index] = { ...objects[index], description: 42 };
  return objects;
}
