import { cardAction, channelMessage, personalMessage } from '../../support/activities';
import { onlyRepliedCard, useConnectedBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';

/** "kql: <query>", "run <query>" and the Run query button, through /api/messages against the demo source. */

const harness = useConnectedBot();
beforeEach(() => harness.connector.reset());

async function onlyCard(activity: Record<string, unknown>) {
  return (await onlyRepliedCard(harness.testBot, activity)) as { actions?: Array<Record<string, unknown>> };
}

describe('checking a pasted query', () => {
  it('validates a good query and offers to run it', async () => {
    const card = await onlyCard(
      channelMessage('kql: SigninLogs | where TimeGenerated > ago(1d) | where ResultType != "0"'),
    );
    expect(renderedText(card)).toContain('KQL check');
    expect(renderedText(card)).toMatch(/Validated against the Microsoft Sentinel schema/);
    expect(card.actions?.[0]).toMatchObject({ verb: 'runHuntQuery', data: { platform: 'sentinel' } });
  });

  it('names the unknown column in a bad Defender query and offers no Run button', async () => {
    const card = await onlyCard(
      personalMessage('kql defender: DeviceProcessEvents | where Timestamp > ago(1d) | where CommandLine has "x"'),
    );
    const shown = renderedText(card);
    expect(shown).toContain('Unvalidated');
    expect(shown).toContain('CommandLine');
    expect(JSON.stringify(card)).not.toContain('runHuntQuery');
  });
});

describe('running a query', () => {
  it('"run <query>" answers with the rows from the data source', async () => {
    const card = await onlyCard(
      channelMessage(
        'run SigninLogs | where TimeGenerated > ago(7d) | project TimeGenerated, UserPrincipalName, IPAddress',
      ),
    );
    const shown = renderedText(card);
    expect(shown).toContain('Query results');
    expect(shown).toMatch(/\d+ rows?/);
    expect(shown).toContain('UserPrincipalName');
    expect(shown).toMatch(/@/); // user principal names from the demo tenant
  });

  it('refuses to run a query without a time bound and says why', async () => {
    const shown = renderedText(await onlyCard(personalMessage('run SigninLogs | take 5')));
    expect(shown).toContain('Query not run');
    expect(shown).toMatch(/time/i);
  });

  it('the Run query button posts the results to the conversation', async () => {
    const query = 'DeviceProcessEvents\n| where Timestamp > ago(7d)\n| where ProcessCommandLine has "-EncodedCommand"';
    const response = await harness.testBot.post(
      cardAction('runHuntQuery', { query, platform: 'defender' }, { serviceUrl: harness.connector.url }),
    );
    expect(response.body).toMatchObject({ statusCode: 200, value: 'Running the query.' });
    const cards = harness.connector.cards();
    expect(cards).toHaveLength(1);
    expectValidCard(cards[0].card);
    const shown = renderedText(cards[0].card);
    expect(shown).toContain('Defender advanced hunting');
    expect(shown).toMatch(/\d+ rows?/);
    expect(JSON.stringify(cards[0].card)).toContain('https://security.microsoft.com/v2/advanced-hunting?query=');
  });

  it('refuses button data without a platform', async () => {
    const response = await harness.testBot.post(
      cardAction('runHuntQuery', { query: 'DeviceInfo | take 1' }, { serviceUrl: harness.connector.url }),
    );
    expect(response.body.value).toContain('did not carry a query');
  });
});
