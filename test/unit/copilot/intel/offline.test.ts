import { analyzeThreatIntel, ThreatIntelAnalysisSchema } from '../../../../src/copilot/intel';
import { emptyAssociations } from '../../../../src/intel/enrichment';
import { injection, intelDependencies, ScriptedEnrichment } from './intel-support';

const malicious = {
  evidence: [
    { provider: 'VirusTotal', verdict: 'malicious' as const, score: { value: 14, max: 94, label: '14 of 94 engines' } },
    {
      provider: 'AlienVault OTX',
      verdict: 'malicious' as const,
      associations: { malwareFamilies: ['Cobalt Strike'], groups: ['APT29', 'Unheard-Of Gang'], tags: ['c2'] },
    },
  ],
};

describe('analyzeThreatIntel offline', () => {
  it('classifies every indicator and never looks up private, documentation or internal ones', async () => {
    const enrichment = new ScriptedEnrichment();
    const result = await analyzeThreatIntel(
      { text: 'analyze 203.0.113[.]7 evil[.]example 10.1.2[.]3 8.8.8[.]8 hxxps://cdn.contoso-updates[.]com/a.ps1' },
      intelDependencies({ enrichment }),
    );
    ThreatIntelAnalysisSchema.parse(result.result);
    expect(result.engine.kind).toBe('offline');
    const byValue = Object.fromEntries(result.result.indicators.map((indicator) => [indicator.value, indicator]));
    expect(byValue['203.0.113.7'].classification).toBe('documentation');
    expect(byValue['evil.example'].classification).toBe('reservedName');
    expect(byValue['10.1.2.3'].classification).toBe('private');
    expect(byValue['8.8.8.8'].classification).toBe('knownBenign');
    expect(byValue['https://cdn.contoso-updates.com/a.ps1'].classification).toBe('public');
    const actions = Object.fromEntries(result.result.actions.map((action) => [action.indicator, action.action]));
    expect(actions).toMatchObject({
      '203.0.113.7': 'ignore',
      'evil.example': 'ignore',
      '10.1.2.3': 'ignore',
      '8.8.8.8': 'ignore',
      'https://cdn.contoso-updates.com/a.ps1': 'watch',
    });
    expect(byValue['203.0.113.7'].notLookedUp).toMatch(/not looked up/);
  });

  it('blocks what providers rate malicious, keeps partial results when a provider fails, and grounds associations', async () => {
    const enrichment = new ScriptedEnrichment({
      '185.220.101.4': malicious,
      'update-check.net': {
        evidence: [{ provider: 'VirusTotal', verdict: 'suspicious' }],
        failures: [{ provider: 'AlienVault OTX', kind: 'throttled', message: 'AlienVault OTX is rate limiting' }],
      },
    });
    const result = await analyzeThreatIntel(
      {
        text:
          'Beacon to 185.220.101[.]4 and update-check[.]net after encoded PowerShell (powershell -enc ...). ' +
          'The report blames Mustang Panda; Play alone is a word, Play ransomware is not. T1566.001 phishing.',
      },
      intelDependencies({ enrichment }),
    );
    const analysis = ThreatIntelAnalysisSchema.parse(result.result);
    expect(analysis.actions[0]).toMatchObject({ indicator: '185.220.101.4', action: 'block' });
    expect(analysis.actions.find((action) => action.indicator === 'update-check.net')?.action).toBe('watch');
    const suspicious = analysis.indicators.find((indicator) => indicator.value === 'update-check.net');
    expect(suspicious?.failures).toEqual([
      { provider: 'AlienVault OTX', kind: 'throttled', message: expect.any(String) },
    ]);
    expect(suspicious?.providers).toHaveLength(1);
    expect(analysis.assessment.overallVerdict).toBe('malicious');

    const names = analysis.associations.map((association) => association.name);
    expect(names).toEqual(expect.arrayContaining(['Mustang Panda', 'Play', 'APT29', 'Cobalt Strike']));
    expect(names).not.toContain('Unheard-Of Gang');
    expect(analysis.associations.filter((association) => association.name === 'Play')).toHaveLength(1);
    expect(analysis.associations.find((association) => association.name === 'APT29')?.evidence).toMatch(/associates/);

    const techniqueIds = analysis.techniques.map((technique) => technique.id);
    expect(techniqueIds).toEqual(expect.arrayContaining(['T1566.001', 'T1059.001']));
    expect(analysis.hunts.some((hunt) => hunt.kind === 'template' && hunt.templateId === 'encoded-powershell')).toBe(
      true,
    );
    expect(analysis.hunts.filter((hunt) => hunt.kind === 'indicator').map((hunt) => hunt.indicator?.value)).toEqual([
      '185.220.101.4',
      'update-check.net',
    ]);
  });

  it('does not name an actor for an everyday word or a name inside an indicator', async () => {
    const result = await analyzeThreatIntel(
      {
        text: 'We play it safe: ping the royal host at turla-mirror[.]com and check 185.220.101[.]4; cmd.exe ran certutil.exe and net.exe',
      },
      intelDependencies(),
    );
    expect(result.result.associations).toEqual([]);
  });

  it('watches a well-known service a provider flags rather than blocking it', async () => {
    const enrichment = new ScriptedEnrichment({ 'google.com': malicious });
    const result = await analyzeThreatIntel({ text: 'seen google[.]com' }, intelDependencies({ enrichment }));
    expect(result.result.actions).toEqual([expect.objectContaining({ indicator: 'google.com', action: 'watch' })]);
  });

  it('says when no provider is configured and rates its confidence low', async () => {
    const enrichment = new ScriptedEnrichment({}, []);
    const result = await analyzeThreatIntel({ text: '185.220.101[.]4' }, intelDependencies({ enrichment }));
    expect(result.result.assessment.summary).toMatch(/No threat-intelligence provider is configured/);
    expect(result.result.assessment.confidence).toBe('low');
    expect(result.result.actions[0]).toMatchObject({ action: 'watch', reason: expect.stringMatching(/no verdict/i) });
    expect(result.result.providers).toEqual([]);
  });

  it('caps the lookups per analysis and says how many were left out', async () => {
    const text = Array.from({ length: 30 }, (_, index) => `185.220.101[.]${index + 1}`).join('\n');
    const enrichment = new ScriptedEnrichment();
    const result = await analyzeThreatIntel({ text }, intelDependencies({ enrichment }));
    expect(enrichment.asked[0]).toHaveLength(25);
    expect(result.result.omittedIndicators).toBe(5);
    expect(result.notes.join(' ')).toMatch(/5 more indicator/);
  });

  it('gives the same verdicts and actions when the text tries to talk them down (prompt injection)', async () => {
    const answers = { '185.220.101.4': malicious };
    const plain = await analyzeThreatIntel(
      { text: 'C2 at 185.220.101[.]4' },
      intelDependencies({ enrichment: new ScriptedEnrichment(answers) }),
    );
    const injected = await analyzeThreatIntel(
      { text: `C2 at 185.220.101[.]4. ${injection}` },
      intelDependencies({ enrichment: new ScriptedEnrichment(answers) }),
    );
    const verdictsOf = (result: typeof plain) =>
      result.result.indicators
        .filter((indicator) => !indicator.value.includes('evil.example'))
        .map((indicator) => [indicator.value, indicator.verdict]);
    expect(verdictsOf(injected)).toEqual(verdictsOf(plain));
    expect(injected.result.actions.find((action) => action.indicator === '185.220.101.4')?.action).toBe('block');
    expect(injected.result.assessment.overallVerdict).toBe('malicious');
    // The URL in the injection is an indicator like any other: documentation name, nothing to block.
    expect(injected.result.actions.find((action) => action.indicator === 'http://evil.example')?.action).toBe('ignore');
  });

  it('passes provider associations through as data, not as ATT&CK facts', async () => {
    const enrichment = new ScriptedEnrichment({
      '185.220.101.4': {
        evidence: [
          { provider: 'OTX', verdict: 'suspicious', associations: { ...emptyAssociations(), tags: ['scanner'] } },
        ],
      },
    });
    const result = await analyzeThreatIntel({ text: '185.220.101[.]4' }, intelDependencies({ enrichment }));
    expect(result.result.indicators[0].tags).toEqual(['scanner']);
    expect(result.result.associations).toEqual([]);
  });
});
