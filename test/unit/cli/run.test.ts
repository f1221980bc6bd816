import { Readable } from 'node:stream';
import { runCli } from '../../../src/cli/run';

function fakeIo(environment: NodeJS.ProcessEnv = {}) {
  const output = { stdout: '', stderr: '' };
  return {
    output,
    io: {
      stdin: Readable.from([]),
      stdout: (text: string) => (output.stdout += text),
      stderr: (text: string) => (output.stderr += text),
      environment,
    },
  };
}

describe('runCli dispatch', () => {
  it('lists every command in the usage', async () => {
    const { io, output } = fakeIo();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const command of [
      'explain-alert',
      'attack',
      'enrich',
      'iocs',
      'refang',
      'defang',
      'hunt',
      'kql generate',
      'kql validate',
    ])
      expect(output.stdout).toContain(command);
  });

  it('runs attack', async () => {
    const { io, output } = fakeIo();
    expect(await runCli(['attack', 'T1558.003'], io)).toBe(0);
    expect(JSON.parse(output.stdout).technique.name).toBe('Kerberoasting');
  });

  it('runs enrich with the configuration from the environment, never sending a private address out', async () => {
    const { io, output } = fakeIo({ VIRUSTOTAL_API_KEY: 'not-a-real-key' });
    expect(await runCli(['enrich', '10.0.0[.]1'], io)).toBe(0);
    const result = JSON.parse(output.stdout);
    expect(result.indicators[0].indicator.value).toBe('10.0.0.1');
    expect(result.indicators[0].notLookedUp.reason).not.toBe('no-provider-configured');
  });

  it('reports a bad configuration variable for enrich with exit 2', async () => {
    const { io, output } = fakeIo({ VIRUSTOTAL_REQUESTS_PER_MINUTE: 'lots' });
    expect(await runCli(['enrich', '8.8.8.8'], io)).toBe(2);
    expect(output.stderr).toContain('VIRUSTOTAL_REQUESTS_PER_MINUTE');
  });

  it('runs iocs on standard input', async () => {
    const { io, output } = fakeIo();
    io.stdin = Readable.from(['beacon to hxxps://c2.evil[.]example/x from 10.0.0[.]5']);
    expect(await runCli(['iocs', '-'], io)).toBe(0);
    const lists = JSON.parse(output.stdout);
    expect(lists.url).toEqual(['https://c2.evil.example/x']);
    expect(lists.ipv4).toEqual(['10.0.0.5']);
  });

  it('runs hunt offline with a validated query', async () => {
    const { io, output } = fakeIo();
    expect(await runCli(['hunt', 'encoded', 'PowerShell'], io)).toBe(0);
    const result = JSON.parse(output.stdout);
    expect(result.result.validation.status).toBe('validated');
    expect(result.engine.kind).toBe('offline');
  });

  it('runs kql generate and kql validate', async () => {
    const generated = fakeIo();
    expect(await runCli(['kql', 'generate', 'failed sign-ins from new countries last 24h'], generated.io)).toBe(0);
    const query: string = JSON.parse(generated.output.stdout).result.query;
    expect(query).toContain('SigninLogs');
    const validated = fakeIo();
    validated.io.stdin = Readable.from([query]);
    expect(await runCli(['kql', 'validate', '--platform', 'sentinel', '-'], validated.io)).toBe(0);
    expect(JSON.parse(validated.output.stdout).valid).toBe(true);
  });

  it('refuses an unknown command with exit 2', async () => {
    const { io, output } = fakeIo();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(output.stderr).toContain('unknown command "frobnicate"');
  });
});
