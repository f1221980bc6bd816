import { CopilotError } from '../../errors';
import type { HuntPlatform } from '../../kql/templates';
import type { Logger } from '../../logger';
import type { HuntingResult } from '../../sources/model';
import type { SecurityDataSource } from '../../sources/port';
import type { CapabilityResult } from '../result';
import { checkHuntQuery } from './check';
import type { HuntDiagnostic, HuntingQueryResult, KqlValidate } from './schema';

/** Rows fetched from the service; the card shows the first few, the count says how many came back. */
export const RUN_MAX_ROWS = 500;
/** Log Analytics and advanced hunting both stop a query at a few minutes; an analyst waiting in Teams wants less. */
export const RUN_TIMEOUT_MS = 60_000;
/**
 * The outer window the service applies (Log Analytics `timespan`, Graph `Timespan`). The query's own
 * `ago()` is the real bound; this only has to be wide enough for the templates' 14-day baselines.
 */
export const RUN_TIMESPAN = 'P30D';
/** The longest query the bot runs; longer ones are almost certainly pasted by mistake. */
export const RUN_MAX_QUERY_LENGTH = 20_000;

export interface HuntRunInput {
  query: string;
  platform: HuntPlatform;
}

export interface HuntRunResult {
  query: string;
  platform: HuntPlatform;
  /** `rejected` when the query failed validation and was not sent to the service. */
  status: 'completed' | 'rejected';
  validation: { diagnostics: HuntDiagnostic[] };
  columns: HuntingResult['columns'];
  rows: HuntingResult['rows'];
  /** Rows the service returned (at most the cap); `truncated` says there were more. */
  rowCount: number;
  truncated: boolean;
  /** The data source that ran the query (`demo`, `graph`, `sentinel`). */
  source: string;
}

export interface HuntRunDependencies {
  dataSource: Pick<SecurityDataSource, 'name' | 'runHuntingQuery'>;
  validate: KqlValidate;
  logger: Logger;
  clock?: () => Date;
  maxRows?: number;
  timeoutMs?: number;
}

/**
 * Runs a hunting query through the data source port, only after it passes the same checks as a query the
 * bot wrote (schema validation and a time bound): a query that would fail or scan the whole retention is
 * answered with its diagnostics instead. The service's own failures (throttling, a query error) surface as
 * CopilotErrors from the adapter; a query that runs past the time-out is cancelled and reported as such.
 */
export async function runHuntQuery(
  input: HuntRunInput,
  dependencies: HuntRunDependencies,
  options: { signal?: AbortSignal } = {},
): Promise<CapabilityResult<HuntRunResult>> {
  const clock = dependencies.clock ?? (() => new Date());
  const started = Date.now();
  const query = input.query.trim();
  if (query.length > RUN_MAX_QUERY_LENGTH) {
    throw new CopilotError('bad_input', `query of ${query.length} characters`, {
      userMessage: `That query is ${query.length} characters long; I run queries up to ${RUN_MAX_QUERY_LENGTH}.`,
    });
  }
  const check = checkHuntQuery(query, input.platform, dependencies.validate);
  const base = { query, platform: input.platform, source: dependencies.dataSource.name };
  const finish = (result: HuntRunResult, notes: string[] = []): CapabilityResult<HuntRunResult> => ({
    capability: 'runHuntingQuery',
    result,
    engine: { kind: 'offline', durationMs: Date.now() - started },
    notes,
    subject: {},
    generatedAt: clock().toISOString(),
  });

  if (!check.ok) {
    return finish({
      ...base,
      status: 'rejected',
      validation: { diagnostics: check.diagnostics },
      columns: [],
      rows: [],
      rowCount: 0,
      truncated: false,
    });
  }

  const timeoutMs = dependencies.timeoutMs ?? RUN_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let answer: HuntingResult;
  try {
    answer = await dependencies.dataSource.runHuntingQuery(query, {
      platform: input.platform,
      timespan: RUN_TIMESPAN,
      maxRows: dependencies.maxRows ?? RUN_MAX_ROWS,
      signal,
    });
  } catch (error) {
    if (timeout.aborted && !options.signal?.aborted) {
      throw new CopilotError('source_unavailable', `hunting query ran longer than ${timeoutMs} ms`, {
        userMessage: `The query ran longer than ${Math.round(timeoutMs / 1000)} seconds and was cancelled. Narrow the time window or add filters, then run it again.`,
        retryable: true,
        cause: error,
      });
    }
    throw error;
  }
  dependencies.logger.info(
    { source: base.source, platform: input.platform, rows: answer.rows.length, truncated: answer.truncated },
    'hunting query ran',
  );
  const warnings = check.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning');
  return finish({
    ...base,
    status: 'completed',
    validation: { diagnostics: warnings },
    columns: answer.columns,
    rows: answer.rows,
    rowCount: answer.rows.length,
    truncated: answer.truncated,
  });
}

/**
 * "kql: <query>": an analyst's own query checked against the platform's schema. Valid means what the validator
 * says (no error-severity diagnostic); warnings, including a missing time bound, are shown beside it.
 */
export function checkPastedQuery(
  input: HuntRunInput,
  dependencies: Pick<HuntRunDependencies, 'validate' | 'clock'>,
): CapabilityResult<HuntingQueryResult> {
  const clock = dependencies.clock ?? (() => new Date());
  const started = Date.now();
  const query = input.query.trim();
  if (query.length > RUN_MAX_QUERY_LENGTH) {
    throw new CopilotError('bad_input', `query of ${query.length} characters`, {
      userMessage: `That query is ${query.length} characters long; I check queries up to ${RUN_MAX_QUERY_LENGTH}.`,
    });
  }
  const validation = dependencies.validate(query, { platform: input.platform });
  return {
    capability: 'validateKql',
    result: {
      query,
      platform: input.platform,
      validation: { status: validation.valid ? 'validated' : 'unvalidated', diagnostics: validation.diagnostics },
      detects: '',
      expectedFalsePositives: [],
      tuning: [],
      explanation: '',
      techniques: [],
    },
    engine: { kind: 'offline', durationMs: Date.now() - started },
    notes: [],
    subject: {},
    generatedAt: clock().toISOString(),
  };
}
