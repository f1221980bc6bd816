import type { TokenCredential } from '@azure/identity';
import { abuseIpDbProvider } from '../../../src/intel/enrichment/adapters/abuseipdb';
import { mdtiProvider } from '../../../src/intel/enrichment/adapters/mdti';
import { otxProvider } from '../../../src/intel/enrichment/adapters/otx';
import { virusTotalProvider } from '../../../src/intel/enrichment/adapters/virustotal';
import { ThreatIntelError } from '../../../src/intel/enrichment/provider-error';
import { resilientLookup, type ResilienceOptions } from '../../../src/intel/enrichment/resilience';
import type { Indicator, ThreatIntelProvider, Verdict } from '../../../src/intel/enrichment/types';
import { FakeIntelServer, reply, type FakeReply, type RecordedRequest } from './fake-intel-server';

const VIRUSTOTAL_KEY = 'vt-key-0123456789abcdef-SECRET';
const ABUSEIPDB_KEY = 'abuse-key-0123456789abcdef-SECRET';
const OTX_KEY = 'otx-key-0123456789abcdef-SECRET';
const GRAPH_TOKEN = 'graph-token-0123456789abcdef-SECRET';

const credential: TokenCredential = {
  getToken: async () => ({ token: GRAPH_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
};

interface AdapterCase {
  name: string;
  prefix: string;
  indicator: Indicator;
  make(baseUrl: string): ThreatIntelProvider;
  success: FakeReply;
  successVerdict: Verdict;
  expectedPath: string;
  expectAuthenticated(request: RecordedRequest): void;
  /** What "the provider has never seen it" looks like for this API. */
  unknown: FakeReply;
  secret: string;
}

const cases: AdapterCase[] = [
  {
    name: 'VirusTotal',
    prefix: '/api/v3/',
    indicator: { type: 'ipv4', value: '91.240.118.172' },
    make: (baseUrl) => virusTotalProvider({ apiKey: VIRUSTOTAL_KEY, baseUrl }),
    success: reply.fixture('virustotal-ip-malicious.json'),
    successVerdict: 'malicious',
    expectedPath: '/api/v3/ip_addresses/91.240.118.172',
    expectAuthenticated: (request) => expect(request.headers['x-apikey']).toBe(VIRUSTOTAL_KEY),
    unknown: reply.fixture('virustotal-error-not-found.json', 404),
    secret: VIRUSTOTAL_KEY,
  },
  {
    name: 'AbuseIPDB',
    prefix: '/api/v2/check',
    indicator: { type: 'ipv4', value: '91.240.118.172' },
    make: (baseUrl) => abuseIpDbProvider({ apiKey: ABUSEIPDB_KEY, baseUrl }),
    success: reply.fixture('abuseipdb-check-malicious.json'),
    successVerdict: 'malicious',
    expectedPath: '/api/v2/check',
    expectAuthenticated: (request) => {
      expect(request.headers.key).toBe(ABUSEIPDB_KEY);
      expect(request.query).toEqual({ ipAddress: '91.240.118.172', maxAgeInDays: '90' });
    },
    // AbuseIPDB answers 200 for every address; "unknown" is an address nobody reported.
    unknown: reply.fixture('abuseipdb-check-unreported.json'),
    secret: ABUSEIPDB_KEY,
  },
  {
    name: 'AlienVault OTX',
    prefix: '/api/v1/indicators/',
    indicator: { type: 'ipv4', value: '91.240.118.172' },
    make: (baseUrl) => otxProvider({ apiKey: OTX_KEY, baseUrl }),
    success: reply.fixture('otx-ipv4-general.json'),
    successVerdict: 'malicious',
    expectedPath: '/api/v1/indicators/IPv4/91.240.118.172/general',
    expectAuthenticated: (request) => expect(request.headers['x-otx-api-key']).toBe(OTX_KEY),
    unknown: reply.fixture('otx-error-not-found.json', 404),
    secret: OTX_KEY,
  },
  {
    name: 'Microsoft Defender TI',
    prefix: '/v1.0/security/threatIntelligence/hosts/',
    indicator: { type: 'domain', value: 'login-contoso-verify.top' },
    make: (baseUrl) => mdtiProvider({ credential, baseUrl }),
    success: reply.fixture('mdti-host-reputation-malicious.json'),
    successVerdict: 'malicious',
    expectedPath: '/v1.0/security/threatIntelligence/hosts/login-contoso-verify.top/reputation',
    expectAuthenticated: (request) => expect(request.headers.authorization).toBe(`Bearer ${GRAPH_TOKEN}`),
    unknown: reply.fixture('graph-error-not-found.json', 404),
    secret: GRAPH_TOKEN,
  },
];

let server: FakeIntelServer;
let sleeps: number[];

function resilience(overrides: Partial<ResilienceOptions> = {}): ResilienceOptions {
  return {
    timeoutMs: 5_000,
    maxRetries: 2,
    retryPolicy: { baseDelayMs: 10, maxBackoffMs: 40, maxWaitMs: 30_000 },
    // Waits are recorded, not slept: the numbers are what matters.
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
    },
    random: () => 0.5,
    ...overrides,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<ThreatIntelError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ThreatIntelError);
    return error as ThreatIntelError;
  }
  throw new Error('expected the lookup to fail');
}

