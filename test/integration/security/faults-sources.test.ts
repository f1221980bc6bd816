import { JsonHttpClient } from '../../../src/http';
import {
  CompositeSecurityDataSource,
  GraphSecurityDataSource,
  SentinelSecurityDataSource,
  type SecurityDataSource,
} from '../../../src/sources';
import { LogAnalyticsQueryClient } from '../../../src/sources/sentinel/log-analytics';
import { personalMessage } from '../../support/activities';
import { repliedCards, startTestBot, type TestBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';
import { fault, startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { FakeAzureServer, FakeCredential, reply, type FakeReply, type RecordedRequest } from '../sources/fake-azure';
import { LA_QUERY, WORKSPACE_ID, laTable, waitForSourceProbe } from '../sources/support';
import { FaultTally, gapsBetween } from './fault-tally';

/**
 * Faults (issue 10), the security data sources: Microsoft Graph and Log Analytics (Sentinel) answering 503 with and
 * without Retry-After, resetting connections, or not answering at all, behind a fault proxy in front of the loopback
 * Azure fake. Asked "explain alert", "investigate incident", "alerts" and "run <KQL>", the bot answers with a clear
 * card naming the API that failed (never a stack), or with a degraded answer that names the gap; /readyz shows the
 * circuit breaker opening; once the fake recovers the next request works (half-open, then closed). With
 * graph,sentinel and one of them down, the other's data still answers.
 *
 * The adapters are built as src/sources/index.ts builds them, except for the JSON client's settings: a 1 s
 * per-attempt time-out, 2 retries (SOURCE_TIMEOUT_MS / SOURCE_MAX_RETRIES) and a circuit that opens after 5
 * consecutive failures with a 1.5 s cool-down — the breaker has no configuration variable, and its 30 s default
 * would dominate the suite's time.
 */

const tally = new FaultTally('faults (data sources)');
const GRAPH_ALERT = 'fa4c1e6b2d-8f3a-4b7c-9d0e-1f2a3b4c5d6e_1';
const GRAPH_ALERT_TITLE = 'Email messages containing malicious URL removed after delivery';
const SENTINEL_ALERT = '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const SENTINEL_ALERT_TITLE = 'Password spray followed by a successful sign-in';
const DEFENDER_QUERY = 'run in defender: DeviceProcessEvents | where Timestamp > ago(1d) | take 5';
const SENTINEL_QUERY = 'run in sentinel: SigninLogs | where TimeGenerated > ago(1d) | take 5';
const COOL_DOWN_MS = 1500;
const FAILURE_THRESHOLD = 5;

let azure: FakeAzureServer;
let graphProxy: FaultProxy;
let logAnalyticsProxy: FaultProxy;

const ALERTS = 'GET /v1.0/security/alerts_v2';
const INCIDENTS = 'GET /v1.0/security/incidents';

beforeAll(async () => {
  azure = await FakeAzureServer.start();
  graphProxy = await startFaultProxy(azure.url);
  logAnalyticsProxy = await startFaultProxy(azure.url);
  // Graph: one alert, one incident; lists are empty, any other single item or user is unknown.
  azure.otherwise(`${ALERTS}/fa4c1e6b2d`, reply.fixture('graph/alert-mailbox-phish.json'));
  azure.otherwise(`${INCIDENTS}/31337`, reply.fixture('graph/incident-expanded.json'));
  azure.otherwise(INCIDENTS, reply.json({ value: [] }));
  azure.otherwise(ALERTS, (request: RecordedRequest): FakeReply =>
    request.path === '/v1.0/security/alerts_v2'
      ? reply.json({ value: [] })
      : reply.error(404, 'NotFound', 'no such alert'),
  );
  azure.otherwise('GET /v1.0/users', reply.error(404, 'Request_ResourceNotFound', 'no such user'));
  azure.otherwise('GET /v1.0/identityProtection', reply.json({ value: [] }));
  azure.otherwise('GET /v1.0/auditLogs', reply.json({ value: [] }));
  azure.otherwise('POST /v1.0/security/runHuntingQuery', reply.fixture('graph/hunting-query-results.json'));
  // Log Analytics: answers by the table the query starts with; the probe's `print` gets its one row.
  const byTable: Record<string, FakeReply> = {
    SecurityAlert: reply.fixture('sentinel/securityalert-one.json'),
    SecurityIncident: reply.fixture('sentinel/securityincident-one.json'),
    IdentityInfo: reply.fixture('sentinel/identityinfo-row.json'),
    SigninLogs: reply.fixture('sentinel/signinlogs-rows.json'),
    print: reply.json(laTable([{ probe: 1 }])),
  };
  azure.otherwise(LA_QUERY, (request: RecordedRequest): FakeReply => {
    const query = (request.body as { query: string }).query;
    return (
      byTable[query.split(/\s|\|/)[0]] ?? reply.json({ tables: [{ name: 'PrimaryResult', columns: [], rows: [] }] })
    );
  });
});
afterAll(async () => {
  await graphProxy?.stop();
  await logAnalyticsProxy?.stop();
  await azure?.close();
  console.log(tally.summary());
});

function jsonClient(api: string, proxy: FaultProxy, scope: string): JsonHttpClient {
  return new JsonHttpClient({
    api,
    baseUrl: proxy.url,
    scope,
    credential: new FakeCredential('fault-token'),
    timeoutMs: 1000,
    maxRetries: 2,
    circuitBreaker: { failureThreshold: FAILURE_THRESHOLD, coolDownMs: COOL_DOWN_MS },
  });
}

const graphSource = () =>
  new GraphSecurityDataSource({
    http: jsonClient('Microsoft Graph', graphProxy, 'https://graph.microsoft.com/.default'),
  });
const sentinelSource = () =>
  new SentinelSecurityDataSource({
    logAnalytics: new LogAnalyticsQueryClient(
      jsonClient('Log Analytics', logAnalyticsProxy, 'https://api.loganalytics.io/.default'),
      WORKSPACE_ID,
    ),
  });

async function startBotOn(dataSource: SecurityDataSource): Promise<TestBot> {
  const bot = await startTestBot({ overrides: { dataSource } });
  await waitForSourceProbe(bot.url);
  graphProxy.requests.length = 0;
  logAnalyticsProxy.requests.length = 0;
  return bot;
}

interface Answer {
  shown: string;
  elapsedMs: number;
}

async function ask(bot: TestBot, text: string): Promise<Answer> {
  const started = Date.now();
  const response = await bot.post(personalMessage(text));
  const elapsedMs = Date.now() - started;
  expect(response.status).toBe(200);
  const cards = repliedCards(response.body);
  expect(cards).toHaveLength(1);
  expectValidCard(cards[0]);
  return { shown: renderedText(cards[0]), elapsedMs };
}

/** A clear error card: the API named, no stack, no request details. */
function expectErrorCardNaming(answer: Answer, api: string, reason: string | RegExp) {
  expect(answer.shown).toContain(api);
  if (typeof reason === 'string') expect(answer.shown).toContain(reason);
  else expect(answer.shown).toMatch(reason);
  expect(answer.shown).toContain('Reference:');
  expect(answer.shown).not.toMatch(/\n\s+at |Error:|SourceHttpError|fault-token|127\.0\.0\.1/);
}

async function readiness(bot: TestBot): Promise<{ status: string; checks: Record<string, string> }> {
  return (await (await fetch(`${bot.url}/readyz`)).json()) as { status: string; checks: Record<string, string> };
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Between cases: the fake healthy again and the circuit closed (after its cool-down, by one good request). */
async function healthyAgain(bot: TestBot, proxies: FaultProxy[], probes: Array<[api: string, text: string]>) {
  proxies.forEach((proxy) => {
    proxy.recover();
    proxy.only(undefined);
  });
  for (const [api, text] of probes) {
    if ((await readiness(bot)).checks[`circuit:${api}`] === 'ok') continue;
    await sleep(COOL_DOWN_MS);
    await ask(bot, text);
    expect((await readiness(bot)).checks[`circuit:${api}`]).toBe('ok');
  }
  proxies.forEach((proxy) => (proxy.requests.length = 0));
}

/**
 * Keeps a standing fault until the circuit of `api` is open (asking `text`), checks the fast refusal and /readyz,
 * then recovers the fake and measures how long until a request succeeds again.
 */
async function circuitOpensAndCloses(bot: TestBot, proxy: FaultProxy, api: string, text: string, expected: string) {
  const key = `circuit:${api}`;
  proxy.down(fault.status(503));
  let asked = 0;
  while ((await readiness(bot)).checks[key] !== 'degraded') {
    asked += 1;
    expect(asked).toBeLessThanOrEqual(3);
    expectErrorCardNaming(await ask(bot, text), api, /not reachable right now|short break/);
  }
  const failedCalls = proxy.requests.filter((request) => request.fault === 'status').length;
  expect(failedCalls).toBe(FAILURE_THRESHOLD);
  const ready = await readiness(bot);
  // A source down does not take the bot out of rotation: it still answers what needs no data source.
  expect(ready.status).toBe('ready');
  expect(ready.checks[key]).toBe('degraded');

  const before = proxy.requests.length;
  const refused = await ask(bot, text);
  expectErrorCardNaming(refused, api, 'failed several times in a row; I am giving it a short break');
  expect(refused.shown).toContain('This is usually temporary');
  expect(proxy.requests.length).toBe(before);

  proxy.recover();
  const recoveredAt = Date.now();
  let answer = await ask(bot, text);
  while (!answer.shown.includes(expected)) {
    expect(Date.now() - recoveredAt).toBeLessThan(COOL_DOWN_MS + 3000);
    await sleep(100);
    answer = await ask(bot, text);
  }
  const recoveryMs = Date.now() - recoveredAt;
  expect((await readiness(bot)).checks[key]).toBe('ok');
  tally.figure(
    `${api} circuit`,
    `open after ${asked} requests (${failedCalls} failed calls); refused in ${refused.elapsedMs} ms with no call; ` +
      `answering again ${recoveryMs} ms after the service recovered (cool-down ${COOL_DOWN_MS} ms)`,
  );
}

describe('Microsoft Graph down (SECURITY_SOURCE=graph)', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBotOn(graphSource());
  });
  afterAll(() => bot?.stop());
  afterEach(() => healthyAgain(bot, [graphProxy], [['Microsoft Graph', 'alerts']]));

  it('503 with Retry-After: "explain alert" waits as asked, then a clear card; the next request works', async () => {
    await tally.run('Graph 503 + Retry-After: explain alert', async () => {
      graphProxy.script(fault.status(503, 1), fault.status(503, 1), fault.status(503, 1));
      const answer = await ask(bot, `explain alert ${GRAPH_ALERT}`);
      expectErrorCardNaming(answer, 'Microsoft Graph', 'not reachable right now (HTTP 503)');
      expect(answer.shown).toContain('This is usually temporary');
      const gaps = gapsBetween(graphProxy.requests.map((request) => request.at));
      expect(gaps).toHaveLength(2);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(990);
      tally.figure('Graph 503 Retry-After 1 s, waits between attempts', gaps.map((gap) => `${gap} ms`).join(', '));
      expect((await ask(bot, `explain alert ${GRAPH_ALERT}`)).shown).toContain(GRAPH_ALERT_TITLE);
    });
  });

  it('503 without Retry-After: "investigate incident" backs off, then a clear card; recovers', async () => {
    await tally.run('Graph 503, no Retry-After: investigate incident', async () => {
      graphProxy.down(fault.status(503));
      const answer = await ask(bot, 'investigate incident 31337');
      expectErrorCardNaming(answer, 'Microsoft Graph', 'not reachable right now (HTTP 503)');
      expect(answer.shown).toContain('I could not read incident 31337');
      const gaps = gapsBetween(graphProxy.requests.map((request) => request.at));
      expect(gaps[0]).toBeGreaterThanOrEqual(240);
      tally.figure('Graph 503 back-off between attempts', gaps.map((gap) => `${gap} ms`).join(', '));
      graphProxy.recover();
      expect((await ask(bot, 'investigate incident 31337')).shown).toContain('Assessment');
    });
  });

  it('alert lookups failing during an investigation: a degraded answer that names the gap', async () => {
    await tally.run('Graph alert lookups 503 during investigate: degraded answer', async () => {
      graphProxy.only(ALERTS);
      graphProxy.down(fault.status(503));
      const answer = await ask(bot, 'investigate incident 31337');
      // The incident itself was read: the investigation answers, and says which lookups are missing and why.
      expect(answer.shown).toContain('Assessment');
      expect(answer.shown).toMatch(/Not available: alerts: could not read alerts [^\n]*Microsoft Graph/);
      expect(answer.shown).not.toContain('Something went wrong');
    });
  });

  it('connection reset: "alerts" answers with a clear card; recovers', async () => {
    await tally.run('Graph connection reset: alerts', async () => {
      graphProxy.down(fault.reset());
      expectErrorCardNaming(await ask(bot, 'alerts'), 'Microsoft Graph', 'not reachable right now');
      graphProxy.recover();
      expect((await ask(bot, 'alerts')).shown).toContain('Source: graph');
    });
  });

  it('no answer: "explain alert" times out per attempt (bounded), then a clear card; recovers', async () => {
    await tally.run('Graph not answering: explain alert', async () => {
      graphProxy.down(fault.hang());
      const answer = await ask(bot, `explain alert ${GRAPH_ALERT}`);
      expectErrorCardNaming(answer, 'Microsoft Graph', 'took too long to answer');
      // Three attempts of 1 s and two back-offs; never the 30 s default nor a hung turn.
      expect(answer.elapsedMs).toBeLessThan(8000);
      tally.figure('Graph not answering, error card after', `${answer.elapsedMs} ms (3 attempts of 1 s)`);
      graphProxy.recover();
      expect((await ask(bot, `explain alert ${GRAPH_ALERT}`)).shown).toContain(GRAPH_ALERT_TITLE);
    });
  });

  it('the run path: "run in defender: <KQL>" with Graph failing answers with a clear card; recovers', async () => {
    await tally.run('Graph 503 / reset: run in defender', async () => {
      graphProxy.down(fault.status(503));
      expectErrorCardNaming(await ask(bot, DEFENDER_QUERY), 'Microsoft Graph', 'not reachable right now (HTTP 503)');
      // A success in between, so the circuit (5 failures) does not open on the next three attempts.
      graphProxy.recover();
      expect((await ask(bot, DEFENDER_QUERY)).shown).toContain('Query results');
      graphProxy.down(fault.reset());
      expectErrorCardNaming(await ask(bot, DEFENDER_QUERY), 'Microsoft Graph', 'not reachable right now');
      graphProxy.recover();
      expect((await ask(bot, DEFENDER_QUERY)).shown).toContain('Query results');
    });
  });

  it('the circuit opens after repeated failures, /readyz shows it, and it closes once Graph recovers', async () => {
    await tally.run('Graph circuit: open, /readyz, half-open, closed', async () => {
      await circuitOpensAndCloses(bot, graphProxy, 'Microsoft Graph', 'alerts', 'Source: graph');
    });
  });
});

