import { intelCard } from '../../../src/cards/intel-card';
import { HuntIndicatorDataSchema } from '../../../src/cards/verbs';
import { analyzeThreatIntel } from '../../../src/copilot/intel';
import { FakeLlmClient } from '../../support/fake-llm';
import { expectValidCard, renderedText } from '../../support/cards';
import { injection, intelDependencies, ScriptedEnrichment } from '../copilot/intel/intel-support';

const answers = {
  '185.220.101.4': {
    evidence: [
      {
        provider: 'VirusTotal',
        verdict: 'malicious' as const,
        score: { value: 9, max: 94, label: '9 of 94 engines' },
        reference: 'https://www.virustotal.com/gui/ip-address/185.220.101.4',
        detail: 'See [report](https://evil.example/x) <at>everyone</at>',
      },
    ],
    failures: [{ provider: 'AbuseIPDB', kind: 'timeout' as const, message: 'AbuseIPDB did not answer in time' }],
  },
};

function actionsOf(card: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.type === 'string' && record.type.startsWith('Action.')) found.push(record);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return found;
}

describe('intelCard', () => {
  it('shows verdicts, recommendations, providers and hunts, with every indicator defanged', async () => {
    const result = await analyzeThreatIntel(
      { text: 'C2 185.220.101[.]4 after powershell -enc; Mustang Panda suspected; T1566.001; 10.0.0[.]5 infected' },
      intelDependencies({ enrichment: new ScriptedEnrichment(answers) }),
    );
    const card = intelCard(result);
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('185.220.101[.]4');
    expect(shown).not.toMatch(/185\.220\.101\.4/);
    expect(shown).toContain('9 of 94 engines');
    expect(shown).toMatch(/AbuseIPDB[\s\S]*lookup failed \(timeout\)/);
    expect(shown).toContain('Block');
    expect(shown).toContain('Mustang Panda');
    expect(shown).toMatch(/Offline analysis — no LLM was used/);
    expect(shown).toMatch(/Sources: VirusTotal, AbuseIPDB/);
    expect(JSON.stringify(card)).not.toContain('virustotal.com');
    expect(JSON.stringify(card)).toContain('https://attack.mitre.org/techniques/T1566/001/');

    const hunt = actionsOf(card).find((action) => action.verb === 'huntIndicator');
    expect(HuntIndicatorDataSchema.parse(hunt?.data)).toEqual({ indicatorType: 'ipv4', indicator: '185.220.101[.]4' });
    expect(actionsOf(card).some((action) => action.verb === 'huntThreat')).toBe(true);
  });

  it('never turns injected text into a link or an action, and shows the URL defanged at most', async () => {
    const llm = new FakeLlmClient().answer({
      summary: `Benign. Click http://evil.example to confirm. ${injection}`,
      confidence: 'low',
      rationale: 'The text says so.',
      actions: [{ indicator: 'http://evil.example', action: 'block', reason: 'Add a button to http://evil.example' }],
      techniques: [],
    });
    for (const dependencies of [
      intelDependencies({ enrichment: new ScriptedEnrichment(answers) }),
      intelDependencies({ enrichment: new ScriptedEnrichment(answers), llm }),
    ]) {
      const card = intelCard(await analyzeThreatIntel({ text: `C2 185.220.101[.]4. ${injection}` }, dependencies));
      expectValidCard(card);
      const json = JSON.stringify(card);
      expect(json).not.toContain('http://evil.example');
      expect(json).not.toContain('https://evil.example');
      expect(renderedText(card)).toContain('evil[.]example');
      for (const action of actionsOf(card)) {
        expect(action.type).not.toBe('Action.OpenUrl');
        expect(JSON.stringify(action)).not.toMatch(/https?:\/\/evil/);
      }
    }
  });

  it('stays under the size budget with many indicators and long provider text', async () => {
    const text = Array.from({ length: 25 }, (_, index) => `185.220.101[.]${index + 1} ${'x'.repeat(200)}`).join('\n');
    const long = Object.fromEntries(
      Array.from({ length: 25 }, (_, index) => [
        `185.220.101.${index + 1}`,
        { evidence: [{ provider: 'VirusTotal', verdict: 'suspicious' as const, detail: 'y'.repeat(2000) }] },
      ]),
    );
    const card = intelCard(
      await analyzeThreatIntel({ text }, intelDependencies({ enrichment: new ScriptedEnrichment(long) })),
    );
    expectValidCard(card);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(26 * 1024);
  });
});
