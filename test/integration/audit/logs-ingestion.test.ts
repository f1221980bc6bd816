import type { AuditRecord } from '../../../src/audit';
import {
  BatchingAuditSink,
  auditTableColumns,
  createLogsIngestionAuditSink,
  type AuditSinkOutcome,
} from '../../../src/audit/logs-ingestion';
import { silentLogger } from '../../../src/logger';
import { BotMetrics } from '../../../src/metrics';
import { MemoryStore } from '../../../src/store';
import { personalMessage } from '../../support/activities';
import { repliedCards, startTestBot } from '../../support/bot-harness';
import { FakeAzureServer, FakeCredential, recordingSleep, type RecordedRequest } from '../sources/fake-azure';

/**
 * The audit sink against a loopback stand-in for the Azure Monitor Logs Ingestion API: the request it sends (path,
 * api-version, bearer token for Azure Monitor, a JSON array of the table's columns), batching, Retry-After, a
 * failing service that leaves the bot and its trail untouched, and a message to the real bot arriving as a row.
 */

const DCR_ID = 'dcr-0123456789abcdef0123456789abcdef';
const STREAM = 'Custom-SocCopilotAudit_CL';
const ROUTE = `POST /dataCollectionRules/${DCR_ID}/streams/${STREAM}`;
const accepted = { status: 204 };

let server: FakeAzureServer;

