import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { defangCommand, refangCommand } from '../../../src/cli/commands/refang';
import type { CliIo } from '../../../src/cli/io';

type Command = (argv: string[], io: CliIo) => Promise<number>;

async function run(command: Command, argv: string[], stdin: Array<string | Buffer> = []) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdin: Readable.from(stdin.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk))),
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    environment: {},
  };
  const code = await command(argv, io);
  return { code, stdout, stderr };
}

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'refang-cli-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('soc-copilot refang', () => {
  it('refangs a file line by line, keeping the line endings', async () => {
    const file = join(directory, 'defanged.txt');
    writeFileSync(file, 'hxxps://evil[.]com/x\r\nblock 1.2.3[.]4\n\nmail ops[at]evil[dot]ru');
    const result = await run(refangCommand, [file]);
    expect(result).toEqual({
      code: 0,
      stdout: 'https://evil.com/x\r\nblock 1.2.3.4\n\nmail ops@evil.ru',
      stderr: '',
    });
  });

  it('refangs standard input whose chunks split lines and indicators', async () => {
    const result = await run(refangCommand, ['-'], ['first hxx', 'ps://evil[', '.]com\nsecond 10.0.0', '[.]1\n']);
    expect(result).toEqual({ code: 0, stdout: 'first https://evil.com\nsecond 10.0.0.1\n', stderr: '' });
  });

  it('passes text without indicators through unchanged', async () => {
    const text = 'nothing here\nversion 10.0.0.1 (not an address)\n';
    expect((await run(refangCommand, ['-'], [text])).stdout).toBe(text);
  });
});

describe('soc-copilot defang', () => {
  it('defangs every line in the SOC convention', async () => {
    const result = await run(
      defangCommand,
      ['-'],
      ['see https://evil.com/x and 1.2.3.4\n', 'mail user@example.com, file setup.py\n'],
    );
    expect(result).toEqual({
      code: 0,
      stdout: 'see hxxps://evil[.]com/x and 1.2.3[.]4\nmail user[@]example[.]com, file setup.py\n',
      stderr: '',
    });
  });

  it('round-trips with refang', async () => {
    const text = 'https://a.evil.com/p?q=1 from 203.0.113.7 to bob@contoso.com\n';
    const defanged = (await run(defangCommand, ['-'], [text])).stdout;
    expect(defanged).not.toBe(text);
    expect((await run(refangCommand, ['-'], [defanged])).stdout).toBe(text);
  });
});

describe.each([
  ['refang', refangCommand],
  ['defang', defangCommand],
] as const)('soc-copilot %s usage', (name, command) => {
  it('exits 2 with one clear line for a missing file', async () => {
    const missing = join(directory, 'missing.txt');
    expect(await run(command, [missing])).toEqual({
      code: 2,
      stdout: '',
      stderr: `soc-copilot: cannot read ${missing}: no such file\n`,
    });
  });

  it('exits 2 for a directory', async () => {
    const result = await run(command, [directory]);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(`soc-copilot: cannot read ${directory}: it is a directory\n`);
  });

  it.each([[[]], [['a', 'b']], [['--defang', '-']]])('exits 2 with the usage for %j', async (argv) => {
    const result = await run(command, argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`Usage: soc-copilot ${name} FILE|-`);
  });

  it('prints its usage for --help', async () => {
    const result = await run(command, ['-h']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`Usage: soc-copilot ${name} FILE|-`);
  });
});
