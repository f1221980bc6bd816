import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { iocsCommand } from '../../../src/cli/commands/iocs';
import type { CliIo } from '../../../src/cli/io';

/** A CLI run without a process: what the command printed and the exit code it chose. */
async function run(argv: string[], stdin: string | Buffer[] = '') {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdin: Readable.from(typeof stdin === 'string' ? [Buffer.from(stdin)] : stdin),
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    environment: {},
  };
  const code = await iocsCommand(argv, io);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, string[]> };
}

const keys = [
  'ipv4',
  'ipv6',
  'cidr',
  'domain',
  'url',
  'email',
  'md5',
  'sha1',
  'sha256',
  'cve',
  'attackTechnique',
  'registryKey',
  'filePath',
];

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'iocs-cli-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('soc-copilot iocs', () => {
  const report =
    'The loader fetched hxxps://cdn.evil[.]com/a.js from 185.220.101[.]45, mailed ops[at]evil[dot]ru and ' +
    'dropped C:\\ProgramData\\upd.exe (CVE-2021-44228, T1059.001).\n';

  it('prints every type as JSON, refanged, from a text file', async () => {
    const file = join(directory, 'report.txt');
    writeFileSync(file, report);
    const result = await run([file]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const output = result.json();
    expect(Object.keys(output)).toEqual(keys);
    expect(output).toMatchObject({
      ipv4: ['185.220.101.45'],
      domain: ['cdn.evil.com', 'evil.ru'],
      url: ['https://cdn.evil.com/a.js'],
      email: ['ops@evil.ru'],
      cve: ['CVE-2021-44228'],
      attackTechnique: ['T1059.001'],
      filePath: ['C:\\ProgramData\\upd.exe'],
      md5: [],
    });
  });

  it('defangs the values with --defang, before or after the file', async () => {
    const expected = {
      ipv4: ['185.220.101[.]45'],
      domain: ['cdn[.]evil[.]com', 'evil[.]ru'],
      url: ['hxxps://cdn[.]evil[.]com/a.js'],
      email: ['ops[@]evil[.]ru'],
    };
    expect((await run(['--defang', '-'], report)).json()).toMatchObject(expected);
    expect((await run(['-', '--defang'], report)).json()).toMatchObject(expected);
  });

  it('walks JSON input as JSON (a Sentinel row with its Entities column as a string)', async () => {
    const row = {
      AlertName: 'Suspicious download',
      Entities: JSON.stringify([{ $id: '2', Address: '40.83.19.2', Type: 'ip' }]),
      ExtendedProperties: { 'File Hash': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    };
    const result = await run(['-'], `\uFEFF${JSON.stringify(row)}`);
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({
      ipv4: ['40.83.19.2'],
      sha256: ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    });
  });

  it('treats text that only starts with a bracket as text', async () => {
    const result = await run(['-'], '[2024-10-10 13:55:36] connection from 45.9.148.99 refused\n');
    expect(result.code).toBe(0);
    expect(result.json().ipv4).toEqual(['45.9.148.99']);
  });

  it('prints empty arrays for input without indicators', async () => {
    const result = await run(['-'], 'nothing to see here, version 10.0.0.1 and setup.py\n');
    expect(result.code).toBe(0);
    expect(Object.values(result.json()).flat()).toEqual([]);
  });

  it('reads standard input that arrives in chunks split inside a character', async () => {
    const bytes = Buffer.from('évènement: 1.2.3[.]4 ✓');
    const result = await run(['-'], [bytes.subarray(0, 2), bytes.subarray(2, 7), bytes.subarray(7)]);
    expect(result.json().ipv4).toEqual(['1.2.3.4']);
  });

  it.each([
    [[], 'iocs needs one FILE (or - for standard input)'],
    [['a.txt', 'b.txt'], 'iocs needs one FILE (or - for standard input)'],
    [['--frobnicate', '-'], "Unknown option '--frobnicate'"],
  ])('exits 2 with the reason and the usage for %j', async (argv, reason) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(reason);
    expect(result.stderr).toContain('Usage: soc-copilot iocs');
  });

  it('exits 2 with one clear line for a missing file or a directory', async () => {
    const missing = await run([join(directory, 'nope.txt')]);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toBe(`soc-copilot: cannot read ${join(directory, 'nope.txt')}: no such file\n`);
    const folder = await run([directory]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(`soc-copilot: cannot read ${directory}: it is a directory\n`);
  });

  it('prints its usage for --help', async () => {
    const result = await run(['--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Usage: soc-copilot iocs [--defang] FILE|-');
  });
});
