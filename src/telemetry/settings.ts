/**
 * OpenTelemetry tracing as src/config.ts resolves it from the standard OTEL_* variables. Absent: tracing is off and
 * no SDK module is loaded.
 */
export interface TracingSettings {
  /** The OTLP/HTTP traces URL the exporter POSTs to, e.g. http://otel-collector:4318/v1/traces. */
  endpoint: string;
  /** Sent with every export (typically an API key): a secret, never logged. */
  headers: Record<string, string>;
  /** service.name of every span (OTEL_SERVICE_NAME). */
  serviceName: string;
  /** Share of traces that start here that are recorded, 0 to 1; a trace an inbound traceparent marks sampled is kept. */
  sampleRatio: number;
}

/** The exporter's destination as safe to log: no headers, no credentials, no query. */
export function describeTracing(settings: TracingSettings | undefined): string {
  if (settings === undefined) return 'off';
  const url = new URL(settings.endpoint);
  const ratio = settings.sampleRatio === 1 ? '' : `, sample ratio ${settings.sampleRatio}`;
  const headers = Object.keys(settings.headers).length > 0 ? ', with headers' : '';
  return `OTLP/HTTP ${url.origin}${url.pathname}${ratio}${headers}`;
}
