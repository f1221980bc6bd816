import { analyst, cardAction, channelMessage, personalMessage } from '../../support/activities';
import { repliedCards, startTestBot, type TestBot } from '../../support/bot-harness';
import { renderedText } from '../../support/cards';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';

/** The allow-list and the roles, enforced on the server for messages and invokes. */
let connector: FakeConnector;
beforeAll(async () => {
  connector = await startFakeConnector();
});
afterAll(() => connector.stop());
beforeEach(() => connector.reset());

const query = 'SigninLogs | where TimeGenerated > ago(1d) | take 5';

describe('tenant allow-list', () => {
  let testBot: TestBot;
  beforeAll(async () => {
    testBot = await startTestBot({ environment: { ALLOWED_TENANT_IDS: '99999999-9999-9999-9999-999999999999' } });
  });
  afterAll(() => testBot.stop());

  it('answers a user of another tenant with a polite refusal and nothing else', async () => {
    const response = await testBot.post(channelMessage('explain alert da-1004'));
    expect(response.status).toBe(200);
    const activities = response.body.activities as Array<Record<string, unknown>>;
    expect(activities).toHaveLength(1);
    expect(String(activities[0].text)).toContain('serves only the teams it was set up for');
    expect(repliedCards(response.body)).toHaveLength(0);
  });
});

describe('roles', () => {
  let testBot: TestBot;
  beforeAll(async () => {
    testBot = await startTestBot({ environment: { RESPONDER_IDS: 'someone-else', LEAD_IDS: analyst.aadObjectId } });
  });
  afterAll(() => testBot.stop());

  it('lets a lead run queries and write executive reports', async () => {
    const run = repliedCards((await testBot.post(personalMessage(`run ${query}`))).body);
    expect(renderedText(run[0])).toContain('Query results');
  });

  it('refuses the Run query button on the server to someone without the responder role', async () => {
    const response = await testBot.post(
      cardAction('runHuntQuery', { query, platform: 'sentinel' }, { serviceUrl: connector.url }),
    );
    // The analyst here is a lead (allowed); the same click from a stranger is refused.
    expect(response.body.value).toBe('Running the query.');
    const stranger = cardAction('runHuntQuery', { query, platform: 'sentinel' }, { serviceUrl: connector.url });
    (stranger.from as Record<string, unknown>).aadObjectId = 'not-a-responder';
    connector.reset();
    const refused = await testBot.post(stranger);
    expect(String(refused.body.value)).toContain('needs the responder role');
    const cards = connector.cards().map((entry) => renderedText(entry.card));
    expect(cards.join('\n')).toContain('Not allowed');
    expect(cards.join('\n')).not.toContain('Query results');
  });

  it('refuses "run <query>" and executive reports to someone without the role', async () => {
    const message = personalMessage(`run ${query}`);
    message.from = { ...(message.from as object), aadObjectId: 'not-a-responder' };
    const shown = renderedText(repliedCards((await testBot.post(message)).body)[0]);
    expect(shown).toContain('Not allowed');
    expect(shown).toContain('RESPONDER_IDS');

    const report = personalMessage('report incident 42 for executives');
    report.from = { ...(report.from as object), aadObjectId: 'not-a-responder' };
    expect(renderedText(repliedCards((await testBot.post(report)).body)[0])).toContain('needs the lead role');
    const technical = personalMessage('report incident 42 for technical');
    technical.from = { ...(technical.from as object), aadObjectId: 'not-a-responder' };
    expect(renderedText(repliedCards((await testBot.post(technical)).body)[0])).not.toContain('Not allowed');
  });
});
