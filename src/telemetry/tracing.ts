import type { Logger } from '../logger';
import { setTracingEnabled } from './spans';
import { describeTracing, type TracingSettings } from './settings';

export interface Tracing {
  /** Exports every finished span now (tests, and before a planned stop). */
  forceFlush(): Promise<void>;
  /** Flushes and stops the exporter; spans after this are not recorded. */
  shutdown(): Promise<void>;
}

/**
 * Turns tracing on when it is configured. Off (no OTLP endpoint), it returns undefined without loading any SDK
 * module: the spans in src/telemetry/spans.ts then call straight through.
 */
export async function startTracing(
  settings: TracingSettings | undefined,
  logger: Logger,
): Promise<Tracing | undefined> {
  if (settings === undefined) return undefined;
  const { startTracingSdk } = await import('./sdk');
  const sdk = startTracingSdk(settings, logger);
  setTracingEnabled(true);
  logger.info({ tracing: describeTracing(settings) }, 'OpenTelemetry tracing on');
  let stopped: Promise<void> | undefined;
  return {
    forceFlush: () => sdk.forceFlush(),
    shutdown() {
      stopped ??= (async () => {
        setTracingEnabled(false);
        try {
          await sdk.shutdown();
        } catch (error) {
          // A collector that is down at shutdown loses the last batch; the bot still stops cleanly.
          logger.warn(
            { code: error instanceof Error ? error.name : typeof error },
            'OpenTelemetry: final flush failed',
          );
        }
      })();
      return stopped;
    },
  };
}
