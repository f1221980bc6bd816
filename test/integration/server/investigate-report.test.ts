import { cardAction, channelMessage, personalMessage } from '../../support/activities';
import { onlyRepliedCard, startTestBot, type TestBot, useConnectedBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';
import { FakeLlmClient } from '../../support/fake-llm';
import { matchMessageRoute } from '../../../src/teams/routes';
import { recordedAnswer42 } from '../../unit/copilot/investigate/investigate-support';

/** Investigate and report through /api/messages, offline (demo data), and one deferred answer with a fake LLM. */

const harness = useConnectedBot();
beforeEach(() => harness.connector.reset());

const onlyCard = (activity: Record<string, unknown>) => onlyRepliedCard(harness.testBot, activity);

describe('investigate in chat', () => {
  it('answers "investigate incident 42" in a channel with the investigation card', async () => {
    const card = await onlyCard(channelMessage('investigate incident 42'));
    const shown = renderedText(card);
    expect(shown).toContain('Incident investigated');
    expect(shown).toContain('Phishing leads to mailbox takeover');
    expect(shown).toContain('Containment (in order)');
    expect(shown).toContain('priya.raman[@]contoso[.]com');
    expect(shown).toContain('Offline analysis — no LLM was used');
    expect(JSON.stringify(card.actions)).toContain('reportIncident');
  });

  it('answers "investigate 42" and "investigate alert da-1004" (the alert incident)', async () => {
    expect(renderedText(await onlyCard(personalMessage('investigate 42')))).toContain('Incident 42');
    expect(renderedText(await onlyCard(personalMessage('investigate alert da-1004')))).toContain('Incident 43');
  });

  it('says clearly when the incident does not exist', async () => {
    const shown = renderedText(await onlyCard(personalMessage('investigate incident 4242')));
    expect(shown).toContain('Not found');
    expect(shown).toContain('4242');
  });

  it('lists both capabilities on the help card', async () => {
    const shown = renderedText(await onlyCard(personalMessage('help')));
    expect(shown).toContain('investigate incident 42');
    expect(shown).toContain('report incident 42 for executives');
  });
});

describe('reports in chat', () => {
  it('answers "report incident 42 for executives" with a TLP:AMBER executive report', async () => {
    const card = await onlyCard(channelMessage('report incident 42 for executives'));
    const shown = renderedText(card);
    expect(shown.startsWith('TLP:AMBER')).toBe(true);
    expect(shown).toContain('Incident report for executives');
    expect(shown).toContain('Decisions needed');
    // Earlier tests in this file investigated incident 42, so the report is built from those stored findings.
    expect(shown).toMatch(/Based on (an investigation|the stored findings) of incident 42/);
    expect(shown).not.toMatch(/\bbreach/i);
  });

  it('writes the technical and the regulator versions, and honours a TLP marking', async () => {
    const technical = renderedText(await onlyCard(personalMessage('report incident 43 for technical tlp:red')));
    expect(technical.startsWith('TLP:RED')).toBe(true);
    expect(technical).toContain('T1059.001');
    const regulator = renderedText(await onlyCard(personalMessage('report incident 42 for the regulator')));
    expect(regulator).toContain('Incident report for the regulator');
  });
});

describe('routing', () => {
  it.each([
    ['investigate incident 42', 'investigateIncidentById', { incidentId: '42' }],
    ['investigate #42.', 'investigateIncidentById', { incidentId: '42' }],
    ['investigate alert da-1004', 'investigateIncidentById', { alertId: 'da-1004' }],
    ['investigate {"IncidentNumber": 7}', 'investigateIncidentJson', {}],
    ['report incident 42 for executives', 'reportIncident', { incidentId: '42', audience: 'executives' }],
    ['incident report 42 to the board tlp:amber+strict', 'reportIncident', { incidentId: '42', tlp: 'amber+strict' }],
    ['report incident 42', 'reportIncident', { incidentId: '42', audience: undefined }],
  ])('routes "%s" to %s', (text, intent, groups) => {
    const match = matchMessageRoute(text);
    expect(match?.intent).toBe(intent);
    expect(match?.groups).toMatchObject(groups);
  });

  it.each(['investigate it', 'investigate this', 'report for executives', 'what is T1566.001', 'check 203.0.113.7'])(
    'leaves "%s" to other routes',
    (text) => {
      expect(['investigateIncidentById', 'reportIncident']).not.toContain(matchMessageRoute(text)?.intent);
    },
  );

  it('follows "now the report for executives" after an investigation in the same chat', async () => {
    await onlyCard(personalMessage('investigate incident 44'));
    const shown = renderedText(await onlyCard(personalMessage('now the report for executives')));
    expect(shown).toContain('Incident report for executives');
    expect(shown).toContain('Incident 44');
  });
});

describe('the buttons', () => {
  it('Report for executives posts the report to the conversation', async () => {
    const response = await harness.testBot.post(
      cardAction('reportIncident', { incidentId: '42', audience: 'executive' }, { serviceUrl: harness.connector.url }),
    );
    expect(response.body).toMatchObject({ statusCode: 200, value: 'Report posted.' });
    const [posted] = harness.connector.cards();
    expectValidCard(posted.card);
    expect(renderedText(posted.card)).toContain('Incident report for executives');
  });

  it('Investigate on an alert card investigates the alert incident', async () => {
    const response = await harness.testBot.post(
      cardAction('investigateAlert', { alertId: 'da-1009' }, { serviceUrl: harness.connector.url }),
    );
    expect(response.body).toMatchObject({ statusCode: 200, value: 'Investigation posted.' });
    const [posted] = harness.connector.cards();
    expectValidCard(posted.card);
    expect(renderedText(posted.card)).toContain('Incident 45');
  });

  it('Investigate on a report investigates the incident, and bad data gets a clear message', async () => {
    await harness.testBot.post(
      cardAction('investigateIncident', { incidentId: '44' }, { serviceUrl: harness.connector.url }),
    );
    expect(renderedText(harness.connector.cards()[0].card)).toContain('Incident 44');
    const refused = await harness.testBot.post(
      cardAction('reportIncident', { audience: 'board' }, { serviceUrl: harness.connector.url }),
    );
    expect(refused.body.value).toContain('did not say which incident');
  });
});

describe('with an LLM', () => {
  let llmBot: TestBot;
  const llm = new FakeLlmClient({ model: 'fake-gpt' });
  beforeAll(async () => {
    llmBot = await startTestBot({ overrides: { llm } });
  });
  afterAll(() => llmBot.stop());

  it('acknowledges with a working card and replaces it with the grounded investigation', async () => {
    const answer = recordedAnswer42();
    answer.techniques.push({ id: 'T1999.999', evidenceIds: [] });
    llm.answer(answer);
    const response = await llmBot.post(
      channelMessage('investigate incident 42', { serviceUrl: harness.connector.url, expectReplies: false }),
    );
    expect(response.status).toBe(200);
    const [working] = harness.connector.cards();
    expect(renderedText(working.card)).toContain('investigating the incident');
    const [, update] = await harness.connector.waitForCalls(2, 15_000);
    expect(update.method).toBe('PUT');
    const card = harness.connector.cards()[1].card;
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('fake-gpt');
    expect(shown).toContain('tokens');
    expect(shown).not.toContain('T1999.999 ');
    expect(shown).toContain('Removed ATT&CK IDs the model gave that do not exist: T1999.999');
  });
});
