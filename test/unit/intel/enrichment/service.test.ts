import { EnrichmentService, type EnrichmentServiceOptions } from '../../../../src/intel/enrichment/service';
import { CACHE_KEY_PREFIX } from '../../../../src/intel/enrichment/cache';
import { ThreatIntelError } from '../../../../src/intel/enrichment/provider-error';
import type { Indicator, ThreatIntelProvider } from '../../../../src/intel/enrichment/types';
import { silentLogger } from '../../../../src/logger';
import { MemoryStore, type Store } from '../../../../src/store';
import { capturingLogger, fakeProvider, finding, virtualTime } from './fakes';

const PUBLIC_IP: Indicator = { type: 'ipv4', value: '91.240.118.172' };
const DOMAIN: Indicator = { type: 'domain', value: 'login-contoso-verify.top' };
const HASH: Indicator = { type: 'sha256', value: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f' };

function service(
  providers: ThreatIntelProvider[],
  time: ReturnType<typeof virtualTime>,
  overrides: Partial<EnrichmentServiceOptions> = {},
) {
  return new EnrichmentService({
    providers,
    store: new MemoryStore(),
    logger: silentLogger(),
    cacheTtl: { verdictSeconds: 6 * 3600, unknownSeconds: 3600 },
    timeoutMs: 1_000,
    maxRetries: 2,
    maxWaitMs: 60_000,
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    ...overrides,
  });
}

describe('EnrichmentService', () => {
  it('answers every indicator as unknown when no provider is configured', async () => {
    const result = await service([], virtualTime()).enrich([PUBLIC_IP, { type: 'ipv4', value: '10.0.0.1' }, HASH]);
    expect(result.providers).toEqual([]);
    for (const entry of result.indicators) {
      expect(entry.verdict).toBe('unknown');
      expect(entry.summary).toBe('no threat-intelligence provider configured');
      expect(entry.notLookedUp?.reason).toBe('no-provider-configured');
    }
  });

  it('combines providers into the most severe verdict, with each one as evidence and merged associations', async () => {
    const time = virtualTime();
    const virusTotal = fakeProvider('virustotal', {
      name: 'VirusTotal',
      answer: finding('malicious', {
        score: { value: 12, max: 94, label: '12/94 engines' },
        associations: { malwareFamilies: ['Emotet'], groups: [], tags: ['c2'] },
      }),
    });
    const otx = fakeProvider('otx', {
      name: 'AlienVault OTX',
      answer: finding('suspicious', {
        associations: { malwareFamilies: ['emotet'], groups: ['TA542'], tags: ['botnet'] },
      }),
    });
    const result = await service([virusTotal, otx], time).enrich([PUBLIC_IP]);
    const [entry] = result.indicators;
    expect(entry.verdict).toBe('malicious');
    expect(entry.summary).toBe('Malicious according to VirusTotal (12/94 engines).');
    expect(entry.evidence.map((item) => [item.provider, item.verdict, item.cached])).toEqual([
      ['VirusTotal', 'malicious', false],
      ['AlienVault OTX', 'suspicious', false],
    ]);
    expect(entry.associations).toEqual({ malwareFamilies: ['Emotet'], groups: ['TA542'], tags: ['c2', 'botnet'] });
    expect(result.generatedAt).toBe('2025-03-04T09:00:00.000Z');
  });

  it('asks providers concurrently', async () => {
    const time = virtualTime();
    const started: string[] = [];
    let releaseBoth!: () => void;
    const bothStarted = new Promise<void>((resolve) => (releaseBoth = resolve));
    // Each lookup waits until the other has started: run one after the other, they would wait forever.
    const waitForBoth = (name: string) => async () => {
      started.push(name);
      if (started.length === 2) releaseBoth();
      await bothStarted;
      return finding('harmless');
    };
    const first = fakeProvider('first', { answer: waitForBoth('first') });
    const second = fakeProvider('second', { answer: waitForBoth('second') });
    const result = await service([first, second], time).enrich([PUBLIC_IP]);
    expect(started.sort()).toEqual(['first', 'second']);
    expect(result.indicators[0].evidence).toHaveLength(2);
  });

  it('returns partial results when one provider fails, naming the failure', async () => {
    const time = virtualTime();
    const working = fakeProvider('otx', { name: 'AlienVault OTX', answer: finding('suspicious') });
    const failing = fakeProvider('virustotal', {
      name: 'VirusTotal',
      answer: new ThreatIntelError('VirusTotal', 'auth', 'VirusTotal refused the credentials (HTTP 401)', {
        status: 401,
      }),
    });
    const crashing = fakeProvider('buggy', { name: 'Buggy', answer: new TypeError('cannot read x of undefined') });
    const [entry] = (await service([working, failing, crashing], time).enrich([PUBLIC_IP])).indicators;
    expect(entry.verdict).toBe('suspicious');
    expect(entry.evidence.map((item) => item.provider)).toEqual(['AlienVault OTX']);
    expect(entry.failures).toEqual([
      { provider: 'VirusTotal', kind: 'auth', message: 'VirusTotal refused the credentials (HTTP 401)' },
      { provider: 'Buggy', kind: 'bad-response', message: 'Buggy lookup failed unexpectedly (TypeError)' },
    ]);
    expect(entry.summary).toBe(
      'Suspicious according to AlienVault OTX; failed: VirusTotal (auth), Buggy (bad-response).',
    );
    expect(failing.calls).toHaveLength(1);
  });

  it('reports every lookup failing as unknown, not as a crash', async () => {
    const time = virtualTime();
    const down = fakeProvider('otx', {
      name: 'OTX',
      answer: new ThreatIntelError('OTX', 'unavailable', 'OTX failed (HTTP 503)', { status: 503 }),
    });
    const [entry] = (await service([down], time).enrich([PUBLIC_IP])).indicators;
    expect(entry.verdict).toBe('unknown');
    expect(entry.summary).toBe('Every lookup failed: OTX (unavailable).');
    expect(down.calls).toHaveLength(3); // the first attempt and two retries
  });

  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.9', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.251', 'multicast'],
    ['192.0.2.10', 'documentation or reserved'],
    ['198.51.100.7', 'documentation or reserved'],
    ['203.0.113.7', 'documentation or reserved'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
  ])('never sends %s (%s) to a provider', async (address, label) => {
    const time = virtualTime();
    const provider = fakeProvider('virustotal');
    const [entry] = (await service([provider], time).enrich([{ type: 'ipv4', value: address }])).indicators;
    expect(provider.calls).toEqual([]);
    expect(entry.verdict).toBe('unknown');
    expect(entry.summary).toBe(`not looked up: private/documentation address (${label})`);
    expect(entry.notLookedUp?.reason).toBe('non-public-address');
  });

  it('never sends internal IPv6 addresses, IPv4-mapped private ones, internal names or URLs on them', async () => {
    const time = virtualTime();
    const provider = fakeProvider('virustotal');
    const indicators: Indicator[] = [
      { type: 'ipv6', value: '::1' },
      { type: 'ipv6', value: 'fe80::1' },
      { type: 'ipv6', value: 'fd12:3456:789a::1' },
      { type: 'ipv6', value: '2001:db8::7' },
      { type: 'ipv6', value: '::ffff:10.0.0.1' },
      { type: 'domain', value: 'dc01.contoso.local' },
      { type: 'domain', value: 'cdn.evil.example' },
      { type: 'url', value: 'http://10.0.0.5:8080/admin' },
      { type: 'url', value: 'https://[fe80::1]/x' },
      { type: 'url', value: 'http://0x7f.1/' },
      { type: 'url', value: 'https://intranet.corp/login' },
    ];
    const result = await service([provider], time).enrich(indicators);
    expect(provider.calls).toEqual([]);
    expect(result.indicators.every((entry) => entry.notLookedUp !== undefined)).toBe(true);
  });

  it('reuses a cached finding instead of asking again, until it expires', async () => {
    const time = virtualTime();
    const store = new MemoryStore();
    const provider = fakeProvider('virustotal', { name: 'VirusTotal', answer: finding('malicious') });
    const enrichment = service([provider], time, { store });
    await enrichment.enrich([PUBLIC_IP]);
    time.advance(6 * 3600 * 1000 - 1);
    const second = await enrichment.enrich([PUBLIC_IP]);
    expect(provider.calls).toHaveLength(1);
    expect(second.indicators[0].evidence[0]).toMatchObject({ cached: true, checkedAt: '2025-03-04T09:00:00.000Z' });
    expect(await store.list(CACHE_KEY_PREFIX)).toEqual([
      expect.stringMatching(/^ti-cache\/virustotal\/ipv4\/[0-9a-f]{64}$/),
    ]);

    time.advance(1);
    const third = await enrichment.enrich([PUBLIC_IP]);
    expect(provider.calls).toHaveLength(2);
    expect(third.indicators[0].evidence[0].cached).toBe(false);
  });

  it('keeps unknown findings for a shorter time, and never caches failures', async () => {
    const time = virtualTime();
    const provider = fakeProvider('otx', { answer: finding('unknown') });
    const enrichment = service([provider], time);
    await enrichment.enrich([DOMAIN]);
    time.advance(3600 * 1000);
    await enrichment.enrich([DOMAIN]);
    expect(provider.calls).toHaveLength(2);

    provider.answer = new ThreatIntelError('otx', 'rejected', 'otx rejected the lookup (HTTP 400)');
    await enrichment.enrich([HASH]);
    provider.answer = finding('harmless');
    const [entry] = (await enrichment.enrich([HASH])).indicators;
    expect(entry.verdict).toBe('harmless');
  });

  it('ignores a corrupted cache entry and carries on when the store fails', async () => {
    const time = virtualTime();
    const store = new MemoryStore();
    const provider = fakeProvider('virustotal', { answer: finding('malicious') });
    await service([provider], time, { store }).enrich([PUBLIC_IP]);
    const [key] = await store.list(CACHE_KEY_PREFIX);
    await store.put(key, { version: 1, finding: 'not a finding' });
    await service([provider], time, { store }).enrich([PUBLIC_IP]);
    expect(provider.calls).toHaveLength(2);

    const broken: Store = {
      get: async () => Promise.reject(new Error('disk on fire')),
      put: async () => Promise.reject(new Error('disk on fire')),
      delete: async () => false,
      list: async () => [],
      close: async () => undefined,
    };
    const [entry] = (await service([provider], time, { store: broken }).enrich([PUBLIC_IP])).indicators;
    expect(entry.verdict).toBe('malicious');
  });

  it('spaces requests to a rate-limited provider evenly (VirusTotal: 4 a minute)', async () => {
    const time = virtualTime();
    const provider = fakeProvider('virustotal', { answer: finding('harmless'), clock: time.clock });
    const indicators: Indicator[] = [
      '91.240.118.1',
      '91.240.118.2',
      '91.240.118.3',
      '91.240.118.4',
      '91.240.118.5',
    ].map((value) => ({ type: 'ipv4', value }));
    const enrichment = service([provider], time, {
      limits: { virustotal: { requestsPerMinute: 4 } },
    });
    await enrichment.enrich(indicators);
    expect(provider.calls.map((call) => call.at - Date.parse('2025-03-04T09:00:00.000Z'))).toEqual([
      0, 15_000, 30_000, 45_000, 60_000,
    ]);
  });

  it('fails a lookup as throttled instead of waiting longer than allowed for a rate-limit slot', async () => {
    const time = virtualTime();
    const provider = fakeProvider('virustotal', { name: 'VirusTotal', answer: finding('harmless') });
    const enrichment = service([provider], time, {
      limits: { virustotal: { requestsPerMinute: 4 } },
      maxWaitMs: 10_000,
    });
    const result = await enrichment.enrich(
      ['91.240.118.1', '91.240.118.2', '91.240.118.3'].map((value) => ({ type: 'ipv4' as const, value })),
    );
    expect(provider.calls).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
    expect(result.indicators.map((entry) => entry.failures)).toEqual([
      [],
      ...[1, 2].map(() => [
        {
          provider: 'VirusTotal',
          kind: 'throttled',
          message: 'VirusTotal lookup not sent: its rate limit (4/min) would delay it 15 s',
        },
      ]),
    ]);
  });

  it('bounds the wait from arrival: 50 lookups at 4 a minute send 5 and fail the rest at once as throttled', async () => {
    const time = virtualTime();
    const provider = fakeProvider('virustotal', { name: 'VirusTotal', answer: finding('harmless'), clock: time.clock });
    const indicators: Indicator[] = Array.from({ length: 50 }, (_unused, index) => ({
      type: 'ipv4',
      value: `91.240.118.${index + 1}`,
    }));
    const result = await service([provider], time, { limits: { virustotal: { requestsPerMinute: 4 } } }).enrich(
      indicators,
    );
    expect(provider.calls).toHaveLength(5);
    expect(time.elapsed()).toBe(60_000);
    const throttled = result.indicators.filter((entry) =>
      entry.failures.some((failure) => failure.kind === 'throttled'),
    );
    expect(throttled).toHaveLength(45);
    expect(throttled[0].failures[0].message).toBe(
      'VirusTotal lookup not sent: its rate limit (4/min) would delay it 75 s',
    );
  });

  it('honours Retry-After from a provider before retrying', async () => {
    const time = virtualTime();
    let attempts = 0;
    const provider = fakeProvider('abuseipdb', {
      answer: async () => {
        attempts += 1;
        if (attempts === 1) {
          throw new ThreatIntelError('AbuseIPDB', 'throttled', 'AbuseIPDB is throttling requests (HTTP 429)', {
            status: 429,
            retryAfterMs: 7_000,
          });
        }
        return finding('malicious');
      },
    });
    const [entry] = (await service([provider], time).enrich([PUBLIC_IP])).indicators;
    expect(entry.verdict).toBe('malicious');
    expect(time.sleeps).toEqual([7_000]);
  });

  it('refangs and deduplicates indicators, and explains invalid or unsupported ones', async () => {
    const time = virtualTime();
    const ipOnly = fakeProvider('abuseipdb', {
      supports: (indicator) => indicator.type === 'ipv4' || indicator.type === 'ipv6',
    });
    const result = await service([ipOnly], time).enrich([
      { type: 'ipv4', value: '91.240.118[.]172' },
      PUBLIC_IP,
      { type: 'md5', value: 'not-a-hash' },
      HASH,
    ]);
    expect(ipOnly.calls).toHaveLength(1);
    expect(result.indicators.map((entry) => [entry.indicator.value, entry.summary])).toEqual([
      ['91.240.118.172', 'Harmless according to abuseipdb.'],
      ['not-a-hash', 'not looked up: not a valid MD5 hash'],
      [HASH.value, 'not looked up: no configured provider looks up SHA-256 hashes'],
    ]);
  });

  it('logs failures without keys, headers or bodies', async () => {
    const time = virtualTime();
    const { logger, lines } = capturingLogger();
    const failing = fakeProvider('virustotal', {
      name: 'VirusTotal',
      answer: new ThreatIntelError('VirusTotal', 'auth', 'VirusTotal refused the credentials (HTTP 401)', {
        status: 401,
      }),
    });
    await service([failing], time, { logger }).enrich([PUBLIC_IP]);
    const logged = lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({
        level: 40,
        provider: 'virustotal',
        indicatorType: 'ipv4',
        failure: 'auth',
        status: 401,
        msg: 'VirusTotal refused the credentials (HTTP 401)',
      }),
    ]);
  });
});

