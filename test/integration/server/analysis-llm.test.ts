import { channelMessage } from '../../support/activities';
import { useConnectedBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';
import { FakeLlmClient } from '../../support/fake-llm';

/** With an LLM configured, analyze / triage / remediate answer after a working card, updated in place. */
const llm = new FakeLlmClient({ model: 'recorded-model' });
const harness = useConnectedBot({ overrides: { llm } });
beforeEach(() => harness.connector.reset());

async function answerFor(text: string): Promise<Record<string, unknown>> {
  const response = await harness.testBot.post(
    channelMessage(text, { serviceUrl: harness.connector.url, expectReplies: false }),
  );
  expect(response.status).toBe(200);
  const calls = await harness.connector.waitForCalls(2, 20_000);
  expect(calls[1].method).toBe('PUT');
  const card = harness.connector.cards()[1].card;
  expectValidCard(card);
  return card;
}

describe('with an LLM', () => {
  it('analyze alert: the model writes the assessment, an invented IOC is removed with a note', async () => {
    llm.answer({
      summary: 'LSASS was dumped with comsvcs.dll on eng-wks-022; treat every cached credential as stolen.',
      techniques: [{ id: 'T1003.001', evidence: 'comsvcs.dll MiniDump of lsass' }],
      entities: [
        {
          type: 'host',
          value: 'eng-wks-022.contoso.com',
          role: 'compromised',
          verdict: 'malicious',
          reason: 'Dump written',
        },
        { type: 'ip', value: '45.9.148.99', role: 'C2', verdict: 'malicious', reason: 'Invented' },
      ],
      severity: { level: 'high', reasons: ['Credential theft'] },
      falsePositive: { likelihood: 'low', reasons: ['Defender rates the dump malicious'] },
      nextSteps: [
        { action: 'Isolate the device.', entityType: 'host', entityValue: 'eng-wks-022.contoso.com', why: 'Contain.' },
      ],
    });
    const card = await answerFor('analyze alert da-1004');
    const shown = renderedText(card);
    expect(shown).toContain('treat every cached credential as stolen');
    expect(shown).toContain('recorded-model');
    expect(shown).toContain('not in the alert');
    // Named only in the note that says it was removed, defanged; never as an entity of the analysis.
    expect(shown).toContain('not in the alert: 45.9.148[.]99');
    expect(shown).not.toMatch(/IP address: 45\.9\.148/);
  });

  it('triage: the model rationale with the deterministic scores', async () => {
    llm.answer({ order: [], rationale: 'Start with the ransomware on fs01.', notes: [] });
    const shown = renderedText(await answerFor('triage'));
    expect(shown).toContain('Start with the ransomware on fs01.');
    expect(shown).toMatch(/\d+ pts/);
  });

  it('remediation: the model summary over the rule-based steps', async () => {
    llm.answer({ summary: 'Isolate fs01 now; restore only after eradication.', stepNotes: [], additionalSteps: [] });
    const shown = renderedText(await answerFor('remediation for alert da-1009'));
    expect(shown).toContain('Isolate fs01 now');
    expect(shown).toContain('1. Isolate fs01');
  });
});
