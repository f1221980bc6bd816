import { DiagLogLevel, context, diag, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Logger } from '../logger';
import type { TracingSettings } from './settings';

/**
 * The OpenTelemetry SDK, loaded only when tracing is configured (src/telemetry/tracing.ts imports this file lazily).
 * Everything is set from AppConfig: @opentelemetry/sdk-trace reads no environment variable, and the exporter gets its
 * URL, headers, time-out and compression here, so the OTEL_* variables mean what docs/configuration.md says.
 */

type ExporterOptions = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

export interface TracingSdk {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function startTracingSdk(settings: TracingSettings, logger: Logger): TracingSdk {
  // The SDK's own complaints (an export that failed, a full queue) go to our log at warn level. They name the
  // collector's URL and status at most; the export headers are never part of them.
  diag.setLogger(
    {
      error: (message) => logger.warn({ component: 'opentelemetry' }, message),
      warn: (message) => logger.warn({ component: 'opentelemetry' }, message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const exporter = new OTLPTraceExporter({
    url: settings.endpoint,
    headers: { ...settings.headers },
    timeoutMillis: 10_000,
    compression: 'none' as ExporterOptions['compression'],
  });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
    spanLimits: { attributeValueLengthLimit: 256, attributeCountLimit: 64, eventCountLimit: 32, linkCountLimit: 8 },
    spanProcessors: [
      new BatchSpanProcessor({
        exporter,
        maxQueueSize: 2048,
        maxExportBatchSize: 512,
        scheduledDelayMillis: 5_000,
        exportTimeoutMillis: 30_000,
      }),
    ],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const ours = {
    context: context.setGlobalContextManager(contextManager),
    propagation: propagation.setGlobalPropagator(new W3CTraceContextPropagator()),
    trace: trace.setGlobalTracerProvider(provider),
  };
  if (!ours.context || !ours.propagation || !ours.trace) {
    // An agent loaded before the bot (NODE_OPTIONS=--require …) registered its own SDK: the API keeps the first.
    logger.warn(
      { component: 'opentelemetry' },
      'another OpenTelemetry SDK is already registered in this process; spans go to it, not to OTEL_EXPORTER_OTLP_*',
    );
  }
  return {
    forceFlush: () => provider.forceFlush(),
    async shutdown() {
      try {
        // Flushes what the batch processor still holds, then stops the exporter.
        await provider.shutdown();
      } finally {
        // Only what this module registered: another SDK in the process keeps working.
        if (ours.trace) trace.disable();
        if (ours.propagation) propagation.disable();
        if (ours.context) context.disable();
        else contextManager.disable();
        diag.disable();
      }
    },
  };
}
