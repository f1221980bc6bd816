import { parseArgs } from 'node:util';
import { loadConfig } from '../../config';
import { CopilotError } from '../../errors';
import { silentLogger } from '../../logger';
import { createSecurityDataSource, type SecurityDataSourceOptions } from '../../sources';
import { severities, alertStatuses, type AlertStatus, type Severity } from '../../sources/model';
import type { SecurityDataSource } from '../../sources/port';
import { exitCodes, type CliIo } from '../io';

export const dataUsage = `Usage: soc-copilot alerts [--severity LEVEL] [--since AGE] [--status STATUS] [--limit N]
       soc-copilot incidents [--severity LEVEL] [--since AGE] [--limit N]
       soc-copilot alert ID
       soc-copilot incident ID

Reads alerts and incidents from the configured security data source (SECURITY_SOURCE: demo, graph,
sentinel) and prints them as JSON, newest first.

  --severity LEVEL   this severity or higher: informational, low, medium, high
  --since AGE        updated within AGE (30m, 24h, 7d) or since a date (2026-03-01T00:00:00Z)
  --status STATUS    alerts only: new, inProgress, resolved
  --limit N          at most N items (1-1000, default 50)
`;

export type DataCommandName = 'alerts' | 'incidents' | 'alert' | 'incident';

/**
 * `soc-copilot alerts|incidents|alert ID|incident ID`. `dependencies` lets tests point the real adapters at a
 * loopback fake (a fake credential, a sleep that does not wait) or pass a source outright.
 */
export async function dataCommand(
  command: DataCommandName,
  argv: string[],
  io: CliIo,
  dependencies: SecurityDataSourceOptions & { source?: SecurityDataSource } = {},
): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    // parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* codes and a readable message.
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) throw error;
    return usageError(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(dataUsage);
    return exitCodes.ok;
  }
  const single = command === 'alert' || command === 'incident';
  if (single && positionals.length !== 1) return usageError(io, `${command} needs one ID`);
  if (!single && positionals.length > 0) return usageError(io, `${command} takes no arguments`);

  let filters: { severity?: Severity; since?: Date; status?: AlertStatus; limit: number };
  try {
    filters = {
      severity: values.severity === undefined ? undefined : parseSeverity(values.severity),
      since: values.since === undefined ? undefined : parseSince(values.since, dependencies.clock?.() ?? new Date()),
      status: values.status === undefined ? undefined : parseStatus(values.status),
      limit: values.limit === undefined ? 50 : parseLimit(values.limit),
    };
  } catch (error) {
    if (error instanceof RangeError) return usageError(io, error.message);
    throw error;
  }
  if (command === 'incidents' && filters.status !== undefined) return usageError(io, '--status applies to alerts only');

  const source =
    dependencies.source ??
    createSecurityDataSource(loadConfig(io.environment).securitySources, {
      logger: silentLogger(),
      ...dependencies,
    });

  let result: unknown;
  switch (command) {
    case 'alerts':
      result = await source.listAlerts({
        minimumSeverity: filters.severity,
        since: filters.since,
        status: filters.status,
        limit: filters.limit,
      });
      break;
    case 'incidents':
      result = await source.listIncidents({
        minimumSeverity: filters.severity,
        since: filters.since,
        limit: filters.limit,
      });
      break;
    case 'alert':
      result = await source.getAlert(positionals[0]);
      break;
    case 'incident':
      result = await source.getIncident(positionals[0]);
      break;
  }
  if (result === undefined) {
    throw new CopilotError('not_found', `${command} ${positionals[0].slice(0, 80)} not found in ${source.name}`, {
      userMessage: `There is no ${command} "${positionals[0].slice(0, 80)}" in the ${source.name} data source.`,
    });
  }
  io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  return exitCodes.ok;
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      severity: { type: 'string' },
      since: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`soc-copilot: ${message}\n\n${dataUsage}`);
  return exitCodes.usage;
}

function parseSeverity(text: string): Severity {
  const wanted = text.trim().toLowerCase();
  const match = severities.find((severity) => severity === wanted);
  if (match === undefined) throw new RangeError(`--severity must be one of: ${severities.join(', ')}`);
  return match;
}

function parseStatus(text: string): AlertStatus {
  const wanted = text.trim().toLowerCase();
  const match = alertStatuses.find((status) => status !== 'unknown' && status.toLowerCase() === wanted);
  if (match === undefined) throw new RangeError('--status must be one of: new, inProgress, resolved');
  return match;
}

const unitMilliseconds: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `24h`, `7d`, `30m` back from now, or an ISO date. */
export function parseSince(text: string, now: Date): Date {
  const age = /^(\d{1,5})\s*([mhd])$/i.exec(text.trim());
  if (age) return new Date(now.getTime() - Number(age[1]) * unitMilliseconds[age[2].toLowerCase()]);
  if (/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
    const date = new Date(text.trim());
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new RangeError('--since must be an age such as 30m, 24h or 7d, or a date such as 2026-03-01T00:00:00Z');
}

function parseLimit(text: string): number {
  if (!/^\d{1,4}$/.test(text.trim()) || Number(text) < 1 || Number(text) > 1000) {
    throw new RangeError('--limit must be a whole number from 1 to 1000');
  }
  return Number(text);
}