beforeAll(async () => {
  server = await FakeAzureServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function record(id: string, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id,
    at: '2026-11-27T12:00:00.000Z',
    kind: 'message',
    capability: 'explainAlertById',
    actor: { aadObjectId: 'aad-1', name: 'Dana', userId: '29:dana', tenantId: 'tenant-1' },
    where: { conversationKind: 'personal', conversationId: 'a:1' },
    inputs: { alertId: 'da-1004' },
    engine: { kind: 'offline' },
    dataSources: ['demo'],
    durationMs: 12,
    outcome: 'ok',
    correlationId: `corr-${id}`,
    ...overrides,
  };
}

function sinkAgainstFake(options: { maxBatchRecords?: number; maxRetries?: number } = {}) {
  const credential = new FakeCredential('ingest-token');
  const sleeper = recordingSleep();
  const outcomes: Record<AuditSinkOutcome, number> = { sent: 0, failed: 0, dropped: 0 };
  const sink = createLogsIngestionAuditSink(
    { endpoint: server.url, dcrImmutableId: DCR_ID, stream: STREAM },
    {
      credential,
      sleep: sleeper.sleep,
      logger: silentLogger(),
      flushIntervalMs: 60_000,
      maxRetries: options.maxRetries ?? 3,
      maxBatchRecords: options.maxBatchRecords,
      onOutcome: (outcome, count) => {
        outcomes[outcome] += count;
      },
    },
  );
  return { sink, credential, waits: sleeper.waits, outcomes };
}

const rowsOf = (requests: RecordedRequest[]) =>
  requests.flatMap((request) => request.body as Record<string, unknown>[]);

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the Logs Ingestion request', () => {
  it('POSTs a JSON array of the table columns to the rule stream with an Azure Monitor bearer token', async () => {
    server.on(ROUTE, accepted);
    const { sink, credential, outcomes } = sinkAgainstFake();
    sink.accept(record('r1', { tokens: { prompt: 10, completion: 5, total: 15 }, kql: 'SecurityAlert | take 1' }));
    sink.accept(record('r2', { outcome: 'error', errorCode: 'not_found' }));
    await sink.flush();

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/dataCollectionRules/${DCR_ID}/streams/${STREAM}`);
    expect(request.query).toEqual({ 'api-version': '2023-01-01' });
    expect(request.headers.authorization).toBe('Bearer ingest-token-1');
    expect(request.headers['content-type']).toBe('application/json');
    expect(credential.calls).toEqual(['https://monitor.azure.com/.default']);
    expect(Array.isArray(request.body)).toBe(true);
    const rows = request.body as Record<string, unknown>[];
    expect(rows[0]).toEqual({
      TimeGenerated: '2026-11-27T12:00:00.000Z',
      RecordId: 'r1',
      Kind: 'message',
      Capability: 'explainAlertById',
      Outcome: 'ok',
      ActorObjectId: 'aad-1',
      ActorName: 'Dana',
      ActorUserId: '29:dana',
      ActorTenantId: 'tenant-1',
      ConversationKind: 'personal',
      ConversationId: 'a:1',
      Inputs: { alertId: 'da-1004' },
      Engine: 'offline',
      PromptTokens: 10,
      CompletionTokens: 5,
      TotalTokens: 15,
      Sources: ['demo'],
      Kql: 'SecurityAlert | take 1',
      DurationMs: 12,
      CorrelationId: 'corr-r1',
    });
    expect(rows[1]).toMatchObject({ RecordId: 'r2', Outcome: 'error', ErrorCode: 'not_found' });
    const columns = new Set<string>(auditTableColumns.map((column) => column.name));
    for (const row of rows) for (const name of Object.keys(row)) expect(columns).toContain(name);
    expect(outcomes).toEqual({ sent: 2, failed: 0, dropped: 0 });
  });

  it('sends records in batches, reusing the cached token', async () => {
    server.otherwise(ROUTE, accepted);
    const { sink, credential, outcomes } = sinkAgainstFake({ maxBatchRecords: 2 });
    for (let index = 0; index < 5; index += 1) sink.accept(record(`r${index}`));
    await sink.flush();
    await until(() => outcomes.sent === 5, 'all records sent');
    expect(server.requests.map((request) => (request.body as unknown[]).length)).toEqual([2, 2, 1]);
    expect(rowsOf(server.requests).map((row) => row.RecordId)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(credential.issuedCount).toBe(1);
  });

  it('waits as a 429 Retry-After asks, then succeeds', async () => {
    server.on(ROUTE, { status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'TooManyRequests' } } });
    server.on(ROUTE, accepted);
    const { sink, waits, outcomes } = sinkAgainstFake();
    sink.accept(record('r1'));
    await sink.flush();
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([7000]);
    expect(outcomes).toEqual({ sent: 1, failed: 0, dropped: 0 });
  });

  it('counts records as failed once 503s exhaust the retries, and after a 500 or a 413 at once', async () => {
    server.otherwise(ROUTE, {
      status: 503,
      headers: { 'retry-after': '1' },
      body: { error: { code: 'ServiceUnavailable' } },
    });
    const unavailable = sinkAgainstFake({ maxRetries: 2 });
    unavailable.sink.accept(record('r1'));
    await unavailable.sink.flush();
    expect(server.requests).toHaveLength(3);
    expect(unavailable.outcomes).toEqual({ sent: 0, failed: 1, dropped: 0 });

    server.reset();
    server.otherwise(ROUTE, { status: 500, body: { error: { code: 'InternalServerError' } } });
    const failing = sinkAgainstFake();
    failing.sink.accept(record('r2'));
    await failing.sink.flush();
    expect(server.requests).toHaveLength(1);
    expect(failing.outcomes.failed).toBe(1);

    server.reset();
    server.otherwise(ROUTE, { status: 413, body: { error: { code: 'ContentLengthLimitExceeded' } } });
    const tooLarge = sinkAgainstFake();
    tooLarge.sink.accept(record('r3'));
    await tooLarge.sink.flush();
    expect(server.requests).toHaveLength(1);
    expect(tooLarge.outcomes.failed).toBe(1);
  });
});

describe('the audit sink in the running bot', () => {
  it('a message to the bot arrives at Log Analytics as one row, and shutdown sends what is queued', async () => {
    server.otherwise(ROUTE, accepted);
    const store = new MemoryStore();
    const { sink } = sinkAgainstFake();
    const testBot = await startTestBot({ overrides: { store, auditSink: sink } });
    let storedId: string | undefined;
    try {
      const response = await testBot.post(personalMessage('explain alert da-1004'));
      expect(repliedCards(response.body)).toHaveLength(1);
      // A partial batch waits for the interval (a minute here): nothing is sent during the turn.
      expect(server.requests).toHaveLength(0);
      const [key] = await store.list('audit/');
      storedId = (await store.get<AuditRecord>(key))?.value.id;
    } finally {
      await testBot.stop();
    }
    const rows = rowsOf(server.requests);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      Kind: 'message',
      Capability: 'explainAlertById',
      Outcome: 'ok',
      Inputs: { alertId: 'da-1004' },
      Engine: 'offline',
      Sources: ['demo'],
      ConversationKind: 'personal',
    });
    expect(rows[0].RecordId).toBe(storedId);
  });

  it('a failing Log Analytics leaves the answers and the trail alone; the failures are counted in /metrics', async () => {
    server.otherwise(ROUTE, { status: 500, body: { error: { code: 'InternalServerError' } } });
    const store = new MemoryStore();
    const metrics = new BotMetrics();
    const sink = createLogsIngestionAuditSink(
      { endpoint: server.url, dcrImmutableId: DCR_ID, stream: STREAM },
      {
        credential: new FakeCredential(),
        sleep: recordingSleep().sleep,
        logger: silentLogger(),
        maxBatchRecords: 1,
        onOutcome: (outcome, count) => metrics.observeAuditSink(outcome, count),
      },
    );
    const testBot = await startTestBot({ overrides: { store, metrics, auditSink: sink } });
    try {
      for (const text of ['explain alert da-1004', 'help']) {
        const response = await testBot.post(personalMessage(text));
        expect(response.status).toBe(200);
        expect(repliedCards(response.body).length).toBeGreaterThan(0);
      }
      expect(await store.list('audit/')).toHaveLength(2);
      await until(() => server.requests.length >= 2, 'two upload attempts');
      await until(async () => {
        const scraped = await (await fetch(`${testBot.url}/metrics`)).text();
        return /soc_copilot_audit_sink_records_total\{outcome="failed"\} 2/.test(scraped);
      }, 'the failed count in /metrics');
    } finally {
      await testBot.stop();
    }
  });

  it('builds the sink from AUDIT_LOGS_* when it is not passed in', async () => {
    const testBot = await startTestBot({
      environment: { AUDIT_LOGS_INGESTION_ENDPOINT: server.url, AUDIT_LOGS_DCR_ID: DCR_ID },
    });
    try {
      expect(testBot.bot.services.auditSink).toBeInstanceOf(BatchingAuditSink);
    } finally {
      await testBot.stop();
    }
    expect(server.requests).toHaveLength(0);
  });

  it('sends no planted secret to Log Analytics', async () => {
    server.otherwise(ROUTE, accepted);
    const secrets = ['Winter2026!Secret', 'AKIAIOSFODNN7EXAMPLE', 'sk-proj-abcdefghijklmnopqrstuvwx'];
    const { sink } = sinkAgainstFake();
    const testBot = await startTestBot({ overrides: { auditSink: sink } });
    try {
      await testBot.post(personalMessage(`hunt for logons with password ${secrets[0]} from keys like ${secrets[1]}`));
      await testBot.post(
        personalMessage(`run SigninLogs | where TimeGenerated > ago(1d) | where AppId == "${secrets[2]}"`),
      );
      await testBot.post(
        personalMessage(`kql: SigninLogs | where TimeGenerated > ago(1d) | where x == "-p ${secrets[0]}"`),
      );
    } finally {
      await testBot.stop();
    }
    const bodies = JSON.stringify(server.requests.map((request) => request.body));
    expect(rowsOf(server.requests).length).toBe(3);
    for (const secret of secrets) expect(bodies).not.toContain(secret);
  });
});