describe('Log Analytics down (SECURITY_SOURCE=sentinel)', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBotOn(sentinelSource());
  });
  afterAll(() => bot?.stop());
  afterEach(() => healthyAgain(bot, [logAnalyticsProxy], [['Log Analytics', 'alerts']]));

  it('503 with Retry-After: "explain alert" waits as asked, then a clear card; recovers', async () => {
    await tally.run('Log Analytics 503 + Retry-After: explain alert', async () => {
      logAnalyticsProxy.script(fault.status(503, 1), fault.status(503, 1), fault.status(503, 1));
      const answer = await ask(bot, `explain alert ${SENTINEL_ALERT}`);
      expectErrorCardNaming(answer, 'Log Analytics', 'not reachable right now (HTTP 503)');
      const gaps = gapsBetween(logAnalyticsProxy.requests.map((request) => request.at));
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(990);
      tally.figure(
        'Log Analytics 503 Retry-After 1 s, waits between attempts',
        gaps.map((gap) => `${gap} ms`).join(', '),
      );
      expect((await ask(bot, `explain alert ${SENTINEL_ALERT}`)).shown).toContain(SENTINEL_ALERT_TITLE);
    });
  });

  it('connection reset: "investigate incident" answers with a clear card; recovers', async () => {
    await tally.run('Log Analytics connection reset: investigate incident', async () => {
      logAnalyticsProxy.down(fault.reset());
      const answer = await ask(bot, 'investigate incident 1042');
      expectErrorCardNaming(answer, 'Log Analytics', 'not reachable right now');
      logAnalyticsProxy.recover();
      expect((await ask(bot, 'investigate incident 1042')).shown).toContain('Assessment');
    });
  });

  it('no answer: "alerts" times out per attempt (SOURCE_TIMEOUT_MS, not the hunting time-out), then a clear card', async () => {
    await tally.run('Log Analytics not answering: alerts', async () => {
      logAnalyticsProxy.down(fault.hang());
      const answer = await ask(bot, 'alerts');
      expectErrorCardNaming(answer, 'Log Analytics', 'took too long to answer');
      expect(answer.elapsedMs).toBeLessThan(8000);
      tally.figure('Log Analytics not answering, error card after', `${answer.elapsedMs} ms (3 attempts of 1 s)`);
      logAnalyticsProxy.recover();
      expect((await ask(bot, 'alerts')).shown).toContain('Source: sentinel');
    });
  });

  it('the run path: "run in sentinel: <KQL>" with Log Analytics failing; recovers', async () => {
    await tally.run('Log Analytics 503: run in sentinel', async () => {
      logAnalyticsProxy.down(fault.status(503));
      expectErrorCardNaming(await ask(bot, SENTINEL_QUERY), 'Log Analytics', 'not reachable right now (HTTP 503)');
      logAnalyticsProxy.recover();
      expect((await ask(bot, SENTINEL_QUERY)).shown).toContain('Query results');
    });
  });

  it('the circuit opens, /readyz shows it, and it closes once Log Analytics recovers', async () => {
    await tally.run('Log Analytics circuit: open, /readyz, half-open, closed', async () => {
      await circuitOpensAndCloses(bot, logAnalyticsProxy, 'Log Analytics', 'alerts', 'Source: sentinel');
    });
  });
});

