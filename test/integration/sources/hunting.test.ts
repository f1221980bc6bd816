import { isCopilotError } from '../../../src/errors';
import { FakeAzureServer, reply } from './fake-azure';
import { LA_QUERY, sourcesAgainst } from './support';

let server: FakeAzureServer;

beforeAll(async () => {
  server = await FakeAzureServer.start();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => server.reset());

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isCopilotError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const GRAPH_HUNT = 'POST /v1.0/security/runHuntingQuery';

describe('hunting through Log Analytics (sentinel)', () => {
  it('posts {query, timespan} with a Log Analytics token and turns rows into records', async () => {
    server.on(LA_QUERY, reply.fixture('sentinel/log-analytics-query-signins.json'));
    const { source, credential } = sourcesAgainst(server, ['sentinel']);
    const query = 'SigninLogs | where TimeGenerated > ago(1d) | where ResultType == "50126"';
    const result = await source.runHuntingQuery(query, { platform: 'sentinel', timespan: '7d', maxRows: 10 });
    expect(result.truncated).toBe(false);
    expect(result.columns.map((column) => column.name)).toEqual([
      'TimeGenerated',
      'UserPrincipalName',
      'IPAddress',
      'ResultType',
      'FailedAttempts',
    ]);
    expect(result.rows[0]).toEqual({
      TimeGenerated: '2026-03-02T08:14:03.221Z',
      UserPrincipalName: 'megan.bowen@contoso.example',
      IPAddress: '198.51.100.23',
      ResultType: '50126',
      FailedAttempts: 41,
    });
    const [request] = server.requests;
    expect(request.body).toEqual({ query, timespan: 'P7D' });
    expect(request.headers.authorization).toBe('Bearer SECRET-BEARER-1');
    expect(credential.calls).toEqual([`${server.url}/.default`]);
  });

  it('caps rows and says the result was truncated', async () => {
    server.on(LA_QUERY, reply.fixture('sentinel/log-analytics-query-signins.json'));
    const { source } = sourcesAgainst(server, ['sentinel']);
    const result = await source.runHuntingQuery('SigninLogs | take 3', { platform: 'sentinel', maxRows: 2 });
    expect(result.rows).toHaveLength(2);
    expect(result.truncated).toBe(true);
  });

  it('marks a partial result (PartialError) as truncated and keeps its rows', async () => {
    server.on(LA_QUERY, reply.fixture('sentinel/log-analytics-partial-error.json'));
    const { source } = sourcesAgainst(server, ['sentinel']);
    const result = await source.runHuntingQuery('SecurityEvent | summarize count() by Computer', {
      platform: 'sentinel',
    });
    expect(result.rows).toHaveLength(2);
    expect(result.truncated).toBe(true);
  });

  it("turns the service's query error into bad_input quoting the service's reason", async () => {
    server.on(LA_QUERY, reply.fixture('sentinel/log-analytics-error-semantic.json', 400));
    const { source } = sourcesAgainst(server, ['sentinel']);
    const error = await rejection(
      source.runHuntingQuery('SigninLogs | where UserPrincipleName == "x"', { platform: 'sentinel' }),
    );
    expect(error.code).toBe('bad_input');
    expect(error.userMessage).toContain("Failed to resolve column or scalar expression named 'UserPrincipleName'");
    expect(error.userMessage).toMatch(/^Log Analytics could not run the query/);
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a 429 after the Retry-After the service gave', async () => {
    server.on(
      LA_QUERY,
      reply.error(429, 'ThrottledError', 'Too many requests', { 'retry-after': '1' }),
      reply.fixture('sentinel/log-analytics-query-signins.json'),
    );
    const { source, waits } = sourcesAgainst(server, ['sentinel']);
    const result = await source.runHuntingQuery('SigninLogs | take 3', { platform: 'sentinel' });
    expect(result.rows).toHaveLength(3);
    expect(waits).toEqual([1000]);
  });

  it('rejects a malformed answer as source_invalid_response', async () => {
    server.on(LA_QUERY, reply.json({ tables: [{ name: 'PrimaryResult', columns: 'nope', rows: [] }] }));
    const { source } = sourcesAgainst(server, ['sentinel']);
    const error = await rejection(source.runHuntingQuery('print 1', { platform: 'sentinel' }));
    expect(error.code).toBe('source_invalid_response');
  });

  it("honours the caller's abort signal", async () => {
    server.on(LA_QUERY, { ...reply.fixture('sentinel/log-analytics-query-signins.json'), delayMs: 3_000 });
    const { source } = sourcesAgainst(server, ['sentinel']);
    const controller = new AbortController();
    const pending = source.runHuntingQuery('SigninLogs', { platform: 'sentinel', signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const error = await rejection(pending);
    expect(error.code).toBe('source_unavailable');
  });
});

describe('hunting through Graph advanced hunting (graph)', () => {
  it('posts {Query, Timespan} and returns the schema and results', async () => {
    server.on(GRAPH_HUNT, reply.fixture('graph/hunting-query-results.json'));
    const { source } = sourcesAgainst(server, ['graph']);
    const query = 'DeviceProcessEvents | where Timestamp > ago(1d) | where FileName =~ "powershell.exe"';
    const result = await source.runHuntingQuery(query, { platform: 'defender', timespan: 'P1D', maxRows: 2 });
    expect(server.requests[0].body).toEqual({ Query: query, Timespan: 'P1D' });
    expect(result.columns[0]).toEqual({ name: 'Timestamp', type: 'DateTime' });
    expect(result.rows).toHaveLength(2);
    expect(result.rows[0]).toMatchObject({ FileName: 'powershell.exe', InitiatingProcessFileName: 'winword.exe' });
    expect(result.truncated).toBe(true);
  });

  it("turns a query error into bad_input carrying Graph's message", async () => {
    server.on(GRAPH_HUNT, reply.fixture('graph/hunting-query-error.json', 400));
    const { source } = sourcesAgainst(server, ['graph']);
    const error = await rejection(source.runHuntingQuery('DeviceProcessEvent | take 1', { platform: 'defender' }));
    expect(error.code).toBe('bad_input');
    expect(error.userMessage).toContain("Failed to resolve table or column expression named 'DeviceProcessEvent'");
  });

  it('re-acquires the token once after a 401 with an expired token', async () => {
    server.on(
      GRAPH_HUNT,
      reply.error(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'),
      reply.fixture('graph/hunting-query-results.json'),
    );
    const { source, credential } = sourcesAgainst(server, ['graph']);
    const result = await source.runHuntingQuery('DeviceProcessEvents | take 3', { platform: 'defender' });
    expect(result.rows).toHaveLength(3);
    expect(credential.issuedCount).toBe(2);
  });
});

describe('graph,sentinel together', () => {
  it('sends Defender hunting to Graph and Sentinel hunting to Log Analytics', async () => {
    server.on(GRAPH_HUNT, reply.fixture('graph/hunting-query-results.json'));
    server.on(LA_QUERY, reply.fixture('sentinel/log-analytics-query-signins.json'));
    const { source } = sourcesAgainst(server, ['graph', 'sentinel']);
    expect(source.name).toBe('graph+sentinel');
    await source.runHuntingQuery('DeviceProcessEvents | take 3', { platform: 'defender' });
    await source.runHuntingQuery('SigninLogs | take 3', { platform: 'sentinel' });
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([GRAPH_HUNT, LA_QUERY]);
  });
});
