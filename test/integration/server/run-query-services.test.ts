import { cardAction, channelMessage } from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { FakeAzureServer, reply } from '../sources/fake-azure';
import { LA_QUERY, sourcesAgainst, waitForSourceProbe } from '../sources/support';

/**
 * "Run query" through the bot against loopback fakes of the real services: the Log Analytics query API
 * (Sentinel) and Graph security/runHuntingQuery (Defender), including throttling and a query error.
 */
let server: FakeAzureServer;
let connector: FakeConnector;
let testBot: TestBot;
let waits: number[];

const GRAPH_HUNT = 'POST /v1.0/security/runHuntingQuery';
const sentinelQuery = 'SigninLogs | where TimeGenerated > ago(1d) | where ResultType == "50126"';
const defenderQuery = 'DeviceProcessEvents | where Timestamp > ago(1d) | where FileName =~ "powershell.exe"';

beforeAll(async () => {
  server = await FakeAzureServer.start();
  connector = await startFakeConnector();
  const built = sourcesAgainst(server, ['graph', 'sentinel']);
  waits = built.waits;
  testBot = await startTestBot({ overrides: { dataSource: built.source } });
  await waitForSourceProbe(testBot.url);
});
afterAll(async () => {
  await testBot.stop();
  await connector.stop();
  await server.close();
});
beforeEach(() => {
  server.reset();
  connector.reset();
  waits.length = 0;
});

/** A real source is slow: the bot answers with a working card, then replaces it with the results. */
async function runAndWait(activity: Record<string, unknown>) {
  const response = await testBot.post(activity);
  expect(response.status).toBe(200);
  const calls = await connector.waitForCalls(2);
  expect(calls.map((call) => call.method)).toEqual(['POST', 'PUT']);
  const attachments = calls[1].body.attachments as Array<{ content: Record<string, unknown> }>;
  expectValidCard(attachments[0].content);
  return renderedText(attachments[0].content);
}

describe('running queries against the services', () => {
  it('runs a Sentinel query through the Log Analytics API and shows the rows', async () => {
    server.on(LA_QUERY, reply.fixture('sentinel/log-analytics-query-signins.json'));
    const shown = await runAndWait(
      channelMessage(`run ${sentinelQuery}`, { serviceUrl: connector.url, expectReplies: false }),
    );
    expect(shown).toContain('Query results');
    expect(shown).toContain('megan.bowen[@]contoso[.]example');
    expect(shown).toContain('198.51.100[.]23');
    const [request] = server.requests;
    expect(request.body).toMatchObject({ query: sentinelQuery, timespan: 'P30D' });
  });

  it('runs a Defender query through Graph runHuntingQuery from the Run query button', async () => {
    server.on(GRAPH_HUNT, reply.fixture('graph/hunting-query-results.json'));
    const shown = await runAndWait(
      cardAction('runHuntQuery', { query: defenderQuery, platform: 'defender' }, { serviceUrl: connector.url }),
    );
    expect(shown).toContain('Defender advanced hunting');
    expect(shown).toMatch(/\d+ rows?/);
    expect(server.requests[0].body).toMatchObject({ Query: defenderQuery });
  });

  it('waits out a 429 with Retry-After and then shows the results', async () => {
    server.on(
      LA_QUERY,
      reply.error(429, 'ThrottledError', 'Too many requests', { 'retry-after': '2' }),
      reply.fixture('sentinel/log-analytics-query-signins.json'),
    );
    const shown = await runAndWait(
      channelMessage(`run ${sentinelQuery}`, { serviceUrl: connector.url, expectReplies: false }),
    );
    expect(shown).toContain('Query results');
    expect(waits).toEqual([2000]);
  });

  it("shows the service's reason when it rejects the query", async () => {
    server.on(LA_QUERY, reply.fixture('sentinel/log-analytics-error-semantic.json', 400));
    const shown = await runAndWait(
      channelMessage(`run ${sentinelQuery}`, { serviceUrl: connector.url, expectReplies: false }),
    );
    expect(shown).not.toContain('Query results');
    expect(shown).toContain('UserPrincipleName');
  });
});