describe('EnrichmentService circuit breaker per provider', () => {
  const down = () => new ThreatIntelError('OTX', 'unavailable', 'OTX failed (HTTP 503)', { status: 503 });
  const indicators = (count: number): Indicator[] =>
    Array.from({ length: count }, (_, index) => ({ type: 'ipv4', value: `91.240.118.${10 + index}` }));

  it('skips a provider that keeps failing, names it, keeps the others, and tries it again after the cool-down', async () => {
    const time = virtualTime();
    const otx = fakeProvider('otx', { name: 'OTX', answer: down() });
    const virusTotal = fakeProvider('virustotal', { name: 'VirusTotal', answer: finding('harmless') });
    const enrichment = service([otx, virusTotal], time, {
      maxRetries: 0,
      circuit: { failureThreshold: 3, coolDownMs: 60_000 },
    });
    for (const indicator of indicators(3)) await enrichment.enrich([indicator]);
    expect(otx.calls).toHaveLength(3);
    expect(enrichment.health()).toEqual([
      { api: 'threat intelligence: OTX', circuit: 'open' },
      { api: 'threat intelligence: VirusTotal', circuit: 'closed' },
    ]);

    const skipped = await enrichment.enrich([{ type: 'ipv4', value: '91.240.118.99' }]);
    expect(otx.calls).toHaveLength(3);
    expect(skipped.indicators[0].failures).toEqual([
      {
        provider: 'OTX',
        kind: 'unavailable',
        message: 'OTX kept failing, so it is not asked again until 09:01:00 UTC',
      },
    ]);
    expect(skipped.indicators[0].evidence.map((item) => item.provider)).toEqual(['VirusTotal']);

    time.advance(60_000);
    otx.answer = finding('suspicious');
    const recovered = await enrichment.enrich([{ type: 'ipv4', value: '91.240.118.98' }]);
    expect(otx.calls).toHaveLength(4);
    expect(recovered.indicators[0].verdict).toBe('suspicious');
    expect(enrichment.health()[0].circuit).toBe('closed');
  });

  it('does not count answers that show the provider is up (auth, throttled)', async () => {
    const time = virtualTime();
    const otx = fakeProvider('otx', {
      name: 'OTX',
      answer: new ThreatIntelError('OTX', 'auth', 'OTX rejected the key (HTTP 401)', { status: 401 }),
    });
    const enrichment = service([otx], time, { maxRetries: 0, circuit: { failureThreshold: 2, coolDownMs: 60_000 } });
    for (const indicator of indicators(4)) await enrichment.enrich([indicator]);
    expect(otx.calls).toHaveLength(4);
    expect(enrichment.health()[0].circuit).toBe('closed');
  });

  it('does not let failures that never reached the provider (our own rate limit, no status) reset the count', async () => {
    const time = virtualTime();
    const otx = fakeProvider('otx', { name: 'OTX', answer: down() });
    const enrichment = service([otx], time, { maxRetries: 0, circuit: { failureThreshold: 2, coolDownMs: 60_000 } });
    const [first, second, third] = indicators(3);
    await enrichment.enrich([first]);
    otx.answer = new ThreatIntelError('OTX', 'throttled', 'OTX lookup not sent: its rate limit', { retryable: false });
    await enrichment.enrich([second]);
    expect(enrichment.health()[0].circuit).toBe('closed');
    otx.answer = down();
    await enrichment.enrich([third]);
    expect(enrichment.health()[0].circuit).toBe('open');
  });
});
