import type { TokenCredential } from '@azure/identity';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createEnrichmentService, type EnrichmentSettings, type Indicator } from '../../../src/intel/enrichment';
import { redactedPaths, type Logger } from '../../../src/logger';
import { MemoryStore } from '../../../src/store';
import { FakeIntelServer, reply } from './fake-intel-server';

const KEYS = {
  virusTotalApiKey: 'vt-key-7f3a9c-SECRET',
  abuseIpDbApiKey: 'abuse-key-51be07-SECRET',
  otxApiKey: 'otx-key-c0ffee-SECRET',
};
const GRAPH_TOKEN = 'graph-token-deadbeef-SECRET';
const SECRETS = [...Object.values(KEYS), GRAPH_TOKEN];

const credential: TokenCredential = {
  getToken: async () => ({ token: GRAPH_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};

const PREFIX = {
  virustotal: '/vt/',
  abuseipdb: '/abuse/',
  otx: '/otx/',
  mdti: '/graph/',
};

const PUBLIC_IP: Indicator = { type: 'ipv4', value: '91.240.118.172' };

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

function capturingLogger(): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    logger: pino({ level: 'trace', redact: { paths: redactedPaths, censor: '[redacted]' } }, stream),
    text: () => chunks.join(''),
  };
}

function enrichment(settings: EnrichmentSettings = { ...KEYS, mdtiEnabled: true }, logger?: Logger) {
  return createEnrichmentService(
    { timeoutMs: 3_000, maxRetries: 1, ...settings },
    {
      store: new MemoryStore(),
      logger: logger ?? pino({ level: 'silent' }),
      credential,
      // Retries wait for real in this file, so keep them short.
      sleep: async () => undefined,
      endpoints: {
        virustotal: `${server.url}/vt`,
        abuseipdb: `${server.url}/abuse`,
        otx: `${server.url}/otx`,
        mdti: `${server.url}/graph`,
      },
    },
  );
}

function scriptAllProviders(): void {
  server
    .otherwise(PREFIX.virustotal, reply.fixture('virustotal-ip-malicious.json'))
    .otherwise(PREFIX.abuseipdb, reply.fixture('abuseipdb-check-malicious.json'))
    .otherwise(PREFIX.otx, reply.fixture('otx-ipv4-general.json'))
    .otherwise(PREFIX.mdti, reply.fixture('mdti-host-reputation-malicious.json'));
}

describe('createEnrichmentService over HTTP', () => {
  it('asks every configured provider and combines their answers', async () => {
    scriptAllProviders();
    const result = await enrichment().enrich([PUBLIC_IP]);
    expect(result.providers).toEqual(['VirusTotal', 'AbuseIPDB', 'AlienVault OTX', 'Microsoft Defender TI']);
    const [entry] = result.indicators;
    expect(entry.verdict).toBe('malicious');
    expect(entry.evidence.map((item) => item.provider)).toEqual(result.providers);
    expect(entry.associations.malwareFamilies).toEqual(['Emotet']);
    expect(entry.associations.groups).toEqual(['TA542']);
    expect(server.requests.map((request) => request.path).sort()).toEqual([
      '/abuse/api/v2/check',
      '/graph/v1.0/security/threatIntelligence/hosts/91.240.118.172/reputation',
      '/otx/api/v1/indicators/IPv4/91.240.118.172/general',
      '/vt/api/v3/ip_addresses/91.240.118.172',
    ]);
  });

  it('never sends private, loopback, link-local, CGNAT, multicast or documentation addresses anywhere', async () => {
    scriptAllProviders();
    const internal: Indicator[] = [
      '10.0.0.1',
      '172.31.255.254',
      '192.168.10.20',
      '127.0.0.1',
      '169.254.169.254',
      '100.64.12.34',
      '239.255.255.250',
      '192.0.2.1',
      '198.51.100.23',
      '203.0.113.7',
    ].map((value) => ({ type: 'ipv4', value }));
    internal.push(
      { type: 'ipv6', value: 'fe80::1' },
      { type: 'ipv6', value: '2001:db8::dead:beef' },
      { type: 'url', value: 'http://192.168.1.1/admin' },
      { type: 'domain', value: 'dc01.contoso.local' },
    );
    const result = await enrichment().enrich(internal);
    expect(server.requests).toEqual([]);
    for (const entry of result.indicators) {
      expect(entry.verdict).toBe('unknown');
      expect(entry.summary).toMatch(/^not looked up: (private\/documentation address|internal or documentation name)/);
    }
  });

  it('looks every provider up concurrently', async () => {
    for (const prefix of Object.values(PREFIX)) server.otherwise(prefix, reply.delayed(400, reply.json({}, 404)));
    const started = Date.now();
    await enrichment().enrich([PUBLIC_IP]);
    // One after the other would take 1.6 s.
    expect(Date.now() - started).toBeLessThan(1_200);
    expect(server.requests).toHaveLength(4);
  });

  it('answers from the cache the second time', async () => {
    scriptAllProviders();
    const service = enrichment();
    await service.enrich([PUBLIC_IP]);
    const second = await service.enrich([PUBLIC_IP]);
    expect(server.requests).toHaveLength(4);
    expect(second.indicators[0].evidence.every((item) => item.cached)).toBe(true);
  });

  it('keeps the answers that came back when a provider fails, and leaks no key into logs or results', async () => {
    scriptAllProviders();
    server.on(PREFIX.abuseipdb, reply.fixture('abuseipdb-error-unauthorized.json', 401));
    server.on(PREFIX.otx, reply.json({ detail: KEYS.otxApiKey }, 429, { 'retry-after': '0' }));
    server.on(PREFIX.mdti, reply.raw('{"classification": '));
    const { logger, text } = capturingLogger();
    const result = await enrichment(undefined, logger).enrich([PUBLIC_IP]);
    const [entry] = result.indicators;
    expect(entry.evidence.map((item) => item.provider)).toEqual(['VirusTotal', 'AlienVault OTX']);
    expect(entry.failures).toEqual([
      { provider: 'AbuseIPDB', kind: 'auth', message: 'AbuseIPDB refused the credentials (HTTP 401)' },
      {
        provider: 'Microsoft Defender TI',
        kind: 'bad-response',
        message: 'Microsoft Defender TI answered HTTP 200 with invalid JSON',
      },
    ]);
    const everything = `${JSON.stringify(result)}\n${text()}`;
    expect(text()).toContain('AbuseIPDB refused the credentials');
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/x-apikey|X-OTX-API-KEY|authorization/i);
  });

  it('has no providers and asks nobody when no key is set', async () => {
    scriptAllProviders();
    const result = await enrichment({}).enrich([PUBLIC_IP, { type: 'domain', value: 'login-contoso-verify.top' }]);
    expect(result.providers).toEqual([]);
    expect(result.indicators.map((entry) => entry.summary)).toEqual([
      'no threat-intelligence provider configured',
      'no threat-intelligence provider configured',
    ]);
    expect(server.requests).toEqual([]);
  });

  it('enables each provider by its own key', async () => {
    scriptAllProviders();
    const result = await enrichment({ otxApiKey: KEYS.otxApiKey, abuseIpDbApiKey: '  ' }).enrich([PUBLIC_IP]);
    expect(result.providers).toEqual(['AlienVault OTX']);
    expect(server.requests.map((request) => request.path)).toEqual([
      '/otx/api/v1/indicators/IPv4/91.240.118.172/general',
    ]);
  });
});
