import { huntForIndicator, indicatorHuntQuery, suggestHunts } from '../../../../src/copilot/intel/hunts';
import type { AnalyzedIndicator } from '../../../../src/copilot/intel/schema';
import { defaultAttackKnowledge } from '../../../../src/intel/attack/facts';
import type { Indicator } from '../../../../src/intel/enrichment';
import { validateKql } from '../../../../src/kql/validator';

const indicators: Indicator[] = [
  { type: 'ipv4', value: '185.220.101.4' },
  { type: 'ipv6', value: '2a00:1450:4001:82a::200e' },
  { type: 'domain', value: 'evil-updates.com' },
  { type: 'url', value: 'https://evil-updates.com/path?q="quoted"&x=1' },
  { type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' },
  { type: 'sha1', value: '3395856ce81f2b7382dee72602f798b642f14140' },
  { type: 'sha256', value: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f' },
];

describe('sweep queries for an indicator', () => {
  it.each(
    indicators.flatMap((indicator) => (['sentinel', 'defender'] as const).map((platform) => ({ indicator, platform }))),
  )('validates the $indicator.type query for $platform against the real schema', ({ indicator, platform }) => {
    const { result, notes } = huntForIndicator(indicator, platform, validateKql);
    expect(result.validation).toEqual({ status: 'validated', diagnostics: expect.any(Array) });
    expect(result.validation.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(notes).toEqual([]);
    expect(result.query).toContain(
      platform === 'defender' ? 'Timestamp > ago(lookback)' : 'TimeGenerated > ago(lookback)',
    );
  });

  it('quotes the indicator as a verbatim string, so a quote in a URL cannot end it', () => {
    const query = indicatorHuntQuery(indicators[3], 'sentinel');
    expect(query).toContain('let indicator = @"https://evil-updates.com/path?q=""quoted""&x=1";');
    expect(query).toContain('let host = @"evil-updates.com";');
  });
});

describe('hunt suggestions', () => {
  const analyzed = (value: string, type: AnalyzedIndicator['type']): AnalyzedIndicator => ({
    type,
    value,
    classification: 'public',
    classificationNote: '',
    verdict: 'unknown',
    verdictSummary: '',
    providers: [],
    failures: [],
    tags: [],
    malwareFamilies: [],
    groups: [],
  });

  it('suggests templates by the techniques the text shows and sweeps for indicators worth watching', () => {
    const hunts = suggestHunts(
      'The actor requested RC4 service tickets (kerberoasting) from 185.220.101[.]4',
      ['T1558.003'],
      [analyzed('185.220.101.4', 'ipv4'), analyzed('10.0.0.5', 'ipv4')],
      [
        { type: 'ipv4', indicator: '185.220.101.4', action: 'watch', reason: '' },
        { type: 'ipv4', indicator: '10.0.0.5', action: 'ignore', reason: '' },
      ],
      defaultAttackKnowledge(),
    );
    expect(hunts.find((hunt) => hunt.kind === 'template')?.templateId).toBe('kerberoasting');
    const sweeps = hunts.filter((hunt) => hunt.kind === 'indicator');
    expect(sweeps.map((hunt) => hunt.indicator?.value)).toEqual(['185.220.101.4']);
    expect(sweeps[0].suggestion).toMatch(/^Hunt for 185\.220\.101\.4 in /);
    // A watched external address suggests the beaconing hunt by its type alone.
    expect(hunts.some((hunt) => hunt.templateId === 'beaconing')).toBe(true);
  });
});

describe('hunt suggestions by indicator type', () => {
  it('suggests no network hunt for indicators that are only ignored', () => {
    const hunts = suggestHunts(
      'nothing to see',
      [],
      [
        {
          type: 'ipv4',
          value: '10.0.0.5',
          classification: 'private',
          classificationNote: '',
          verdict: 'unknown',
          verdictSummary: '',
          providers: [],
          failures: [],
          tags: [],
          malwareFamilies: [],
          groups: [],
        },
      ],
      [{ type: 'ipv4', indicator: '10.0.0.5', action: 'ignore', reason: '' }],
      defaultAttackKnowledge(),
    );
    expect(hunts).toEqual([]);
  });
});
