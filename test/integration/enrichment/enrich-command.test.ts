import { Readable } from 'node:stream';
import { enrichCommand } from '../../../src/cli/commands/enrich';
import type { CliIo } from '../../../src/cli/io';
import type { EnrichmentSettings } from '../../../src/intel/enrichment';
import { FakeIntelServer, reply } from './fake-intel-server';

let server: FakeIntelServer;

beforeAll(async () => {
  server = await FakeIntelServer.start();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
});

function io(stdin = ''): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdin: Readable.from([stdin]),
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    environment: {},
    out: () => out,
    err: () => err,
  };
}

const settings: EnrichmentSettings = { virusTotalApiKey: 'vt-key-SECRET', maxRetries: 0 };

function run(argv: string[], terminal = io(), environmentSettings = settings) {
  return enrichCommand(argv, terminal, environmentSettings, {
    endpoints: { virustotal: server.url },
    sleep: async () => undefined,
  });
}

describe('soc-copilot enrich', () => {
  it('prints one verdict per indicator as JSON, refanging defanged input', async () => {
    server.on('/api/v3/', reply.fixture('virustotal-ip-malicious.json'), reply.fixture('virustotal-file-eicar.json'));
    const terminal = io();
    const code = await run(['91.240.118[.]172', '44d88612fea8a8f36de82e1278abb02f', '10.0.0.1'], terminal);
    expect(code).toBe(0);
    const result = JSON.parse(terminal.out());
    expect(result.indicators.map((entry: any) => [entry.indicator.type, entry.indicator.value, entry.verdict])).toEqual(
      [
        ['ipv4', '91.240.118.172', 'malicious'],
        ['md5', '44d88612fea8a8f36de82e1278abb02f', 'malicious'],
        ['ipv4', '10.0.0.1', 'unknown'],
      ],
    );
    expect(result.indicators[2].summary).toBe('not looked up: private/documentation address (private)');
    expect(server.requests).toHaveLength(2);
    expect(terminal.err()).toBe('');
  });

  it('prints the Adaptive Card with --card', async () => {
    server.on('/api/v3/', reply.fixture('virustotal-domain-clean.json'));
    const terminal = io();
    expect(await run(['--card', 'contoso-docs[.]net'], terminal)).toBe(0);
    const card = JSON.parse(terminal.out());
    expect(card.type).toBe('AdaptiveCard');
    expect(JSON.stringify(card)).toContain('contoso-docs[.]net');
  });

  it('reads indicators from standard input with -', async () => {
    server.otherwise('/api/v3/', reply.fixture('virustotal-error-not-found.json', 404));
    const terminal = io('# pasted from the alert\n91.240.118.9\r\n\nhxxps://login-contoso-verify[.]top/x\n');
    expect(await run(['-'], terminal)).toBe(0);
    const result = JSON.parse(terminal.out());
    expect(result.indicators.map((entry: any) => entry.indicator.value)).toEqual([
      '91.240.118.9',
      'https://login-contoso-verify.top/x',
    ]);
  });

  it('answers unknown, with the reason, when no provider is configured', async () => {
    const terminal = io();
    expect(await run(['91.240.118.172'], terminal, {})).toBe(0);
    expect(JSON.parse(terminal.out()).indicators[0].summary).toBe('no threat-intelligence provider configured');
    expect(server.requests).toEqual([]);
  });

  it('exits 1 when every lookup failed', async () => {
    server.on('/api/v3/', reply.fixture('virustotal-error-wrong-credentials.json', 401));
    const terminal = io();
    expect(await run(['91.240.118.172'], terminal)).toBe(1);
    expect(JSON.parse(terminal.out()).indicators[0].failures[0].kind).toBe('auth');
    expect(terminal.out()).not.toContain('vt-key-SECRET');
  });

  it.each([
    [['not-an-indicator'], /"not-an-indicator" is not an IP address, domain, URL or MD5\/SHA-1\/SHA-256 hash/],
    [[], /enrich needs at least one INDICATOR/],
    [['--bogus', '1.2.3.4'], /Unknown option '--bogus'/],
  ])('exits 2 for %j', async (argv, message) => {
    const terminal = io();
    expect(await run(argv, terminal)).toBe(2);
    expect(terminal.err()).toMatch(message);
    expect(terminal.out()).toBe('');
    expect(server.requests).toEqual([]);
  });

  it('prints its usage with --help', async () => {
    const terminal = io();
    expect(await run(['--help'], terminal)).toBe(0);
    expect(terminal.out()).toContain('Usage: soc-copilot enrich');
  });
});
