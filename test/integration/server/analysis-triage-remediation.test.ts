import { cardAction, channelMessage, personalMessage } from '../../support/activities';
import { validRepliedCards, useConnectedBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';

/** Analyze, triage and remediate through the real HTTP edge and routes, with demo data and no LLM. */

const harness = useConnectedBot();
beforeEach(() => harness.connector.reset());

const cardsFor = (activity: Record<string, unknown>) => validRepliedCards(harness.testBot, activity);

function executeVerbs(card: unknown): Array<{ verb: string; data: Record<string, string> }> {
  const found: Array<{ verb: string; data: Record<string, string> }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'Action.Execute')
        found.push({ verb: String(record.verb), data: record.data as Record<string, string> });
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return found;
}

describe('analyze alert', () => {
  it('answers "analyze alert da-1004" with the analysis card', async () => {
    const cards = await cardsFor(personalMessage('analyze alert da-1004'));
    expect(cards).toHaveLength(1);
    const shown = renderedText(cards[0]);
    expect(shown).toContain('Alert analysis');
    expect(shown).toContain('Suspicious access to LSASS service');
    expect(shown).toContain('T1003.001');
    expect(shown).toContain('Credential Access');
    expect(shown).toContain('Related alerts');
    expect(shown).toContain('Offline analysis — no LLM was used');
    expect(executeVerbs(cards[0])).toContainEqual({ verb: 'remediateAlert', data: { alertId: 'da-1004' } });
  });

  it('answers in a channel thread too', async () => {
    const cards = await cardsFor(channelMessage('<at>SOC Copilot</at> analyse alert da-1009'));
    expect(renderedText(cards[0])).toContain('T1486');
  });

  it('the Analyze button posts the analysis to the conversation', async () => {
    const response = await harness.testBot.post(
      cardAction('analyzeAlert', { alertId: 'da-1004' }, { serviceUrl: harness.connector.url }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ statusCode: 200, value: 'Analysis posted.' });
    const posted = harness.connector.cards();
    expect(posted).toHaveLength(1);
    expectValidCard(posted[0].card);
    expect(renderedText(posted[0].card)).toContain('Alert analysis');
    expect(renderedText(posted[0].card)).toContain('T1003.001');
  });

  it('the Analyze button without an alert id says so', async () => {
    const response = await harness.testBot.post(cardAction('analyzeAlert', {}, { serviceUrl: harness.connector.url }));
    expect(response.body.value).toContain('did not say which alert');
  });

  it('an unknown alert gets a not-found card', async () => {
    const cards = await cardsFor(personalMessage('analyze alert nope-1'));
    expect(renderedText(cards[0])).toContain('Not found');
  });
});

describe('triage', () => {
  it('answers "triage" with ranked open alerts, each with Explain / Analyze / Remediate buttons', async () => {
    const cards = await cardsFor(personalMessage('triage'));
    expect(cards).toHaveLength(1);
    const shown = renderedText(cards[0]);
    expect(shown).toMatch(/Top 10 of \d+ open alerts/);
    expect(shown).toContain('#1');
    expect(shown).not.toMatch(/\bResolved\b/);
    const verbs = executeVerbs(cards[0]);
    for (const verb of ['explainAlert', 'analyzeAlert', 'remediateAlert', 'remediateIncident'])
      expect(verbs.map((action) => action.verb)).toContain(verb);
  });

  it('"what should I look at first?" and "triage high" are triage too', async () => {
    const [first] = await cardsFor(personalMessage('What should I look at first?'));
    expect(renderedText(first)).toMatch(/open alerts/);
    const [high] = await cardsFor(personalMessage('triage high'));
    expect(renderedText(high)).toContain('high severity and above');
    expect(renderedText(high)).not.toMatch(/Medium · /);
  });
});

describe('remediation', () => {
  it('answers "remediation for alert da-1009" with ordered steps, isolation of fs01 first', async () => {
    const cards = await cardsFor(personalMessage('remediation for alert da-1009'));
    expect(cards).toHaveLength(1);
    const shown = renderedText(cards[0]);
    expect(shown).toContain('Response guidance');
    expect(shown).toContain('Contain');
    expect(shown).toMatch(/1\. Isolate fs01\[\.\]contoso\[\.\]com/);
    expect(shown).toContain('Defender for Endpoint: Security Operator');
    expect(shown).toContain('M1053');
  });

  it('answers "how do I contain incident 45?" for the whole incident', async () => {
    const [card] = await cardsFor(personalMessage('how do I contain incident 45?'));
    expect(renderedText(card)).toContain('Incident · 45');
  });

  it('"how do I contain this?" with no subject asks which alert or incident', async () => {
    // A conversation of its own: in one that discussed an alert, the thread's memory answers for it.
    const fresh = personalMessage('how do I contain this?');
    const [card] = await cardsFor({
      ...fresh,
      conversation: { ...(fresh.conversation as object), id: 'a:fresh-chat' },
    });
    expect(renderedText(card)).toMatch(/Which alert or incident\?/);
  });

  it('the Remediate button posts response guidance', async () => {
    const response = await harness.testBot.post(
      cardAction('remediateAlert', { alertId: 'da-1009' }, { serviceUrl: harness.connector.url }),
    );
    expect(response.body).toMatchObject({ statusCode: 200, value: 'Response guidance posted.' });
    expectValidCard(harness.connector.cards()[0].card);
    expect(renderedText(harness.connector.cards()[0].card)).toContain('Isolate');
  });

  it('the Remediate incident button posts response guidance for the incident', async () => {
    const response = await harness.testBot.post(
      cardAction('remediateIncident', { incidentId: '42' }, { serviceUrl: harness.connector.url }),
    );
    expect(response.body).toMatchObject({ statusCode: 200, value: 'Response guidance posted.' });
    expect(renderedText(harness.connector.cards()[0].card)).toContain('inbox rule');
  });
});
