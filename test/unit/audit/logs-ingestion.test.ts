import type { AuditRecord } from '../../../src/audit';
import { AuditTrail } from '../../../src/audit';
import {
  BatchingAuditSink,
  auditTableColumns,
  logsIngestionScope,
  toAuditTableRow,
  type AuditSinkOutcome,
  type AuditTableRow,
} from '../../../src/audit/logs-ingestion';
import { ConfigError, describeConfig, loadConfig } from '../../../src/config';
import { CopilotError } from '../../../src/errors';
import { silentLogger } from '../../../src/logger';
import { BotMetrics } from '../../../src/metrics';
import { MemoryStore } from '../../../src/store';

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: 'rec-1',
    at: '2026-11-27T12:00:00.000Z',
    kind: 'message',
    capability: 'huntForThreat',
    actor: { aadObjectId: 'aad-1', name: 'Dana', userId: '29:dana', tenantId: 'tenant-1' },
    where: { conversationKind: 'channel', conversationId: '19:c;messageid=1', teamId: 'team-1', channelId: 'ch-1' },
    inputs: { platform: 'sentinel', incidentId: '42', empty: undefined },
    engine: { kind: 'llm', provider: 'azure-openai', model: 'gpt-4o' },
    tokens: { prompt: 1200, completion: 300, total: 1500 },
    estimatedCostUsd: 0.0048,
    dataSources: ['sentinel'],
    kql: 'SecurityEvent | where TimeGenerated > ago(1d)',
    resultId: 'result-1',
    durationMs: 812,
    outcome: 'ok',
    correlationId: 'corr-1',
    ...overrides,
  };
}

describe('audit records as Log Analytics rows', () => {
  it('maps every field of a record to a flat column of the table', () => {
    expect(toAuditTableRow(record())).toEqual({
      TimeGenerated: '2026-11-27T12:00:00.000Z',
      RecordId: 'rec-1',
      Kind: 'message',
      Capability: 'huntForThreat',
      Outcome: 'ok',
      ActorObjectId: 'aad-1',
      ActorName: 'Dana',
      ActorUserId: '29:dana',
      ActorTenantId: 'tenant-1',
      ConversationKind: 'channel',
      ConversationId: '19:c;messageid=1',
      TeamId: 'team-1',
      ChannelId: 'ch-1',
      Inputs: { platform: 'sentinel', incidentId: '42' },
      Engine: 'llm',
      LlmProvider: 'azure-openai',
      Model: 'gpt-4o',
      PromptTokens: 1200,
      CompletionTokens: 300,
      TotalTokens: 1500,
      EstimatedCostUsd: 0.0048,
      Sources: ['sentinel'],
      Kql: 'SecurityEvent | where TimeGenerated > ago(1d)',
      ResultId: 'result-1',
      DurationMs: 812,
      CorrelationId: 'corr-1',
    });
  });

  it('leaves absent values out and names only columns of the table', () => {
    const row = toAuditTableRow(
      record({
        engine: undefined,
        tokens: undefined,
        estimatedCostUsd: undefined,
        dataSources: undefined,
        kql: undefined,
        resultId: undefined,
        inputs: {},
        outcome: 'error',
        errorCode: 'not_found',
      }),
    );
    expect(row).toMatchObject({ Outcome: 'error', ErrorCode: 'not_found' });
    for (const absent of ['Engine', 'PromptTokens', 'Inputs', 'Sources', 'Kql', 'EstimatedCostUsd'])
      expect(row).not.toHaveProperty(absent);
    const columns = new Set<string>(auditTableColumns.map((column) => column.name));
    for (const name of Object.keys(toAuditTableRow(record({ errorCode: 'internal' })))) expect(columns).toContain(name);
    // TenantId and Type are reserved in Log Analytics tables.
    expect(columns).not.toContain('TenantId');
    expect(columns).not.toContain('Type');
  });

  it('is never less redacted than the stored record', () => {
    const row = toAuditTableRow(
      record({ kql: 'SigninLogs | where x == "password=Hunter2Hunter2" | where k == "AKIAIOSFODNN7EXAMPLE"' }),
    );
    expect(JSON.stringify(row)).not.toMatch(/Hunter2Hunter2|AKIAIOSFODNN7EXAMPLE/);
  });

  it('asks Azure Monitor for tokens in the cloud of the endpoint', () => {
    expect(logsIngestionScope('https://dce-1.westeurope-1.ingest.monitor.azure.com')).toBe(
      'https://monitor.azure.com/.default',
    );
    expect(logsIngestionScope('https://dce-1.usgovvirginia-1.ingest.monitor.azure.us')).toBe(
      'https://monitor.azure.us/.default',
    );
    expect(logsIngestionScope('http://127.0.0.1:4000')).toBe('https://monitor.azure.com/.default');
  });
});

