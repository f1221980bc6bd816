import { isCopilotError } from '../errors';
import type { Logger } from '../logger';
import type { SecurityDataSource, SourceHealth } from './port';

export type ProbeState = 'ok' | 'degraded';

/**
 * Probes each configured source with one cheap call (a source without `probe`, like the demo, is ok) and
 * reports per source name. A failed probe is `degraded`, logged with its code, never thrown: the bot keeps
 * answering what it can (help, pasted alerts, ATT&CK) while the source is down.
 */
export async function probeSecurityDataSource(
  source: SecurityDataSource & { sources?: SecurityDataSource[] },
  options: { logger?: Logger; timeoutMs?: number } = {},
): Promise<Record<string, ProbeState>> {
  const parts = source.sources ?? [source];
  const results = await Promise.all(
    parts.map(async (part): Promise<[string, ProbeState]> => {
      if (part.probe === undefined) return [part.name, 'ok'];
      try {
        await part.probe(AbortSignal.timeout(options.timeoutMs ?? 20_000));
        return [part.name, 'ok'];
      } catch (error) {
        options.logger?.warn(
          {
            source: part.name,
            code: isCopilotError(error) ? error.code : 'unknown',
            reason: isCopilotError(error) ? error.message : error instanceof Error ? error.name : String(error),
          },
          'security data source probe failed',
        );
        return [part.name, 'degraded'];
      }
    }),
  );
  return Object.fromEntries(results);
}

/**
 * Circuit breakers for /readyz (those of a source's APIs, or any list of dependencies): `degraded` while a
 * dependency keeps failing and calls to it are refused, `ok` otherwise. Keys are `circuit:<api>`; a source without
 * APIs (demo) has none.
 */
export function circuitChecks(source: SecurityDataSource | SourceHealth[]): Record<string, ProbeState> {
  const health = Array.isArray(source) ? source : (source.health?.() ?? []);
  return Object.fromEntries(
    health.map(({ api, circuit }) => [`circuit:${api}`, circuit === 'closed' ? 'ok' : 'degraded']),
  );
}
