import { CopilotError } from '../../../../src/errors';
import { checkPastedQuery, runHuntQuery, RUN_MAX_QUERY_LENGTH } from '../../../../src/copilot/hunt/run';
import type { KqlValidate } from '../../../../src/copilot/hunt';
import { validateKql } from '../../../../src/kql/validator';
import { silentLogger } from '../../../../src/logger';
import { DemoSecurityDataSource } from '../../../../src/sources/demo';
import type { HuntingQueryOptions } from '../../../../src/sources/port';

const validate: KqlValidate = (query, options) => validateKql(query, { platform: options.platform });
const now = new Date('2026-11-27T12:00:00.000Z');
const clock = () => now;

describe('runHuntQuery', () => {
  it('runs a valid, time-bounded query through the data source and returns its rows', async () => {
    const dataSource = new DemoSecurityDataSource(clock);
    const run = await runHuntQuery(
      {
        query: 'SigninLogs | where TimeGenerated > ago(7d) | project TimeGenerated, UserPrincipalName',
        platform: 'sentinel',
      },
      { dataSource, validate, logger: silentLogger(), clock },
    );
    expect(run.capability).toBe('runHuntingQuery');
    expect(run.result.status).toBe('completed');
    expect(run.result.source).toBe('demo');
    expect(run.result.rowCount).toBeGreaterThan(0);
    expect(run.result.rowCount).toBe(run.result.rows.length);
    expect(run.result.columns.map((column) => column.name)).toContain('UserPrincipalName');
  });

  it('does not send a query that fails validation, and says why', async () => {
    const runHuntingQuery = jest.fn();
    const run = await runHuntQuery(
      { query: 'SigninLogs | where TimeGenerated > ago(1d) | where NoSuchColumn == 1', platform: 'sentinel' },
      { dataSource: { name: 'fake', runHuntingQuery }, validate, logger: silentLogger(), clock },
    );
    expect(runHuntingQuery).not.toHaveBeenCalled();
    expect(run.result.status).toBe('rejected');
    expect(run.result.validation.diagnostics.some((diagnostic) => /NoSuchColumn/.test(diagnostic.message))).toBe(true);
  });

  it('refuses a query without a time bound, which would scan the whole retention', async () => {
    const runHuntingQuery = jest.fn();
    const run = await runHuntQuery(
      { query: 'SigninLogs | take 10', platform: 'sentinel' },
      { dataSource: { name: 'fake', runHuntingQuery }, validate, logger: silentLogger(), clock },
    );
    expect(runHuntingQuery).not.toHaveBeenCalled();
    expect(run.result.status).toBe('rejected');
  });

  it('passes the row cap, an outer time window and a signal to the source, and reports truncation', async () => {
    let seen: HuntingQueryOptions | undefined;
    const run = await runHuntQuery(
      { query: 'DeviceProcessEvents | where Timestamp > ago(1d)', platform: 'defender' },
      {
        dataSource: {
          name: 'fake',
          runHuntingQuery: async (_query, options) => {
            seen = options;
            return {
              columns: [{ name: 'Timestamp', type: 'datetime' }],
              rows: [{ Timestamp: now.toISOString() }],
              truncated: true,
            };
          },
        },
        validate,
        logger: silentLogger(),
        clock,
        maxRows: 1,
      },
    );
    expect(seen).toMatchObject({ platform: 'defender', maxRows: 1, timespan: 'P30D' });
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
    expect(run.result).toMatchObject({ status: 'completed', rowCount: 1, truncated: true });
  });

  it('cancels a query that runs past the time-out and says so', async () => {
    const dataSource = {
      name: 'slow',
      runHuntingQuery: (_query: string, options: HuntingQueryOptions) =>
        new Promise<never>((_resolve, reject) => {
          options.signal?.addEventListener('abort', () => reject(options.signal?.reason));
        }),
    };
    const failure = await runHuntQuery(
      { query: 'DeviceProcessEvents | where Timestamp > ago(1d)', platform: 'defender' },
      { dataSource, validate, logger: silentLogger(), clock, timeoutMs: 20 },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CopilotError);
    expect((failure as CopilotError).userMessage).toMatch(/cancelled/);
    expect((failure as CopilotError).retryable).toBe(true);
  });

  it("passes the source's own errors through unchanged (throttling, a query error)", async () => {
    const throttled = new CopilotError('source_throttled', 'HTTP 429', { retryable: true, retryAfterSeconds: 30 });
    const failure = await runHuntQuery(
      { query: 'DeviceProcessEvents | where Timestamp > ago(1d)', platform: 'defender' },
      {
        dataSource: { name: 'fake', runHuntingQuery: () => Promise.reject(throttled) },
        validate,
        logger: silentLogger(),
        clock,
      },
    ).catch((error: unknown) => error);
    expect(failure).toBe(throttled);
  });

  it('refuses an over-long query before validating it', async () => {
    const validateSpy = jest.fn(validate);
    await expect(
      runHuntQuery(
        {
          query: `SigninLogs | where TimeGenerated > ago(1d) ${' '.repeat(RUN_MAX_QUERY_LENGTH)}| take 1`,
          platform: 'sentinel',
        },
        {
          dataSource: { name: 'fake', runHuntingQuery: jest.fn() },
          validate: validateSpy,
          logger: silentLogger(),
          clock,
        },
      ),
    ).rejects.toMatchObject({ code: 'bad_input' });
    expect(validateSpy).not.toHaveBeenCalled();
  });
});

describe('checkPastedQuery', () => {
  it('marks a clean query validated and keeps the warnings', () => {
    const check = checkPastedQuery(
      { query: 'SigninLogs | where UserPrincipalName contains "kim"', platform: 'sentinel' },
      { validate, clock },
    );
    expect(check.capability).toBe('validateKql');
    expect(check.result.validation.status).toBe('validated');
    // No time bound and `contains` where `has` works: both are warnings, not errors.
    expect(check.result.validation.diagnostics.map((diagnostic) => diagnostic.severity)).toEqual([
      'warning',
      'warning',
    ]);
  });

  it('marks a query with an unknown column unvalidated, naming the column', () => {
    const check = checkPastedQuery(
      { query: 'DeviceProcessEvents | where Timestamp > ago(1d) | where ProcessNam == "x"', platform: 'defender' },
      { validate, clock },
    );
    expect(check.result.validation.status).toBe('unvalidated');
    expect(
      check.result.validation.diagnostics.some(
        (diagnostic) => diagnostic.severity === 'error' && /ProcessNam/.test(diagnostic.message),
      ),
    ).toBe(true);
  });
});
