import { enrichmentCard } from '../../../src/cards/enrichment-card';
import { enrichmentCard as exported } from '../../../src/cards';
import { CARD_BUDGET_BYTES, cardByteSize } from '../../../src/cards/size-guard';
import type {
  EnrichmentResult,
  IndicatorEnrichment,
  ProviderEvidence,
  Verdict,
} from '../../../src/intel/enrichment/types';
import { emptyAssociations } from '../../../src/intel/enrichment/types';
import { expectValidCard, renderedText } from '../../support/cards';

function evidence(provider: string, verdict: Verdict, overrides: Partial<ProviderEvidence> = {}): ProviderEvidence {
  return {
    provider,
    verdict,
    detail: `${provider} says ${verdict}.`,
    associations: emptyAssociations(),
    cached: false,
    checkedAt: '2025-03-04T09:00:00.000Z',
    ...overrides,
  };
}

const maliciousIp: IndicatorEnrichment = {
  indicator: { type: 'ipv4', value: '91.240.118.172' },
  verdict: 'malicious',
  summary:
    'Malicious according to VirusTotal (12/94 engines), AbuseIPDB (100% confidence); failed: AlienVault OTX (throttled).',
  evidence: [
    evidence('VirusTotal', 'malicious', {
      score: { value: 12, max: 94, label: '12/94 engines' },
      detail: '12 of 94 engines flag it as malicious; community reputation -35.',
      reference: 'https://www.virustotal.com/gui/ip-address/91.240.118.172',
    }),
    evidence('AbuseIPDB', 'malicious', {
      score: { value: 100, max: 100, label: '100% confidence' },
      cached: true,
      reference: 'https://www.abuseipdb.com/check/91.240.118.172',
    }),
  ],
  failures: [
    { provider: 'AlienVault OTX', kind: 'throttled', message: 'AlienVault OTX is throttling requests (HTTP 429)' },
  ],
  associations: { malwareFamilies: ['Emotet'], groups: ['TA542'], tags: ['c2', 'botnet'] },
};

const harmlessUrl: IndicatorEnrichment = {
  indicator: { type: 'url', value: 'https://contoso-docs.net/guide' },
  verdict: 'harmless',
  summary: 'Harmless according to VirusTotal (0/94 engines).',
  evidence: [evidence('VirusTotal', 'harmless', { score: { value: 0, max: 94, label: '0/94 engines' } })],
  failures: [],
  associations: emptyAssociations(),
};

const privateIp: IndicatorEnrichment = {
  indicator: { type: 'ipv4', value: '10.1.2.3' },
  verdict: 'unknown',
  summary: 'not looked up: private/documentation address (private)',
  notLookedUp: { reason: 'non-public-address', message: 'not looked up: private/documentation address (private)' },
  evidence: [],
  failures: [],
  associations: emptyAssociations(),
};

function result(indicators: IndicatorEnrichment[], providers = ['VirusTotal', 'AbuseIPDB', 'AlienVault OTX']) {
  const value: EnrichmentResult = { indicators, providers, generatedAt: '2025-03-04T09:00:05.000Z' };
  return value;
}