/** A sink whose uploads are recorded and answered by `answer` (default: accepted). */
function recordingSink(
  options: Partial<ConstructorParameters<typeof BatchingAuditSink>[0]> = {},
  answer: (rows: AuditTableRow[]) => Promise<void> = async () => undefined,
) {
  const batches: AuditTableRow[][] = [];
  const outcomes: Record<AuditSinkOutcome, number> = { sent: 0, failed: 0, dropped: 0 };
  const sink = new BatchingAuditSink({
    logger: silentLogger(),
    flushIntervalMs: 60_000,
    ...options,
    upload: async (rows) => {
      batches.push(rows);
      await answer(rows);
    },
    onOutcome: (outcome, count) => {
      outcomes[outcome] += count;
    },
  });
  return { sink, batches, outcomes };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('BatchingAuditSink', () => {
  it('sends a full batch at once and the rest on flush, oldest first', async () => {
    const { sink, batches, outcomes } = recordingSink({ maxBatchRecords: 3 });
    for (let index = 0; index < 7; index += 1) sink.accept(record({ id: `r${index}` }));
    await settle();
    await sink.flush();
    expect(batches.map((batch) => batch.map((row) => row.RecordId))).toEqual([
      ['r0', 'r1', 'r2'],
      ['r3', 'r4', 'r5'],
      ['r6'],
    ]);
    expect(outcomes).toEqual({ sent: 7, failed: 0, dropped: 0 });
    expect(sink.pending).toBe(0);
  });

  it('keeps every request body under the byte limit', async () => {
    const maxBatchBytes = 4_000;
    const { sink, batches } = recordingSink({ maxBatchBytes, maxBatchRecords: 1000 });
    for (let index = 0; index < 40; index += 1) sink.accept(record({ id: `r${index}`, kql: 'x'.repeat(500) }));
    await sink.flush();
    expect(batches.length).toBeGreaterThan(5);
    for (const batch of batches) expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(maxBatchBytes);
    expect(batches.flat()).toHaveLength(40);
  });

  it('sends a partial batch after the flush interval', async () => {
    const { sink, batches } = recordingSink({ flushIntervalMs: 20 });
    sink.accept(record());
    expect(batches).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(batches).toHaveLength(1);
  });

  it('is bounded: a full queue drops the oldest records, counted, and never blocks accept', async () => {
    const warnings: string[] = [];
    const logger = silentLogger();
    logger.warn = ((_fields: unknown, message: string) => warnings.push(message)) as unknown as typeof logger.warn;
    const { sink, batches, outcomes } = recordingSink({ maxQueue: 5, maxBatchRecords: 100, logger });
    for (let index = 0; index < 12; index += 1) sink.accept(record({ id: `r${index}` }));
    expect(sink.pending).toBe(5);
    expect(outcomes.dropped).toBe(7);
    await sink.flush();
    expect(batches[0].map((row) => row.RecordId)).toEqual(['r7', 'r8', 'r9', 'r10', 'r11']);
    expect(warnings.filter((message) => /queue full/.test(message))).toHaveLength(1);
    expect(warnings.some((message) => /dropped records/.test(message))).toBe(true);
  });

  it('counts a failed batch, logs its code only, and keeps the rest for the next flush', async () => {
    const logged: unknown[] = [];
    const logger = silentLogger();
    logger.warn = ((fields: unknown) => logged.push(fields)) as unknown as typeof logger.warn;
    let fail = true;
    const { sink, batches, outcomes } = recordingSink({ maxBatchRecords: 2, logger }, async () => {
      if (fail) throw new CopilotError('source_unavailable', 'HTTP 500 with Bearer abc.def.ghi');
    });
    // The first full batch goes at once and fails; the records behind it stay queued.
    for (let index = 0; index < 5; index += 1) sink.accept(record({ id: `r${index}` }));
    await settle();
    expect(outcomes.failed).toBe(2);
    expect(sink.pending).toBe(3);
    expect(JSON.stringify(logged)).not.toMatch(/Bearer|rec-|huntForThreat/);
    expect(logged).toContainEqual(expect.objectContaining({ code: 'source_unavailable', records: 2 }));
    fail = false;
    await sink.flush();
    expect(outcomes).toEqual({ sent: 3, failed: 2, dropped: 0 });
    expect(batches.flat().map((row) => row.RecordId)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('after a failed batch, full batches wait for the interval instead of following at once', async () => {
    const { sink, batches, outcomes } = recordingSink({ maxBatchRecords: 2, flushIntervalMs: 50 }, async () => {
      throw new CopilotError('source_unavailable', 'down');
    });
    sink.accept(record({ id: 'a' }));
    sink.accept(record({ id: 'b' }));
    await settle();
    expect(batches).toHaveLength(1);
    for (let index = 0; index < 6; index += 1) sink.accept(record({ id: `r${index}` }));
    await settle();
    expect(batches).toHaveLength(1);
    expect(sink.pending).toBe(6);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(batches.length).toBeGreaterThan(1);
    expect(outcomes.failed).toBeGreaterThanOrEqual(4);
    await sink.close(10);
  });

  it('close sends what is queued, then takes no more', async () => {
    const { sink, batches, outcomes } = recordingSink();
    sink.accept(record({ id: 'a' }));
    sink.accept(record({ id: 'b' }));
    await sink.close(1000);
    expect(batches.flat().map((row) => row.RecordId)).toEqual(['a', 'b']);
    sink.accept(record({ id: 'late' }));
    expect(sink.pending).toBe(0);
    expect(outcomes.sent).toBe(2);
  });

  it('close gives up at its deadline and counts what was not sent as failed', async () => {
    const { sink, outcomes } = recordingSink({ maxBatchRecords: 1 }, () => new Promise(() => undefined));
    sink.accept(record({ id: 'a' }));
    sink.accept(record({ id: 'b' }));
    const started = Date.now();
    await sink.close(50);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(outcomes.failed).toBeGreaterThanOrEqual(1);
  });

  it('gets each record from the trail only after the store has it, and a failing store sends nothing', async () => {
    const store = new MemoryStore();
    const { sink, batches } = recordingSink();
    const trail = new AuditTrail(store, () => new Date('2026-11-27T12:00:00Z'), undefined, sink);
    const key = await trail.append({ ...record(), id: undefined, kql: 'x | where password=Winter2026!Secret' });
    await sink.flush();
    const stored = (await store.get<AuditRecord>(key))!.value;
    expect(batches.flat()).toEqual([toAuditTableRow(stored)]);
    expect(JSON.stringify(batches)).not.toContain('Winter2026!Secret');

    store.put = async () => {
      throw new CopilotError('store_failure', 'down');
    };
    await expect(trail.append({ ...record(), id: 'x' })).rejects.toThrow();
    expect(sink.pending).toBe(0);
  });
});

describe('AUDIT_LOGS_* configuration', () => {
  const endpoint = 'https://soc-dce-a1b2.westeurope-1.ingest.monitor.azure.com';
  const dcrId = 'dcr-0123456789abcdef0123456789abcdef';

  function problemsOf(environment: Record<string, string>): string[] {
    try {
      loadConfig(environment);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  }

  it('is off by default', () => {
    expect(loadConfig({}).audit.logsIngestion).toBeUndefined();
    expect(describeConfig(loadConfig({})).auditToLogAnalytics).toBe('off');
  });

  it('takes the endpoint and the rule with the default stream', () => {
    const config = loadConfig({ AUDIT_LOGS_INGESTION_ENDPOINT: `${endpoint}/`, AUDIT_LOGS_DCR_ID: dcrId });
    expect(config.audit.logsIngestion).toEqual({
      endpoint,
      dcrImmutableId: dcrId,
      stream: 'Custom-SocCopilotAudit_CL',
    });
    expect(describeConfig(config).auditToLogAnalytics).toBe('on (Custom-SocCopilotAudit_CL)');
    expect(
      loadConfig({
        AUDIT_LOGS_INGESTION_ENDPOINT: endpoint,
        AUDIT_LOGS_DCR_ID: dcrId,
        AUDIT_LOGS_STREAM: 'Custom-Soc_CL',
      }).audit.logsIngestion?.stream,
    ).toBe('Custom-Soc_CL');
  });

  it('needs all of them or none, naming the missing variable', () => {
    expect(problemsOf({ AUDIT_LOGS_INGESTION_ENDPOINT: endpoint })).toEqual([
      expect.stringMatching(/^AUDIT_LOGS_DCR_ID: is required with AUDIT_LOGS_INGESTION_ENDPOINT/),
    ]);
    expect(problemsOf({ AUDIT_LOGS_DCR_ID: dcrId })).toEqual([
      expect.stringMatching(/^AUDIT_LOGS_INGESTION_ENDPOINT: is required with AUDIT_LOGS_DCR_ID/),
    ]);
    expect(problemsOf({ AUDIT_LOGS_STREAM: 'Custom-X_CL' })).toEqual([
      expect.stringMatching(/^AUDIT_LOGS_STREAM: is set but/),
    ]);
  });

  it('refuses a rule name, a plain-http endpoint off loopback, and a stream without Custom-', () => {
    expect(problemsOf({ AUDIT_LOGS_INGESTION_ENDPOINT: endpoint, AUDIT_LOGS_DCR_ID: 'soc-copilot-audit-dcr' })).toEqual(
      [expect.stringMatching(/^AUDIT_LOGS_DCR_ID: must be the data collection rule's immutable id/)],
    );
    expect(problemsOf({ AUDIT_LOGS_INGESTION_ENDPOINT: 'http://dce.example.com', AUDIT_LOGS_DCR_ID: dcrId })).toEqual([
      expect.stringMatching(/^AUDIT_LOGS_INGESTION_ENDPOINT: must be https/),
    ]);
    expect(problemsOf({ AUDIT_LOGS_INGESTION_ENDPOINT: `${endpoint}?sig=x`, AUDIT_LOGS_DCR_ID: dcrId })).toEqual([
      expect.stringMatching(/^AUDIT_LOGS_INGESTION_ENDPOINT: must not contain/),
    ]);
    expect(problemsOf({ AUDIT_LOGS_INGESTION_ENDPOINT: 'not a url', AUDIT_LOGS_DCR_ID: dcrId })).toEqual([
      expect.stringMatching(/^AUDIT_LOGS_INGESTION_ENDPOINT: must be a URL/),
    ]);
    expect(
      problemsOf({ AUDIT_LOGS_INGESTION_ENDPOINT: endpoint, AUDIT_LOGS_DCR_ID: dcrId, AUDIT_LOGS_STREAM: 'SocAudit' }),
    ).toEqual([expect.stringMatching(/^AUDIT_LOGS_STREAM: must be a custom stream name/)]);
    expect(
      loadConfig({ AUDIT_LOGS_INGESTION_ENDPOINT: 'http://127.0.0.1:4100', AUDIT_LOGS_DCR_ID: dcrId }).audit
        .logsIngestion?.endpoint,
    ).toBe('http://127.0.0.1:4100');
  });

  it('signs in with the configured app registration even with demo data', () => {
    const config = loadConfig({
      AUDIT_LOGS_INGESTION_ENDPOINT: endpoint,
      AUDIT_LOGS_DCR_ID: dcrId,
      AZURE_TENANT_ID: 't',
      AZURE_CLIENT_ID: 'c',
      AZURE_CLIENT_SECRET: 's',
    });
    expect(config.securitySources.credential).toEqual({
      kind: 'secret',
      tenantId: 't',
      clientId: 'c',
      clientSecret: 's',
    });
  });
});

describe('audit sink metrics', () => {
  it('counts records by outcome', async () => {
    const metrics = new BotMetrics();
    metrics.observeAuditSink('sent', 3);
    metrics.observeAuditSink('failed', 2);
    metrics.observeAuditSink('dropped', 0);
    const text = await metrics.scrape();
    expect(text).toContain('soc_copilot_audit_sink_records_total{outcome="sent"} 3');
    expect(text).toContain('soc_copilot_audit_sink_records_total{outcome="failed"} 2');
    expect(text).not.toContain('outcome="dropped"');
  });
});
