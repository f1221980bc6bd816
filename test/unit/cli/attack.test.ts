import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { attackCommand } from '../../../src/cli/commands/attack';
import type { CliIo } from '../../../src/cli/io';
import { expectValidCard, renderedText } from '../../support/cards';
import { writeFixtureBundle } from '../intel/attack/stix-fixture';

/** A CLI run without a process: what the command printed and the exit code it chose. */
async function run(argv: string[], environment: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdin: Readable.from([]),
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    environment,
  };
  const code = await attackCommand(argv, io, environment);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> };
}

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'attack-cli-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('soc-copilot attack', () => {
  test('an ID prints the technique with its sub-techniques as JSON, without details when no bundle is set', async () => {
    const result = await run(['t1059']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const output = result.json();
    expect(output.attackVersion).toBe('18.1');
    expect(output.technique).toMatchObject({ id: 'T1059', fullName: 'Command and Scripting Interpreter' });
    expect(output.technique.tactics.map((tactic: { name: string }) => tactic.name)).toEqual(['Execution']);
    expect(output.subTechniques).toContainEqual({ id: 'T1059.001', name: 'PowerShell' });
    expect(output).not.toHaveProperty('details');
    expect(output).not.toHaveProperty('otherMatches');
  });

  test('a name searches: the best match in full and the others by name', async () => {
    const result = await run(['PowerShell']);
    expect(result.code).toBe(0);
    expect(result.json().technique.id).toBe('T1059.001');
    const multiWord = await run(['Spearphishing', 'Attachment']);
    expect(multiWord.json().technique.id).toBe('T1566.001');
    const partial = await run(['credential dumping']);
    expect(partial.json().technique.id).toBe('T1003');
    expect(partial.json().otherMatches.length).toBeGreaterThan(0);
    expect(partial.json().otherMatches[0]).toEqual({
      id: expect.stringMatching(/^T1003\.\d{3}$/),
      fullName: expect.any(String),
    });
  });

  test('a revoked ID prints its replacement, saying which ID was asked for', async () => {
    const result = await run(['T1143']);
    expect(result.json().technique).toMatchObject({ id: 'T1564.003', resolvedFrom: 'T1143' });
  });

  test.each([['T9999'], ['zzqxv'], ['TA0002']])('%s is an unknown technique: exit 1', async (query) => {
    const result = await run([query]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain(`unknown technique "${query}"`);
    expect(result.stderr).toContain('ATT&CK Enterprise v18.1');
  });

  test.each([[[] as string[]], [['  ']], [['--bogus', 'T1059']], [['--card=yes', 'T1059']]])(
    'bad usage %j: exit 2 with the usage on stderr',
    async (argv) => {
      const result = await run(argv);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toContain('Usage: soc-copilot attack');
    },
  );

  test('--help prints the usage and succeeds', async () => {
    const result = await run(['--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('ATTACK_STIX_PATH');
  });

  test('with ATTACK_STIX_PATH the answer adds description, detection and mitigations', async () => {
    const environment = { ATTACK_STIX_PATH: writeFixtureBundle(directory, 'enterprise-attack.json.gz') };
    const result = await run(['T1059.001'], environment);
    expect(result.code).toBe(0);
    const details = result.json().details;
    expect(details.description).toMatch(/^Synthetic text/);
    expect(details.detection[0]).toMatchObject({ id: 'DET0455', analytics: [{ id: 'AN1252' }] });
    expect(details.mitigations.map((mitigation: { id: string }) => mitigation.id)).toEqual(['M1045', 'M1049']);
    // A technique the bundle lacks still answers from the compact facts.
    const missing = await run(['T1003'], environment);
    expect(missing.code).toBe(0);
    expect(missing.json()).not.toHaveProperty('details');
  });

  test('a broken ATTACK_STIX_PATH is bad configuration: exit 2, naming the variable', async () => {
    const path = join(directory, 'broken.json');
    writeFileSync(path, '{"type": "bundle", "objects": [');
    const result = await run(['T1059.001'], { ATTACK_STIX_PATH: path });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain(`ATTACK_STIX_PATH (${path})`);
    expect(result.stderr).toContain('ends early');
  });

  test('--card prints a valid technique card', async () => {
    const environment = { ATTACK_STIX_PATH: writeFixtureBundle(directory, 'card.json') };
    const result = await run(['--card', 'T1059.001'], environment);
    expect(result.code).toBe(0);
    const card = result.json();
    expectValidCard(card);
    expect(renderedText(card)).toContain('Detection guidance (1 analytic)');
  });
});