describe('one of two sources down (SECURITY_SOURCE=graph,sentinel)', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startBotOn(new CompositeSecurityDataSource([graphSource(), sentinelSource()]));
  });
  afterAll(() => bot?.stop());
  afterEach(() =>
    healthyAgain(
      bot,
      [graphProxy, logAnalyticsProxy],
      [
        ['Microsoft Graph', 'alerts'],
        ['Log Analytics', SENTINEL_QUERY],
      ],
    ),
  );

  it('Log Analytics down: Graph still answers alerts and Defender queries; Sentinel queries name the failure', async () => {
    await tally.run('graph,sentinel with Log Analytics down: Graph still answers', async () => {
      logAnalyticsProxy.down(fault.status(503));
      expectErrorCardNaming(await ask(bot, SENTINEL_QUERY), 'Log Analytics', 'not reachable right now (HTTP 503)');
      expectErrorCardNaming(await ask(bot, SENTINEL_QUERY), 'Log Analytics', /not reachable right now|short break/);
      const checks = (await readiness(bot)).checks;
      expect(checks['circuit:Log Analytics']).toBe('degraded');
      expect(checks['circuit:Microsoft Graph']).toBe('ok');
      expect((await ask(bot, `explain alert ${GRAPH_ALERT}`)).shown).toContain(GRAPH_ALERT_TITLE);
      expect((await ask(bot, DEFENDER_QUERY)).shown).toContain('Query results');
      expect((await ask(bot, 'alerts')).shown).toContain('Source: graph');
    });
  });

  it('Graph down: Sentinel queries still run; alerts and incidents name Graph (no fallback to Sentinel exists)', async () => {
    await tally.run('graph,sentinel with Graph down: Sentinel queries still run', async () => {
      graphProxy.down(fault.status(503));
      expect((await ask(bot, SENTINEL_QUERY)).shown).toContain('Query results');
      // Alerts, incidents and users come from the first source only; a Sentinel alert is not looked up there.
      expectErrorCardNaming(
        await ask(bot, `explain alert ${SENTINEL_ALERT}`),
        'Microsoft Graph',
        'not reachable right now (HTTP 503)',
      );
      graphProxy.recover();
      expect((await ask(bot, `explain alert ${GRAPH_ALERT}`)).shown).toContain(GRAPH_ALERT_TITLE);
    });
  });
});
