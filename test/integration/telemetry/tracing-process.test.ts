import { signAlertWebhook } from '../../../src/feed/signature';
import { analyst, personalMessage, tenantId } from '../../support/activities';
import { startBuiltServer, type BuiltServer } from '../../support/built';
import { fakeReply, startFakeOpenAi, type FakeOpenAiServer } from '../../support/fake-openai';
import { graphAlert } from '../feed/support';
import { startOtlpCollector, type ExportedSpan, type OtlpCollector } from './otlp-collector';
import { CALLER_SPAN_ID, callerTraceparent, explainAlertMessageSpanAttributes, TRACE_ID } from './traced-turn';

/**
 * `npm start` (node dist/index.js) with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a loopback OTLP/HTTP collector: the
 * real SDK and exporter, the demo data source and an OpenAI-compatible fake model. A message (with a caller's
 * traceparent) and a signed alert are traced; SIGTERM's graceful shutdown flushes the spans before the process
 * exits. The export carries the collector key as a header, and its body holds no message text, alert content,
 * names, ids or secrets.
 */
const MESSAGE = 'explain alert da-1009';
const COLLECTOR_KEY = 'collector-key-8d2f61a0c4';
const OPENAI_KEY = 'sk-test-openai-key-3f9a0b2c';
const WEBHOOK_SECRET = 'tracing-webhook-secret-0123456789abcdef01';
const SERVER = 2;
const CLIENT = 3;

const answer = {
  headline: 'Ransomware is encrypting the finance share on a file server.',
  whatHappened: 'A program renamed thousands of files and left a ransom note in every folder.',
  whyItMatters: 'Finance data is unusable until it is restored.',
  immediateRisk: { level: 'critical', rationale: 'Active encryption on a file server.' },
  recommendedActions: ['Keep the file server isolated.'],
  techniques: [],
  keyEntities: [],
};

let collector: OtlpCollector;
let openAi: FakeOpenAiServer;
let server: BuiltServer;
let exitCode: number | null;
let correlationId: string | null;
let spans: ExportedSpan[];

beforeAll(async () => {
  collector = await startOtlpCollector();
  openAi = await startFakeOpenAi();
  openAi.enqueue(fakeReply.json(answer, { usage: { prompt_tokens: 1234, completion_tokens: 56 } }));
  server = startBuiltServer({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_FORMAT: 'json',
    STORE: 'memory',
    KQL_WARMUP: 'false',
    LLM_PROVIDER: 'openai-compatible',
    OPENAI_BASE_URL: openAi.baseUrl,
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_MODEL: 'traced-model',
    ALERTS_WEBHOOK_SECRET: WEBHOOK_SECRET,
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${COLLECTOR_KEY}`,
  });
  const url = await server.url;

  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: callerTraceparent },
    body: JSON.stringify(personalMessage(MESSAGE)),
  });
  expect(response.status).toBe(200);
  correlationId = response.headers.get('x-correlation-id');
  expect(JSON.stringify(await response.json())).toContain('Ransomware is encrypting');

  const raw = JSON.stringify(graphAlert('tracing-alert-4242'));
  const timestamp = Math.floor(Date.now() / 1000);
  const alert = await fetch(`${url}/api/alerts`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-soc-timestamp': String(timestamp),
      'x-soc-signature': signAlertWebhook(WEBHOOK_SECRET, timestamp, raw),
    },
    body: raw,
  });
  expect(alert.status).toBe(202);

  server.child.kill('SIGTERM');
  exitCode = await server.exited;
  spans = collector.spans();
});

afterAll(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await collector?.stop();
  await openAi?.stop();
});

function only(predicate: (span: ExportedSpan) => boolean, what: string): ExportedSpan {
  const found = spans.filter(predicate);
  if (found.length !== 1) {
    throw new Error(`${what}: ${found.length} among ${spans.map((span) => span.name).join(', ')}\n${server.output()}`);
  }
  return found[0];
}

describe('npm start with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('says where traces go at start-up, without the headers, and flushes them on SIGTERM', () => {
    expect(server.output()).toContain(`"tracing":"OTLP/HTTP ${collector.url}/v1/traces, with headers"`);
    expect(server.output()).not.toContain(COLLECTOR_KEY);
    expect(exitCode).toBe(0);
  });

  it('exports OTLP/HTTP JSON to /v1/traces with the configured headers and the default service name', () => {
    expect(collector.requests.length).toBeGreaterThan(0);
    for (const request of collector.requests) {
      expect(request.path).toBe('/v1/traces');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-api-key']).toBe(COLLECTOR_KEY);
    }
    expect(spans.length).toBeGreaterThan(0);
    expect(spans.every((span) => span.resource['service.name'] === 'soc-copilot')).toBe(true);
  });

  it('has one server span for the message, continuing the caller trace', () => {
    const message = only((span) => span.name === 'POST /api/messages', 'message span');
    expect(message.kind).toBe(SERVER);
    expect(message.traceId).toBe(TRACE_ID);
    expect(message.parentSpanId).toBe(CALLER_SPAN_ID);
    expect(message.attributes).toEqual(explainAlertMessageSpanAttributes(correlationId));
  });

  it('has the model call as a client span under the message span, with tokens and outcome', () => {
    const message = only((span) => span.name === 'POST /api/messages', 'message span');
    const chat = only((span) => span.name === 'chat traced-model', 'LLM span');
    expect(chat.kind).toBe(CLIENT);
    expect(chat.traceId).toBe(TRACE_ID);
    expect(chat.parentSpanId).toBe(message.spanId);
    expect(chat.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'traced-model',
      'gen_ai.usage.input_tokens': 1234,
      'gen_ai.usage.output_tokens': 56,
      'soc.llm.provider': 'openai-compatible',
      'soc.llm.schema': 'alert_explanation',
      'soc.outcome': 'ok',
    });
  });

  it('has one server span for the signed alert', () => {
    const alert = only((span) => span.name === 'POST /api/alerts', 'alert span');
    expect(alert.kind).toBe(SERVER);
    expect(alert.parentSpanId).toBeUndefined();
    expect(alert.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/alerts',
      'http.response.status_code': 202,
      'soc.correlation_id': expect.any(String),
    });
  });

  it('exports no message text, alert content, names, ids or secrets', () => {
    const exported = collector.requests.map((request) => request.body).join('\n');
    for (const forbidden of [
      MESSAGE,
      'da-1009',
      'Ransomware behavior detected',
      answer.headline,
      'tracing-alert-4242',
      'Suspicious PowerShell download',
      analyst.name,
      analyst.id,
      analyst.aadObjectId,
      'a:personal-chat-dana',
      tenantId,
      COLLECTOR_KEY,
      OPENAI_KEY,
      WEBHOOK_SECRET,
    ]) {
      expect({ forbidden, found: exported.includes(forbidden) }).toEqual({ forbidden, found: false });
    }
  });
});
