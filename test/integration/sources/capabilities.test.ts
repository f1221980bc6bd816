import { personalMessage } from '../../support/activities';
import { repliedCards, startTestBot, type TestBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';
import { FakeAzureServer, reply, type FakeReply, type RecordedRequest } from './fake-azure';
import { LA_QUERY, sourcesAgainst, waitForSourceProbe } from './support';

/**
 * The same capabilities as with the demo data (explain, investigate, report), through /api/messages, against the
 * real `graph` and `sentinel` adapters talking to loopback fakes that serve Microsoft's documented shapes.
 */
let server: FakeAzureServer;
beforeAll(async () => {
  server = await FakeAzureServer.start();
});
afterAll(() => server.close());

const ALERTS = 'GET /v1.0/security/alerts_v2';
const INCIDENTS = 'GET /v1.0/security/incidents';

async function startBotOn(kind: 'graph' | 'sentinel'): Promise<TestBot> {
  const { source } = sourcesAgainst(server, [kind]);
  const bot = await startTestBot({ overrides: { dataSource: source } });
  await waitForSourceProbe(bot.url);
  return bot;
}

async function ask(bot: TestBot, text: string): Promise<string> {
  const response = await bot.post(personalMessage(text));
  expect(response.status).toBe(200);
  const cards = repliedCards(response.body);
  expect(cards).toHaveLength(1);
  expectValidCard(cards[0]);
  return renderedText(cards[0]);
}

describe('capabilities on Microsoft Graph Security (fake)', () => {
  let bot: TestBot;
  beforeAll(async () => {
    server.reset();
    server.otherwise(`${ALERTS}/fa4c1e6b2d`, reply.fixture('graph/alert-mailbox-phish.json'));
    server.otherwise(`${INCIDENTS}/31337`, reply.fixture('graph/incident-expanded.json'));
    // Lists (recent and related alerts) are empty; any other single item or user is unknown to Graph.
    server.otherwise(ALERTS, (request: RecordedRequest): FakeReply =>
      request.path === '/v1.0/security/alerts_v2'
        ? reply.json({ value: [] })
        : reply.error(404, 'NotFound', 'no such alert'),
    );
    server.otherwise('GET /v1.0/users', reply.error(404, 'Request_ResourceNotFound', 'no such user'));
    server.otherwise('GET /v1.0/identityProtection', reply.json({ value: [] }));
    server.otherwise('GET /v1.0/auditLogs', reply.json({ value: [] }));
    bot = await startBotOn('graph');
  });
  afterAll(() => bot.stop());

  it('explains a Graph alerts_v2 alert', async () => {
    const shown = await ask(bot, 'explain alert fa4c1e6b2d-8f3a-4b7c-9d0e-1f2a3b4c5d6e_1');
    expect(shown).toContain('Email messages containing malicious URL removed after delivery');
    expect(shown).toContain('Immediate risk');
  });

  it('investigates a Graph incident with its expanded alerts', async () => {
    const shown = await ask(bot, 'investigate incident 31337');
    expect(shown).toContain('Assessment');
    expect(shown).toContain('Multi-stage incident involving Initial access');
  });

  it('writes the executive report of that incident', async () => {
    const shown = await ask(bot, 'report incident 31337 for executives');
    expect(shown).toContain('TLP:AMBER');
    expect(shown).toContain('31337');
  });
});

describe('capabilities on Microsoft Sentinel (fake Log Analytics)', () => {
  let bot: TestBot;
  beforeAll(async () => {
    server.reset();
    const byTable: Record<string, FakeReply> = {
      SecurityAlert: reply.fixture('sentinel/securityalert-one.json'),
      SecurityIncident: reply.fixture('sentinel/securityincident-one.json'),
      IdentityInfo: reply.fixture('sentinel/identityinfo-row.json'),
      SigninLogs: reply.fixture('sentinel/signinlogs-rows.json'),
    };
    server.otherwise(LA_QUERY, (request: RecordedRequest): FakeReply => {
      const query = (request.body as { query: string }).query;
      return (
        byTable[query.split(/\s|\|/)[0]] ?? reply.json({ tables: [{ name: 'PrimaryResult', columns: [], rows: [] }] })
      );
    });
    bot = await startBotOn('sentinel');
  });
  afterAll(() => bot.stop());

  it('explains a SecurityAlert row', async () => {
    const shown = await ask(bot, 'explain alert 7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
    expect(shown).toContain('Password spray followed by a successful sign-in');
    expect(shown).toContain('Immediate risk');
  });

  it('investigates a SecurityIncident', async () => {
    const shown = await ask(bot, 'investigate incident 1042');
    expect(shown).toContain('Assessment');
    expect(shown).toContain('1042');
  });

  it('writes the technical report of that incident', async () => {
    const shown = await ask(bot, 'report incident 1042 for technical');
    expect(shown).toContain('TLP:AMBER');
    expect(shown).toContain('Technical details');
  });
});