describe('enrichmentCard', () => {
  it('renders each indicator defanged, with its type, verdict, sources and associations', () => {
    const card = enrichmentCard(result([harmlessUrl, privateIp, maliciousIp]));
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('Threat-intel enrichment');
    expect(shown).toContain('3 indicators: 1 malicious, 1 harmless, 1 unknown');
    expect(shown).toContain('91.240.118[.]172');
    expect(shown).toContain('hxxps://contoso-docs[.]net/guide');
    expect(shown).toContain('10.1.2[.]3');
    expect(shown).toContain('IPv4 address');
    expect(shown).toContain('not looked up: private/documentation address (private)');
    expect(shown).toContain('Malicious · 12/94 engines · 12 of 94 engines flag it as malicious');
    expect(shown).toContain('(cached)');
    expect(shown).toContain('Lookup failed (throttled)');
    expect(shown).toContain('Malware: Emotet · Groups: TA542 · Tags: c2, botnet');
    expect(shown).not.toContain('91.240.118.172');
  });

  it('puts the most severe indicators first and colours verdicts', () => {
    const card = enrichmentCard(result([harmlessUrl, privateIp, maliciousIp]));
    const shown = renderedText(card);
    const positions = ['91.240.118[.]172', 'hxxps://contoso-docs[.]net', '10.1.2[.]3'].map((value) =>
      shown.indexOf(value),
    );
    expect([...positions].sort((left, right) => left - right)).toEqual(positions);
    const json = JSON.stringify(card);
    expect(json).toContain('{"type":"TextBlock","text":"Malicious","wrap":true,"weight":"bolder","color":"attention"}');
    expect(json).toContain('{"type":"TextBlock","text":"Harmless","wrap":true,"weight":"bolder","color":"good"}');
    expect(card.body[0]).toMatchObject({ type: 'Container', style: 'attention', bleed: true });
  });

  it("never links to the providers' pages (they are data, not on the safe-link allow-list)", () => {
    const json = JSON.stringify(enrichmentCard(result([maliciousIp])));
    expect(json).not.toMatch(/virustotal\.com|abuseipdb\.com/);
    expect(json).not.toContain('Action.OpenUrl');
  });

  it('neutralises hostile provider text (pulse names, tags)', () => {
    const hostile: IndicatorEnrichment = {
      ...maliciousIp,
      evidence: [
        evidence('AlienVault OTX', 'malicious', {
          detail:
            'Named in 1 pulse; e.g. "[click me](https://evil.example/x) <at>everyone</at> ![img](http://a.b/c.png)".',
        }),
      ],
      associations: { malwareFamilies: ['[x](http://evil.example)'], groups: [], tags: ['www.evil.com'] },
    };
    expectValidCard(enrichmentCard(result([hostile])));
  });

  it('adds ATT&CK techniques with attack.mitre.org links when the caller passes them', () => {
    const card = enrichmentCard(result([maliciousIp]), {
      techniques: [
        { id: 'T1071.001', name: 'Application Layer Protocol: Web Protocols', tactics: ['Command and Control'] },
        { id: 'not-a-technique', name: 'Made up' },
      ],
    });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('MITRE ATT&CK');
    expect(shown).toContain(
      '[T1071.001 Application Layer Protocol: Web Protocols](https://attack.mitre.org/techniques/T1071/001/) — Command and Control',
    );
    expect(shown).toContain('not-a-technique Made up');
  });

  it('names the sources asked and the failed lookups in the footer', () => {
    const shown = renderedText(
      enrichmentCard(result([maliciousIp, { ...maliciousIp, indicator: { type: 'ipv4', value: '91.240.118.9' } }])),
    );
    expect(shown).toContain('Sources: VirusTotal, AbuseIPDB, AlienVault OTX');
    expect(shown).toContain('Failed lookups: AlienVault OTX: 2 throttled');
  });

  it('says so when no provider is configured', () => {
    const unconfigured: IndicatorEnrichment = {
      ...privateIp,
      indicator: { type: 'domain', value: 'login-contoso-verify.top' },
      summary: 'no threat-intelligence provider configured',
      notLookedUp: { reason: 'no-provider-configured', message: 'no threat-intelligence provider configured' },
    };
    const card = enrichmentCard(result([unconfigured], []));
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('No threat-intelligence provider configured');
    expect(shown).toContain('login-contoso-verify[.]top');
  });

  it('keeps a 50-indicator result under the size budget and shows every indicator', () => {
    const indicators = Array.from({ length: 50 }, (_unused, index): IndicatorEnrichment => {
      const verdict: Verdict = (['malicious', 'suspicious', 'harmless', 'unknown'] as const)[index % 4];
      return {
        ...maliciousIp,
        indicator: { type: 'ipv4', value: `91.240.${index}.${200 - index}` },
        verdict,
        summary: `${verdict} according to several providers with a fairly long explanation `.repeat(3),
        evidence: ['VirusTotal', 'AbuseIPDB', 'AlienVault OTX', 'Microsoft Defender TI'].map((provider) =>
          evidence(provider, verdict, {
            score: { value: index, max: 94, label: `${index}/94 engines` },
            detail: 'Named in 12 pulses; e.g. "A very long pulse name about a campaign", "Another long pulse name".',
          }),
        ),
      };
    });
    const card = enrichmentCard(
      result(indicators, ['VirusTotal', 'AbuseIPDB', 'AlienVault OTX', 'Microsoft Defender TI']),
    );
    expectValidCard(card);
    expect(cardByteSize(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    const shown = renderedText(card);
    for (const entry of indicators) {
      const [first, second, third, fourth] = entry.indicator.value.split('.');
      expect(shown).toContain(`${first}.${second}.${third}[.]${fourth}`);
    }
    expect(shown).toContain('40 more indicators');
  });

  it('is exported from the cards index', () => {
    expect(exported).toBe(enrichmentCard);
  });
});
