import { CopilotError } from '../../errors';
import { SourceHttpError, isSourceHttpError } from '../../http';
import type { HuntingResult } from '../model';

/** Rows kept when the caller sets no cap: enough for any card or report, far below the services' own limits. */
export const DEFAULT_MAX_ROWS = 1000;

/**
 * Per attempt, for an analyst's hunting query (Log Analytics and Defender advanced hunting both run queries up to
 * 10 minutes; a chat turn waits far less, and the JSON client's total budget bounds the run). Only hunting gets
 * it: lookups (an alert, an incident, a list) keep the client's per-attempt time-out (SOURCE_TIMEOUT_MS), so a
 * hung workspace cannot hold an "explain alert" turn for two minutes.
 */
export const HUNTING_TIMEOUT_MS = 120_000;

/**
 * A hunting timespan as ISO 8601, the form Log Analytics (`timespan`) and Graph (`Timespan`) accept. The
 * short form analysts type (7d, 24h, 30m) is converted; anything else is passed through for the service
 * to judge, except text that could not be a duration at all.
 */
export function isoTimespan(timespan: string | undefined): string | undefined {
  if (timespan === undefined || timespan.trim() === '') return undefined;
  const text = timespan.trim();
  const short = /^(\d{1,5})\s*([dhms])$/i.exec(text);
  if (short) {
    const [, amount, unit] = short;
    return unit.toLowerCase() === 'd' ? `P${amount}D` : `PT${amount}${unit.toUpperCase()}`;
  }
  if (/^[\dPTYMWDHSZ:./+-]{2,60}$/i.test(text)) return text.toUpperCase();
  throw new CopilotError('bad_input', 'hunting timespan is not an ISO 8601 duration', {
    userMessage: `"${text.slice(0, 40)}" is not a time window I understand; use e.g. P7D, PT24H or 7d.`,
  });
}

/** Rows as records (one key per column), cut to `maxRows` with `truncated` saying so. */
export function toHuntingResult(
  columns: Array<{ name: string; type: string }>,
  rows: Array<Record<string, unknown>>,
  maxRows: number | undefined,
  truncatedByService = false,
): HuntingResult {
  const cap = Math.max(0, Math.floor(maxRows ?? DEFAULT_MAX_ROWS));
  return {
    columns: columns.map((column) => ({ name: column.name, type: column.type })),
    rows: rows.slice(0, cap),
    truncated: truncatedByService || rows.length > cap,
  };
}

/** Log Analytics rows are arrays aligned with the columns. */
export function rowsToRecords(
  columns: Array<{ name: string }>,
  rows: unknown[][],
  limit: number,
): Array<Record<string, unknown>> {
  return rows.slice(0, limit).map((row) => {
    const record: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      record[column.name] = row[index] ?? null;
    });
    return record;
  });
}

/**
 * A failed hunting call as the analyst should see it: the service rejecting the query (400: a syntax or
 * semantic error, an unknown table) becomes `bad_input` whose message quotes the service's reason, so the
 * card says why the query failed; an answer too large to accept says how to narrow the query. Everything
 * else (auth, throttling, outages) passes through as the client translated it.
 */
export function translateHuntingFailure(error: unknown, service: string): unknown {
  if (!isSourceHttpError(error)) return error;
  if (error.code === 'bad_input') {
    const reason = error.serviceMessage ?? `HTTP ${error.status ?? '?'}`;
    return new SourceHttpError(
      error.api,
      'bad_input',
      `${service} rejected the query (${error.serviceCode ?? error.status})`,
      {
        status: error.status,
        serviceCode: error.serviceCode,
        serviceMessage: error.serviceMessage,
        userMessage: `${service} could not run the query: ${reason}`,
      },
    );
  }
  if (error.tooLarge) {
    return new SourceHttpError(error.api, 'bad_input', `${service} answered with too much data`, {
      tooLarge: true,
      userMessage: `The query returned more data than I accept in one answer. Add filters, a summarize, or "| take 500", then run it again.`,
    });
  }
  return error;
}
