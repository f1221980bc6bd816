import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { CopilotError } from '../../../src/errors';
import { setTracingEnabled, traceInboundRequest, traceOutboundCall } from '../../../src/telemetry/spans';
import { TracedLlmClient } from '../../../src/telemetry/traced-llm-client';
import { FakeLlmClient } from '../../support/fake-llm';

/** The span helpers against an in-memory SDK: names, kinds, parents, attributes, and what they leave out. */
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  setTracingEnabled(false);
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});
beforeEach(() => {
  exporter.reset();
  setTracingEnabled(true);
});

const answer = { verdict: 'fine' };
const schema = { safeParse: (value: unknown) => ({ success: true as const, data: value }) } as never;

describe('with tracing off', () => {
  it('call straight through and record nothing', async () => {
    setTracingEnabled(false);
    const url = new URL('https://graph.microsoft.com/v1.0/security/alerts_v2/da-1');
    const value = await traceOutboundCall(
      { dependency: 'Microsoft Graph', operation: 'get alert', method: 'GET', url },
      async () => 7,
    );
    const llm = new TracedLlmClient(new FakeLlmClient().answer(answer));
    await llm.generateStructured({ schemaName: 'test', schema, messages: [] });
    expect(value).toBe(7);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});

describe('with tracing on', () => {
  it('continue an inbound traceparent and parent the outbound and LLM calls on the request span', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const llm = new TracedLlmClient(new FakeLlmClient({ model: 'gpt-test' }).answer(answer, { attempts: 2 }));
    let status: number | undefined;
    await traceInboundRequest(
      {
        method: 'POST',
        route: '/api/messages',
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
        correlationId: 'corr-12345678',
        activity: { type: 'message', text: 'explain alert da-1009', channelId: 'msteams' },
      },
      () => status,
      async () => {
        await traceOutboundCall(
          {
            dependency: 'Microsoft Graph',
            operation: 'get alert',
            method: 'GET',
            url: new URL('https://graph.microsoft.com/v1.0/security/alerts_v2/da-1009?$select=id'),
          },
          async (record) => {
            record.statusCode = 200;
            record.resendCount = 1;
            record.circuitState = 'closed';
          },
        );
        await llm.generateStructured({
          schemaName: 'alert_explanation',
          schema,
          messages: [{ role: 'user', content: 'secret prompt' }],
        });
        status = 200;
      },
    );
    const spans = exporter.getFinishedSpans();
    const server = spans.find((span) => span.kind === SpanKind.SERVER);
    const graph = spans.find((span) => span.name === 'GET /v1.0/security/alerts_v2/{id}');
    const chat = spans.find((span) => span.name === 'chat gpt-test');
    expect(server?.spanContext().traceId).toBe(traceId);
    expect(server?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(server?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/messages',
      'http.response.status_code': 200,
      'soc.correlation_id': 'corr-12345678',
      'soc.activity.type': 'message',
      'soc.channel': 'msteams',
    });
    expect(graph?.kind).toBe(SpanKind.CLIENT);
    expect(graph?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(graph?.attributes).toEqual({
      'soc.dependency': 'Microsoft Graph',
      'soc.dependency.operation': 'get alert',
      'http.request.method': 'GET',
      'server.address': 'graph.microsoft.com',
      'server.port': 443,
      'url.template': '/v1.0/security/alerts_v2/{id}',
      'http.response.status_code': 200,
      'http.request.resend_count': 1,
      'soc.circuit.state': 'closed',
    });
    expect(chat?.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
    expect(chat?.attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-test',
      'gen_ai.usage.input_tokens': 900,
      'gen_ai.usage.output_tokens': 300,
      'soc.llm.schema': 'alert_explanation',
      'soc.llm.attempts': 2,
      'soc.outcome': 'ok',
    });
    expect(JSON.stringify(spans.map((span) => [span.attributes, span.events]))).not.toMatch(
      /da-1009|secret prompt|select/,
    );
  });

  it('record a failure by its code only, never its message', async () => {
    const llm = new TracedLlmClient(
      new FakeLlmClient().fail(new CopilotError('llm_unavailable', 'upstream said: Dana Analyst is not allowed')),
    );
    await expect(llm.generateStructured({ schemaName: 'x', schema, messages: [] })).rejects.toThrow('Dana');
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(span.attributes).toMatchObject({ 'error.type': 'llm_unavailable', 'soc.outcome': 'llm_unavailable' });
    expect(span.events.map((event) => event.attributes)).toEqual([{ 'exception.type': 'llm_unavailable' }]);
    expect(JSON.stringify([span.name, span.attributes, span.events, span.status])).not.toContain('Dana');
  });

  it('mark a request span failed on a 5xx answer, not on a 4xx one', async () => {
    await traceInboundRequest(
      { method: 'POST', route: '/api/alerts', headers: {}, correlationId: 'c-1234567' },
      () => 401,
      async () => undefined,
    );
    await traceInboundRequest(
      { method: 'POST', route: '/api/alerts', headers: {}, correlationId: 'c-1234568' },
      () => 503,
      async () => undefined,
    );
    const [refused, failed] = exporter.getFinishedSpans();
    expect(refused.status.code).toBe(SpanStatusCode.UNSET);
    expect(refused.parentSpanContext).toBeUndefined();
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes['error.type']).toBe('503');
  });
});
