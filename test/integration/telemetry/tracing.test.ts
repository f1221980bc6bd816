import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { setTracingEnabled } from '../../../src/telemetry/spans';
import { TracedLlmClient } from '../../../src/telemetry/traced-llm-client';
import { analyst, personalMessage, tenantId } from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot-harness';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { FakeLlmClient } from '../../support/fake-llm';
import { FakeAzureServer, reply, type FakeReply, type RecordedRequest } from '../sources/fake-azure';
import { sourcesAgainst, waitForSourceProbe } from '../sources/support';
import { CALLER_SPAN_ID, callerTraceparent, explainAlertMessageSpanAttributes, TRACE_ID } from './traced-turn';

/**
 * The bot's spans in process: the real server, turn handling and Graph adapter (against a loopback Graph), with an
 * in-memory SDK in place of the OTLP exporter (whose transport loads node:http through a dynamic import, which Jest's
 * module sandbox refuses; tracing-process.test.ts runs the real exporter in the built server). One server span for
 * the message continues the caller's traceparent; the Graph call and the LLM call (made after the acknowledgement)
 * are its children; nothing the analyst wrote, no name or id, and no alert content is recorded.
 */
const ALERT_ID = 'fa4c1e6b2d-8f3a-4b7c-9d0e-1f2a3b4c5d6e_1';
const MESSAGE = `explain alert ${ALERT_ID}`;

const answer = {
  headline: 'A phishing e-mail with a malicious link reached several mailboxes and was removed.',
  whatHappened: 'Messages with a dangerous link were delivered, then removed automatically.',
  whyItMatters: 'Anyone who clicked the link may have given away their password.',
  immediateRisk: { level: 'moderate', rationale: 'Removed after delivery; clicks are unknown.' },
  recommendedActions: ['Check who clicked the link.'],
  techniques: [],
  keyEntities: [],
};

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
let graph: FakeAzureServer;
let connector: FakeConnector;
let llm: FakeLlmClient;
let testBot: TestBot;
let spans: ReadableSpan[];
let correlationId: string | null;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  setTracingEnabled(true);

  connector = await startFakeConnector();
  graph = await FakeAzureServer.start();
  graph.otherwise(`GET /v1.0/security/alerts_v2/fa4c1e6b2d`, reply.fixture('graph/alert-mailbox-phish.json'));
  graph.otherwise('GET /v1.0/security/alerts_v2', (request: RecordedRequest): FakeReply =>
    request.path === '/v1.0/security/alerts_v2'
      ? reply.json({ value: [] })
      : reply.error(404, 'NotFound', 'no such alert'),
  );
  graph.otherwise('GET /v1.0/users', reply.error(404, 'Request_ResourceNotFound', 'no such user'));
  graph.otherwise('GET /v1.0/identityProtection', reply.json({ value: [] }));
  graph.otherwise('GET /v1.0/auditLogs', reply.json({ value: [] }));
  llm = new FakeLlmClient({ model: 'traced-model' }).answer(answer);
  const { source } = sourcesAgainst(graph, ['graph']);
  // With OTEL_EXPORTER_OTLP_ENDPOINT the bootstrap wraps the LLM client itself; here the test does.
  testBot = await startTestBot({ overrides: { dataSource: source, llm: new TracedLlmClient(llm) } });
  await waitForSourceProbe(testBot.url);
  exporter.reset();

  const response = await fetch(`${testBot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: callerTraceparent },
    body: JSON.stringify(personalMessage(MESSAGE, { serviceUrl: connector.url, expectReplies: false })),
  });
  expect(response.status).toBe(200);
  correlationId = response.headers.get('x-correlation-id');
  // The working card, then the answer the model wrote after the acknowledgement.
  await connector.waitForCalls(2, 20_000);
  expect(llm.calls).toHaveLength(1);
  await testBot.stop();
  spans = exporter.getFinishedSpans();
});

afterAll(async () => {
  setTracingEnabled(false);
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
  await connector?.stop();
  await graph?.close();
});

function only(predicate: (span: ReadableSpan) => boolean, what: string): ReadableSpan {
  const found = spans.filter(predicate);
  if (found.length !== 1) {
    throw new Error(`${what}: ${found.length} among ${spans.map((span) => span.name).join(', ')}`);
  }
  return found[0];
}

const messageSpan = () => only((span) => span.name === 'POST /api/messages', 'message span');

describe('a traced turn, in process', () => {
  it('has one server span for the message that continues the caller trace', () => {
    const message = messageSpan();
    expect(message.kind).toBe(SpanKind.SERVER);
    expect(message.spanContext().traceId).toBe(TRACE_ID);
    expect(message.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
    expect(message.attributes).toEqual(explainAlertMessageSpanAttributes(correlationId));
  });

  it('makes the Graph call a client span under it, with the path templated', () => {
    const call = only((span) => span.name === 'GET /v1.0/security/alerts_v2/{id}', 'Graph alert span');
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.spanContext().traceId).toBe(TRACE_ID);
    expect(call.parentSpanContext?.spanId).toBe(messageSpan().spanContext().spanId);
    expect(call.attributes).toEqual({
      'soc.dependency': 'Microsoft Graph',
      'soc.dependency.operation': expect.any(String),
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(graph.url).port),
      'url.template': '/v1.0/security/alerts_v2/{id}',
      'http.response.status_code': 200,
      'http.request.resend_count': 0,
      'soc.circuit.state': 'closed',
    });
  });

  it('makes the model call, after the acknowledgement, a client span under it', () => {
    const message = messageSpan();
    const chat = only((span) => span.name === 'chat traced-model', 'LLM span');
    expect(chat.kind).toBe(SpanKind.CLIENT);
    expect(chat.parentSpanContext?.spanId).toBe(message.spanContext().spanId);
    expect(chat.attributes).toMatchObject({
      'gen_ai.request.model': 'traced-model',
      'gen_ai.usage.input_tokens': 900,
      'gen_ai.usage.output_tokens': 300,
      'soc.llm.schema': 'alert_explanation',
      'soc.outcome': 'ok',
    });
  });

  it('records no message text, alert content, names or ids', () => {
    const recorded = JSON.stringify(
      spans.map((span) => [span.name, span.attributes, span.events, span.status, span.resource.attributes]),
    );
    for (const forbidden of [
      MESSAGE,
      'fa4c1e6b2d',
      'Email messages containing malicious URL',
      answer.headline,
      analyst.name,
      analyst.id,
      analyst.aadObjectId,
      'a:personal-chat-dana',
      tenantId,
      'SECRET-BEARER',
    ]) {
      expect({ forbidden, found: recorded.includes(forbidden) }).toEqual({ forbidden, found: false });
    }
  });
});
