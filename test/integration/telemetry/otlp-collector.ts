import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback OpenTelemetry Collector: accepts OTLP/HTTP JSON on POST /v1/traces (what
 * @opentelemetry/exporter-trace-otlp-http sends), keeps every raw body and its headers, and flattens the spans.
 */

export interface ExportRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 2 server, 3 client. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  status: { code?: number };
  events: Array<{ name: string; attributes: Record<string, string | number | boolean> }>;
  resource: Record<string, string | number | boolean>;
}

export interface OtlpCollector {
  url: string;
  requests: ExportRequest[];
  spans(): ExportedSpan[];
  stop(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
}

function flatten(attributes: Array<{ key: string; value: OtlpValue }> = []): ExportedSpan['attributes'] {
  const flat: ExportedSpan['attributes'] = {};
  for (const { key, value } of attributes) {
    flat[key] =
      value.stringValue ??
      (value.intValue !== undefined ? Number(value.intValue) : undefined) ??
      value.doubleValue ??
      value.boolValue ??
      '';
  }
  return flat;
}

export async function startOtlpCollector(): Promise<OtlpCollector> {
  const requests: ExportRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    spans() {
      return requests.flatMap((request) =>
        (JSON.parse(request.body).resourceSpans ?? []).flatMap((resourceSpans: any) => {
          const resource = flatten(resourceSpans.resource?.attributes);
          return (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans: any) =>
            (scopeSpans.spans ?? []).map((span: any): ExportedSpan => ({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              name: span.name,
              kind: span.kind,
              attributes: flatten(span.attributes),
              status: span.status ?? {},
              events: (span.events ?? []).map((event: any) => ({
                name: event.name,
                attributes: flatten(event.attributes),
              })),
              resource,
            })),
          );
        }),
      );
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
