import { z } from 'zod';
import type { JsonHttpClient } from '../../http';
import { scrubServiceMessage } from '../../http';
import type { Logger } from '../../logger';
import type { HuntingResult } from '../model';
import {
  isoTimespan,
  rowsToRecords,
  toHuntingResult,
  translateHuntingFailure,
  DEFAULT_MAX_ROWS,
} from '../http/hunting';

/**
 * The Azure Monitor Log Analytics query API (https://learn.microsoft.com/azure/azure-monitor/logs/api/overview):
 * POST {base}/v1/workspaces/{workspaceId}/query with `{query, timespan}` and a token for
 * https://api.loganalytics.io/.default. The answer is `tables[{name, columns[{name, type}], rows[[…]]}]`;
 * a fatal query error is an HTTP error with a OneAPI error body (400 BadArgumentError with the semantic or
 * syntax error nested in `innererror`), a non-fatal one is 200 with the tables plus `error.code = PartialError`.
 */

export const LOG_ANALYTICS_BASE_URL = 'https://api.loganalytics.io';

const ColumnSchema = z.object({ name: z.string(), type: z.string().default('string') });
const ErrorSchema = z
  .object({
    code: z.string().optional(),
    message: z.string().optional(),
    details: z.array(z.unknown()).optional(),
  })
  .passthrough();

export const QueryResponseSchema = z.object({
  tables: z.array(
    z.object({ name: z.string().optional(), columns: z.array(ColumnSchema), rows: z.array(z.array(z.unknown())) }),
  ),
  error: ErrorSchema.nullable().optional(),
});

export interface LogAnalyticsQueryOptions {
  timespan?: string;
  maxRows?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** What the query is for, in logs and messages ("list alerts"); the query text is never logged. */
  operation?: string;
}

export interface LogAnalyticsResult extends HuntingResult {
  /** The service's non-fatal error (PartialError): the rows may be incomplete. */
  partialError?: string;
}

export class LogAnalyticsQueryClient {
  constructor(
    private readonly http: JsonHttpClient,
    readonly workspaceId: string,
    private readonly logger?: Logger,
  ) {}

  get health() {
    return this.http.health();
  }

  async query(kql: string, options: LogAnalyticsQueryOptions = {}): Promise<LogAnalyticsResult> {
    const timespan = isoTimespan(options.timespan);
    let answer: z.output<typeof QueryResponseSchema>;
    try {
      answer = await this.http.send({
        operation: options.operation ?? 'query',
        method: 'POST',
        path: `v1/workspaces/${encodeURIComponent(this.workspaceId)}/query`,
        body: timespan === undefined ? { query: kql } : { query: kql, timespan },
        schema: QueryResponseSchema,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        // Running a read-only query twice does no harm.
        idempotent: true,
      });
    } catch (error) {
      throw translateHuntingFailure(error, 'Log Analytics');
    }
    const table = answer.tables[0] ?? { columns: [], rows: [] };
    const cap = Math.max(0, Math.floor(options.maxRows ?? DEFAULT_MAX_ROWS));
    const partialError = answer.error ? partialErrorText(answer.error) : undefined;
    if (partialError !== undefined) {
      this.logger?.warn(
        { operation: options.operation ?? 'query', partialError },
        'Log Analytics returned a partial result',
      );
    }
    const records = rowsToRecords(table.columns, table.rows, cap + 1);
    const result: LogAnalyticsResult = toHuntingResult(table.columns, records, cap, partialError !== undefined);
    if (partialError !== undefined) result.partialError = partialError;
    return result;
  }
}

/** PartialError says little by itself; the reason is in `details[].innererror.message` (a result size limit…). */
function partialErrorText(error: z.output<typeof ErrorSchema>): string {
  const detailMessages = (error.details ?? [])
    .map((detail) => {
      const record = detail as { message?: unknown; innererror?: { message?: unknown } } | null;
      return scrubServiceMessage(record?.innererror?.message) ?? scrubServiceMessage(record?.message);
    })
    .filter((message): message is string => message !== undefined);
  return (
    scrubServiceMessage([error.message, ...detailMessages].filter(Boolean).join(': ')) ?? error.code ?? 'partial result'
  );
}
