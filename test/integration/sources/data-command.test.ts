import { Readable } from 'node:stream';
import { dataCommand, parseSince } from '../../../src/cli/commands/data';
import type { CliIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/run';
import { FakeAzureServer, FakeCredential, recordingSleep, reply } from './fake-azure';
import { LA_QUERY, NOW, WORKSPACE_ID } from './support';

let server: FakeAzureServer;

beforeAll(async () => {
  server = await FakeAzureServer.start();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => server.reset());

function terminal(environment: NodeJS.ProcessEnv = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdin: Readable.from(['']),
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    environment,
    out: () => out,
    err: () => err,
  };
}

const injected = () => ({
  credential: new FakeCredential('CLI-TOKEN'),
  sleep: recordingSleep().sleep,
  clock: () => NOW,
});

describe('soc-copilot alerts / incidents / alert / incident', () => {
  it('lists alerts from Graph with the filters turned into $filter', async () => {
    server.on('GET /v1.0/security/alerts_v2', reply.fixture('graph/alerts-page-3.json'));
    const io = terminal({ SECURITY_SOURCE: 'graph', GRAPH_BASE_URL: server.url });
    const code = await dataCommand('alerts', ['--severity', 'high', '--since', '24h', '--limit', '5'], io, injected());
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const alerts = JSON.parse(io.out());
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ id: 'da638471112233445566_-1833300220', sourceFormat: 'graph' });
    expect(server.requests[0].query).toEqual({
      $filter: "lastUpdateDateTime ge 2026-03-01T10:00:00.000Z and (severity eq 'high')",
      $top: '5',
    });
  });

  it('gets one incident from Sentinel', async () => {
    server.on(LA_QUERY, reply.fixture('sentinel/securityincident-one.json'));
    const io = terminal({
      SECURITY_SOURCE: 'sentinel',
      SENTINEL_WORKSPACE_ID: WORKSPACE_ID,
      LOG_ANALYTICS_BASE_URL: server.url,
    });
    expect(await dataCommand('incident', ['1042'], io, injected())).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ id: '1042', sourceFormat: 'sentinel' });
  });

  it('answers from the demo source through the command table', async () => {
    const io = terminal({});
    expect(await runCli(['alert', 'da-1009'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ id: 'da-1009', sourceFormat: 'demo' });
    const incidents = terminal({});
    expect(await runCli(['incidents', '--severity', 'high', '--limit', '2'], incidents)).toBe(0);
    const listed = JSON.parse(incidents.out());
    expect(listed.length).toBeLessThanOrEqual(2);
    expect(listed.every((incident: any) => incident.severity === 'high')).toBe(true);
  });

  it('exits 2 with the reason for an unknown id, bad options and bad configuration', async () => {
    const missing = terminal({});
    expect(await runCli(['alert', 'zz-0000'], missing)).toBe(2);
    expect(missing.err()).toContain('There is no alert "zz-0000" in the demo data source');

    for (const argv of [['--severity', 'urgent'], ['--since', 'yesterday'], ['--limit', '0'], ['extra'], ['--what']]) {
      const io = terminal({});
      expect(await runCli(['alerts', ...argv], io)).toBe(2);
      expect(io.err()).toContain('Usage: soc-copilot alerts');
    }
    const noId = terminal({});
    expect(await runCli(['incident'], noId)).toBe(2);

    const misconfigured = terminal({ SECURITY_SOURCE: 'sentinel' });
    expect(await runCli(['alerts'], misconfigured)).toBe(2);
    expect(misconfigured.err()).toContain('SENTINEL_WORKSPACE_ID');
  });

  it('fails with the translated source error, which carries no token', async () => {
    server.otherwise('GET /v1.0/security/alerts_v2', reply.error(403, 'Forbidden', 'Missing application permission'));
    const io = terminal({ SECURITY_SOURCE: 'graph', GRAPH_BASE_URL: server.url });
    const failure = await dataCommand('alerts', [], io, injected()).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'source_auth_failed', status: 403 });
    expect(JSON.stringify(failure)).not.toContain('CLI-TOKEN');
    expect((failure as Error).message).not.toContain('CLI-TOKEN');
  });

  it('parses ages and dates for --since', () => {
    expect(parseSince('30m', NOW).toISOString()).toBe('2026-03-02T09:30:00.000Z');
    expect(parseSince('7d', NOW).toISOString()).toBe('2026-02-23T10:00:00.000Z');
    expect(parseSince('2026-03-01T00:00:00Z', NOW).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(() => parseSince('soon', NOW)).toThrow(RangeError);
  });
});
