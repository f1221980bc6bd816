import { huntingQueryCard } from '../../../src/cards';
import { text } from '../../../src/cards/card-kit';
import { CARD_BUDGET_BYTES } from '../../../src/cards/size-guard';
import type { HuntingQueryResult } from '../../../src/copilot/hunt';
import type { CapabilityResult } from '../../../src/copilot/result';
import { huntingTemplates } from '../../../src/kql/templates';
import { expectValidCard, renderedText } from '../../support/cards';

const query = `let lookback = 1d;
DeviceProcessEvents
| where Timestamp > ago(lookback)
| where FileName in~ ("powershell.exe", "pwsh.exe")`;

function makeResult(
  overrides: Partial<HuntingQueryResult> = {},
  resultOverrides: Partial<CapabilityResult<HuntingQueryResult>> = {},
): CapabilityResult<HuntingQueryResult> {
  return {
    capability: 'generateHuntingQuery',
    result: {
      query,
      platform: 'defender',
      validation: { status: 'validated', diagnostics: [] },
      detects: 'PowerShell started with an encoded command.',
      expectedFalsePositives: ['Management agents.', 'Installers.'],
      tuning: ['Exclude CcmExec.exe parents.', 'Decode the Base64 text.'],
      explanation: 'Filters process creation to PowerShell with -EncodedCommand.',
      techniques: [{ id: 'T1059.001', name: 'Command and Scripting Interpreter: PowerShell', tactics: ['Execution'] }],
      template: 'encoded-powershell',
      ...overrides,
    },
    engine: { kind: 'offline', durationMs: 3 },
    notes: [],
    subject: {},
    generatedAt: '2026-03-04T10:00:00.000Z',
    ...resultOverrides,
  };
}

function findQueryBlock(card: unknown): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  JSON.stringify(card, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && (value as { fontType?: unknown }).fontType === 'monospace') {
      found = value as Record<string, unknown>;
    }
    return value;
  });
  return found;
}

describe('huntingQueryCard', () => {
  it('shows a validated query in a monospace block with detection, false positives, tuning and techniques', () => {
    const card = huntingQueryCard(makeResult());
    expectValidCard(card);
    expect(findQueryBlock(card)).toMatchObject({ type: 'TextBlock', text: query, wrap: true, fontType: 'monospace' });
    const shown = renderedText(card);
    expect(shown).toContain('Validated');
    expect(shown).toContain('PowerShell started with an encoded command.');
    expect(shown).toContain('Management agents.');
    expect(shown).toContain('Exclude CcmExec.exe parents.');
    expect(shown).toContain('https://attack.mitre.org/techniques/T1059/001/');
    expect(shown).toContain('Offline analysis — no LLM was used');
    expect(shown).toContain('encoded-powershell');
    expect(JSON.stringify(card)).toContain('Action.ToggleVisibility');
  });

  it('offers Run query with the exact query, and a copy-ready field that is not defanged', () => {
    const withIndicator = `${query}\n| where ProcessCommandLine has "https://cdn.evil.example/a.ps1"`;
    const card = huntingQueryCard(makeResult({ query: withIndicator }));
    expectValidCard(card);
    expect(card.actions?.[0]).toEqual({
      type: 'Action.Execute',
      title: 'Run query',
      verb: 'runHuntQuery',
      data: { query: withIndicator, platform: 'defender' },
      style: 'positive',
    });
    const copy = card.actions?.[1];
    expect(copy).toMatchObject({ type: 'Action.ShowCard', title: 'Copy-ready query' });
    expect(JSON.stringify(copy)).toContain(JSON.stringify(withIndicator).slice(1, -1));
    // The readable block shows the indicator defanged.
    expect(String(findQueryBlock(card)?.text)).toContain('hxxps://cdn[.]evil[.]example');
  });

  it('offers no Run button for an unvalidated query', () => {
    const card = huntingQueryCard(makeResult({ validation: { status: 'unvalidated', diagnostics: [] } }));
    expect(JSON.stringify(card)).not.toContain('Action.Execute');
  });

  it('titles a pasted query\'s check "KQL check" and lists its warnings', () => {
    const card = huntingQueryCard(
      makeResult(
        {
          validation: {
            status: 'validated',
            diagnostics: [{ code: 'SOC001', severity: 'warning', message: 'No time filter.', start: 0, length: 1 }],
          },
        },
        { capability: 'validateKql' },
      ),
    );
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('KQL check');
    expect(shown).toContain('1 warning');
    expect(shown).toContain('No time filter.');
  });

  it('shows an unvalidated query with its diagnostics and the LLM engine', () => {
    const card = huntingQueryCard(
      makeResult(
        {
          validation: {
            status: 'unvalidated',
            diagnostics: [
              {
                code: 'KS142',
                severity: 'error',
                message: "The name 'CommandLineText' does not refer to any known column.",
                start: 40,
                length: 15,
              },
            ],
          },
          template: undefined,
        },
        {
          engine: {
            kind: 'llm',
            provider: 'openai',
            model: 'gpt-4o-mini',
            usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2400 },
            durationMs: 10,
          },
          notes: ["The model's query still fails validation after 3 attempt(s)."],
        },
      ),
    );
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('Unvalidated');
    expect(shown).toContain('KS142');
    expect(shown).toContain('CommandLineText');
    expect(shown).toContain('gpt-4o-mini');
    expect(shown).toContain('still fails validation');
  });

  it('says when there is no query', () => {
    const card = huntingQueryCard(
      makeResult({
        query: undefined,
        validation: { status: 'unvalidated', diagnostics: [] },
        detects: '',
        expectedFalsePositives: [],
        tuning: [],
        techniques: [],
        template: undefined,
        explanation: 'No hunting template in the offline library fits this request.',
      }),
    );
    expectValidCard(card);
    expect(findQueryBlock(card)).toBeUndefined();
    expect(renderedText(card)).toContain('No hunting query');
  });

  it('keeps a huge query and many diagnostics under the card budget', () => {
    const hugeQuery = `let lookback = 1d;\nDeviceProcessEvents\n| where Timestamp > ago(lookback)\n${'| where ProcessCommandLine has "x"\n'.repeat(3000)}`;
    const card = huntingQueryCard(
      makeResult({
        query: hugeQuery,
        validation: {
          status: 'unvalidated',
          diagnostics: Array.from({ length: 200 }, (_, index) => ({
            code: 'KS142',
            severity: 'error' as const,
            message: `Problem ${index} ${'z'.repeat(300)}`,
            start: 0,
            length: 1,
          })),
        },
        tuning: Array.from({ length: 50 }, () => 't'.repeat(2000)),
        expectedFalsePositives: Array.from({ length: 50 }, () => 'f'.repeat(2000)),
      }),
    );
    expectValidCard(card);
    expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(findQueryBlock(card)).toBeDefined();
  });

  it('neutralises links in model-written text', () => {
    const card = huntingQueryCard(makeResult({ detects: 'See [here](https://evil.example/x) and www.evil.example' }));
    expectValidCard(card);
  });

  it('shows every template query verbatim, so a copied query runs', () => {
    for (const template of huntingTemplates) {
      for (const templateQuery of Object.values(template.platforms)) {
        expect(text(templateQuery ?? '', 12000)).toBe(templateQuery);
      }
    }
  });
});
