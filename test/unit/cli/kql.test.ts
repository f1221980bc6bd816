import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { kqlCommand } from '../../../src/cli/commands/kql';
import type { CliIo } from '../../../src/cli/io';

async function run(argv: string[], stdin = '', environment: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    environment,
  };
  const code = await kqlCommand(argv, io);
  return { code, stdout, stderr };
}

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'kql-cli-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('soc-copilot kql validate', () => {
  it('prints the validation of a file and exits 0 when it is valid', async () => {
    const file = join(directory, 'valid.kql');
    writeFileSync(file, 'SecurityEvent\n| where TimeGenerated > ago(1d)\n| where EventID == 4625\n');
    const result = await run(['validate', '--platform', 'sentinel', file]);
    expect(result).toEqual({
      code: 0,
      stdout: `${JSON.stringify({ valid: true, diagnostics: [] }, null, 2)}\n`,
      stderr: '',
    });
  });

  it('reads standard input and exits 1 when the query is invalid', async () => {
    const query = 'DeviceProcessEvents | where TimeGenerated > ago(1d)';
    const result = await run(['validate', '--platform', 'defender', '-'], query);
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as { valid: boolean; diagnostics: Array<Record<string, unknown>> };
    expect(output.valid).toBe(false);
    expect(Object.keys(output.diagnostics[0] ?? {})).toEqual(['code', 'severity', 'message', 'start', 'length']);
    expect(output.diagnostics[0]).toMatchObject({
      code: 'KS142',
      severity: 'error',
      start: query.indexOf('TimeGenerated'),
    });
  });

  it('validates JSON lines in one process and exits 1 when any is invalid', async () => {
    const input = [
      JSON.stringify({ id: 'a', query: 'SigninLogs | where TimeGenerated > ago(1h) | project UserPrincipalName' }),
      '',
      JSON.stringify({ id: 7, query: 'SigninLogs | | where TimeGenerated > ago(1h)' }),
      JSON.stringify({ id: 'c', query: 'SigninLogs | where ResultType == 0' }),
    ].join('\n');
    const result = await run(['validate', '--jsonl', '-', '--platform', 'sentinel'], input);
    expect(result.code).toBe(1);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: unknown; valid: boolean; diagnostics: Array<{ code: string }> });
    expect(lines.map(({ id, valid }) => ({ id, valid }))).toEqual([
      { id: 'a', valid: true },
      { id: 7, valid: false },
      { id: 'c', valid: true },
    ]);
    expect(lines[2]?.diagnostics.map(({ code }) => code)).toEqual(['SOC001']);
  });

  it('exits 0 for JSON lines that are all valid', async () => {
    const file = join(directory, 'queries.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 1, query: 'DeviceInfo | where Timestamp > ago(1d)' })}\n`);
    const result = await run(['validate', '--platform', 'defender', '--jsonl', file]);
    expect(result).toEqual({ code: 0, stdout: `{"id":1,"valid":true,"diagnostics":[]}\n`, stderr: '' });
  });

  it('uses KQL_SCHEMA_PATH for an operator schema', async () => {
    const schema = join(directory, 'schema.json');
    writeFileSync(schema, JSON.stringify({ tables: { MyApp_CL: [['TimeGenerated', 'datetime']] } }));
    const query = 'MyApp_CL | where TimeGenerated > ago(1d)';
    expect((await run(['validate', '-'], query)).code).toBe(1);
    expect((await run(['validate', '-'], query, { KQL_SCHEMA_PATH: schema })).code).toBe(0);
    expect((await run(['validate', '--schema', schema, '-'], query)).code).toBe(0);
  });

  it.each([
    [['check', '-']],
    [['validate']],
    [['validate', '--platform', 'splunk', '-']],
    [['validate', '--nope', '-']],
    [['validate', join('no', 'such', 'file.kql')]],
    [['validate', '--jsonl', '-', 'extra.kql']],
  ])('exits 2 on bad usage: %j', async (argv) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^soc-copilot: /);
    expect(result.stdout).toBe('');
  });

  it('exits 2 on a line that is not a query object, and on a bad schema file', async () => {
    expect((await run(['validate', '--jsonl', '-'], '{"id": 1}')).stderr).toContain('line 1 is not an object');
    expect(
      (await run(['validate', '-'], 'SecurityEvent', { KQL_SCHEMA_PATH: join(directory, 'missing.json') })).code,
    ).toBe(2);
    expect((await run(['validate', '-'], '   ')).code).toBe(2);
  });

  it('prints usage for --help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('soc-copilot kql validate');
  });
});

describe('soc-copilot kql run', () => {
  it('runs a valid query through the configured (demo) source and prints the rows', async () => {
    const result = await run(
      ['run', '--platform', 'defender', '--max-rows', '3', '-'],
      'DeviceProcessEvents\n| where Timestamp > ago(7d)',
      { SECURITY_SOURCE: 'demo' },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed).toMatchObject({ status: 'completed', source: 'demo', platform: 'defender' });
    expect(printed.rows.length).toBeLessThanOrEqual(3);
    expect(printed.rowCount).toBe(printed.rows.length);
    expect(printed.columns[0]).toEqual({ name: 'Timestamp', type: 'datetime' });
  });

  it('does not run a query without a time bound, and exits 1 with the diagnostics', async () => {
    const result = await run(['run', '-'], 'SigninLogs | take 5', { SECURITY_SOURCE: 'demo' });
    expect(result.code).toBe(1);
    const printed = JSON.parse(result.stdout);
    expect(printed.status).toBe('rejected');
    expect(printed.validation.diagnostics.length).toBeGreaterThan(0);
  });

  it('refuses a bad --max-rows as a usage error', async () => {
    const result = await run(['run', '--max-rows', 'lots', '-'], 'SigninLogs | where TimeGenerated > ago(1d)');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--max-rows');
  });
});