beforeAll(async () => {
  server = await FakeIntelServer.start();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
  sleeps = [];
});

describe.each(cases)('$name adapter over HTTP', (adapter) => {
  const lookup = (overrides: Partial<ResilienceOptions> = {}) =>
    resilientLookup(adapter.make(server.url), adapter.indicator, resilience(overrides));

  it('maps a recorded answer and authenticates the request', async () => {
    server.on(adapter.prefix, adapter.success);
    const finding = await lookup();
    expect(finding.verdict).toBe(adapter.successVerdict);
    expect(finding.detail.length).toBeGreaterThan(10);
    expect(finding.reference).toMatch(/^https:\/\//);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('GET');
    expect(request.path).toBe(adapter.expectedPath);
    expect(request.headers.accept).toBe('application/json');
    adapter.expectAuthenticated(request);
  });

  it('answers unknown when the provider has never seen the indicator', async () => {
    server.on(adapter.prefix, adapter.unknown);
    const finding = await lookup();
    expect(finding.verdict).toBe('unknown');
    expect(server.requests).toHaveLength(1);
  });

  it('reports 401 as an auth failure, without retrying or leaking the credential', async () => {
    server.on(adapter.prefix, reply.json({ error: { code: 'WrongCredentialsError', message: adapter.secret } }, 401));
    const failure = await failureOf(lookup());
    expect(failure.kind).toBe('auth');
    expect(failure.code).toBe('source_auth_failed');
    expect(failure.retryable).toBe(false);
    expect(failure.provider).toBe(adapter.name);
    expect(`${failure.message} ${failure.userMessage}`).not.toContain(adapter.secret);
    expect(server.requests).toHaveLength(1);
  });

  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    server.on(adapter.prefix, reply.json({ error: { code: 'QuotaExceededError' } }, 429, { 'retry-after': '2' }));
    server.on(adapter.prefix, adapter.success);
    const finding = await lookup();
    expect(finding.verdict).toBe(adapter.successVerdict);
    expect(sleeps).toEqual([2_000]);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up at once, as throttled, when Retry-After is longer than it may wait', async () => {
    server.on(adapter.prefix, reply.json({}, 429, { 'retry-after': '3600' }));
    const failure = await failureOf(lookup());
    expect(failure.kind).toBe('throttled');
    expect(failure.code).toBe('source_throttled');
    expect(failure.retryAfterSeconds).toBe(3600);
    expect(sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 503 with back-off and reports a provider that stays down', async () => {
    server.otherwise(adapter.prefix, reply.json({ error: { code: 'TransientError' } }, 503));
    const failure = await failureOf(lookup());
    expect(failure.kind).toBe('unavailable');
    expect(failure.message).toContain('HTTP 503');
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('turns a body that is not JSON into a bad-response failure', async () => {
    server.on(adapter.prefix, reply.raw('<html>gateway error</html>'));
    const failure = await failureOf(lookup());
    expect(failure.kind).toBe('bad-response');
    expect(server.requests).toHaveLength(1);
  });

  it('turns JSON of the wrong shape into a bad-response failure', async () => {
    server.on(adapter.prefix, reply.json({ data: { attributes: 'nope' }, pulse_info: [], classification: 7 }));
    const failure = await failureOf(lookup());
    expect(failure.kind).toBe('bad-response');
    expect(failure.message).toContain('unexpected shape');
  });

  it('times out a provider that does not answer', async () => {
    server.on(adapter.prefix, reply.delayed(3_000, adapter.success));
    const started = Date.now();
    const failure = await failureOf(lookup({ timeoutMs: 150, maxRetries: 0 }));
    expect(failure.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('adapter specifics', () => {
  it('VirusTotal addresses a URL by its unpadded base64url id and a hash by its value', async () => {
    const provider = virusTotalProvider({ apiKey: VIRUSTOTAL_KEY, baseUrl: server.url });
    server.on('/api/v3/', reply.fixture('virustotal-url-phishing.json'), reply.fixture('virustotal-file-eicar.json'));
    const url = await resilientLookup(
      provider,
      { type: 'url', value: 'https://login-contoso-verify.top/owa/auth.php' },
      resilience(),
    );
    const file = await resilientLookup(
      provider,
      { type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' },
      resilience(),
    );
    expect(server.requests.map((request) => request.path)).toEqual([
      '/api/v3/urls/aHR0cHM6Ly9sb2dpbi1jb250b3NvLXZlcmlmeS50b3Avb3dhL2F1dGgucGhw',
      '/api/v3/files/44d88612fea8a8f36de82e1278abb02f',
    ]);
    expect(url.verdict).toBe('malicious');
    expect(file.associations.malwareFamilies).toEqual(['eicar', 'test']);
  });

  it('OTX files sub-domains under hostname and hashes under file', async () => {
    const provider = otxProvider({ apiKey: OTX_KEY, baseUrl: server.url });
    server.otherwise('/api/v1/indicators/', reply.fixture('otx-file-not-in-pulses.json'));
    await resilientLookup(provider, { type: 'domain', value: 'cdn.login-contoso-verify.top' }, resilience());
    await resilientLookup(provider, { type: 'sha1', value: '3395856ce81f2b7382dee72602f798b642f14140' }, resilience());
    expect(server.requests.map((request) => request.path)).toEqual([
      '/api/v1/indicators/hostname/cdn.login-contoso-verify.top/general',
      '/api/v1/indicators/file/3395856ce81f2b7382dee72602f798b642f14140/general',
    ]);
  });

  it('Defender TI asks the credential for a Graph token once and reports 403 as an auth failure', async () => {
    const scopes: unknown[] = [];
    const counting: TokenCredential = {
      getToken: async (scope) => {
        scopes.push(scope);
        return { token: GRAPH_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const provider = mdtiProvider({ credential: counting, baseUrl: server.url });
    server.on(
      '/v1.0/',
      reply.fixture('mdti-host-reputation-neutral.json'),
      reply.fixture('graph-error-forbidden.json', 403),
    );
    const neutral = await resilientLookup(provider, { type: 'domain', value: 'contoso-docs.net' }, resilience());
    const failure = await failureOf(resilientLookup(provider, { type: 'ipv4', value: '91.240.118.172' }, resilience()));
    expect(neutral.verdict).toBe('harmless');
    expect(failure.kind).toBe('auth');
    expect(failure.message).toContain('Forbidden');
    expect(scopes).toEqual(['https://graph.microsoft.com/.default']);
  });

  it('Defender TI reports a credential that cannot get a token as an auth failure, without calling Graph', async () => {
    const broken: TokenCredential = {
      getToken: async () => {
        const error = new Error('AADSTS7000215: Invalid client secret provided. client_secret=hunter2');
        error.name = 'AuthenticationError';
        throw error;
      },
    };
    const failure = await failureOf(
      resilientLookup(mdtiProvider({ credential: broken, baseUrl: server.url }), cases[3].indicator, resilience()),
    );
    expect(failure.kind).toBe('auth');
    expect(failure.message).toBe('could not get a Microsoft Graph token (AuthenticationError)');
    expect(server.requests).toHaveLength(0);
  });

  it('never follows a redirect, which would carry the API key to another host', async () => {
    server.on('/api/v3/', { status: 302, headers: { location: 'http://127.0.0.1:1/steal' }, body: {} });
    const failure = await failureOf(
      resilientLookup(
        virusTotalProvider({ apiKey: VIRUSTOTAL_KEY, baseUrl: server.url }),
        cases[0].indicator,
        resilience({ maxRetries: 0 }),
      ),
    );
    expect(failure.kind).toBe('unavailable');
    expect(server.requests).toHaveLength(1);
  });

  it('reports a provider that refuses connections as unavailable', async () => {
    const provider = otxProvider({ apiKey: OTX_KEY, baseUrl: 'http://127.0.0.1:1' });
    const failure = await failureOf(resilientLookup(provider, cases[2].indicator, resilience({ maxRetries: 1 })));
    expect(failure.kind).toBe('unavailable');
    expect(failure.message).toMatch(/^could not reach AlienVault OTX/);
    expect(sleeps).toHaveLength(1);
  });
});
