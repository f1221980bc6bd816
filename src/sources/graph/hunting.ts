import { z } from 'zod';
import type { JsonHttpClient } from '../../http';
import type { HuntingResult } from '../model';
import type { HuntingQueryOptions } from '../port';
import {
  DEFAULT_MAX_ROWS,
  HUNTING_TIMEOUT_MS,
  isoTimespan,
  toHuntingResult,
  translateHuntingFailure,
} from '../http/hunting';

/**
 * Advanced hunting through Microsoft Graph (https://learn.microsoft.com/graph/api/security-security-runhuntingquery):
 * POST /v1.0/security/runHuntingQuery with `{Query, Timespan?}` (application permission ThreatHunting.Read.All).
 * The answer is `{schema: [{name, type}], results: [{column: value}]}`; a query error is a 400 whose
 * `error.message` says what is wrong with the query.
 */

export const HuntingResponseSchema = z.object({
  schema: z.array(z.object({ name: z.string(), type: z.string().nullable().optional() })).default([]),
  results: z.array(z.record(z.unknown())).default([]),
});

export async function runGraphHuntingQuery(
  http: JsonHttpClient,
  query: string,
  options: Pick<HuntingQueryOptions, 'timespan' | 'maxRows' | 'signal'>,
): Promise<HuntingResult> {
  const timespan = isoTimespan(options.timespan);
  let answer: z.output<typeof HuntingResponseSchema>;
  try {
    answer = await http.send({
      operation: 'run hunting query',
      method: 'POST',
      path: 'v1.0/security/runHuntingQuery',
      body: timespan === undefined ? { Query: query } : { Query: query, Timespan: timespan },
      schema: HuntingResponseSchema,
      signal: options.signal,
      timeoutMs: HUNTING_TIMEOUT_MS,
      idempotent: true,
    });
  } catch (error) {
    throw translateHuntingFailure(error, 'Microsoft Defender advanced hunting');
  }
  const columns = answer.schema.map((column) => ({ name: column.name, type: column.type ?? 'String' }));
  return toHuntingResult(columns, answer.results, options.maxRows ?? DEFAULT_MAX_ROWS);
}
