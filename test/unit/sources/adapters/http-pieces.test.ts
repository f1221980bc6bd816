import { CopilotError } from '../../../../src/errors';
import { CircuitBreaker } from '../../../../src/http/circuit-breaker';
import { scrubServiceMessage, serviceErrorDetail } from '../../../../src/http/source-error';
import { isoTimespan, toHuntingResult } from '../../../../src/sources/http/hunting';
import { alertsQuery, incidentByIdQuery, kqlString } from '../../../../src/sources/sentinel/kql';

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, half-opens after the cool-down and lets one trial through', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 1000, clock: () => now });
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
    breaker.recordFailure();
    expect(breaker.snapshot()).toEqual({ state: 'open', consecutiveFailures: 2, retryAt: 1000 });
    expect(breaker.tryAcquire()).toEqual({ allowed: false, retryAfterMs: 1000 });
    now = 1000;
    expect(breaker.tryAcquire()).toEqual({ allowed: true, trial: true });
    expect(breaker.tryAcquire()).toMatchObject({ allowed: false });
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    now = 2000;
    expect(breaker.tryAcquire()).toMatchObject({ allowed: true, trial: true });
    breaker.recordSuccess();
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0, retryAt: undefined });
  });

  it('a success in between resets the count', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 1000 });
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
  });
});

describe('service error details', () => {
  it('keeps the outer code and the innermost message of a Log Analytics error', () => {
    expect(
      serviceErrorDetail({
        error: {
          code: 'BadArgumentError',
          message: 'The request had some invalid properties',
          innererror: {
            code: 'SemanticError',
            message: 'A semantic error occurred.',
            innererror: { code: 'SEM0100', message: "Failed to resolve 'Foo'" },
          },
        },
      }),
    ).toEqual({
      code: 'BadArgumentError/SEM0100',
      message: "The request had some invalid properties: Failed to resolve 'Foo'",
    });
    expect(serviceErrorDetail('not an object')).toEqual({});
    expect(serviceErrorDetail({ error: { code: 'has spaces!', message: 'x' } })).toEqual({
      code: undefined,
      message: 'x',
    });
  });

  it('scrubs tokens, secrets and control characters, and cuts long messages', () => {
    const scrubbed = scrubServiceMessage(
      'Bad header Bearer abc.def-123 and eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln client_secret=hunter2&x=1\u0000\nnext',
    );
    expect(scrubbed).toBe('Bad header Bearer [token] and [token] client_secret=[redacted]&x=1 next');
    expect(scrubServiceMessage('x'.repeat(1000))?.length).toBe(300);
    expect(scrubServiceMessage('   ')).toBeUndefined();
  });
});

describe('hunting helpers', () => {
  it('converts short timespans to ISO 8601 and refuses text that is not a duration', () => {
    expect(isoTimespan('7d')).toBe('P7D');
    expect(isoTimespan('24h')).toBe('PT24H');
    expect(isoTimespan('p30d')).toBe('P30D');
    expect(isoTimespan('2026-03-01T00:00:00Z/2026-03-02T00:00:00Z')).toBe('2026-03-01T00:00:00Z/2026-03-02T00:00:00Z');
    expect(isoTimespan(undefined)).toBeUndefined();
    expect(() => isoTimespan('last week please')).toThrow(CopilotError);
  });

  it('caps rows with a default when no cap is given', () => {
    const rows = Array.from({ length: 1500 }, (_, index) => ({ n: index }));
    expect(toHuntingResult([{ name: 'n', type: 'long' }], rows, undefined)).toMatchObject({ truncated: true });
    expect(toHuntingResult([], rows.slice(0, 3), 3).truncated).toBe(false);
    expect(toHuntingResult([], rows.slice(0, 3), 0).rows).toEqual([]);
  });
});

describe('Sentinel KQL', () => {
  it('quotes values as KQL string literals and refuses control characters', () => {
    expect(kqlString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(() => kqlString('a\nb')).toThrow(RangeError);
  });

  it('addresses incidents by number or by name', () => {
    const since = new Date('2026-01-01T00:00:00Z');
    expect(incidentByIdQuery('42', since)).toContain('| where IncidentNumber == 42');
    expect(incidentByIdQuery('8f2d6c1e-3b4a-4e5f-9a7b-1c2d3e4f5a6b', since)).toContain(
      '| where IncidentName == "8f2d6c1e-3b4a-4e5f-9a7b-1c2d3e4f5a6b"',
    );
  });

  it('filters on the latest alert state, after the summarize', () => {
    const query = alertsQuery({ since: new Date('2026-01-01T00:00:00Z'), status: 'resolved', take: 5 });
    const lines = query.split('\n');
    expect(lines.indexOf('| summarize arg_max(TimeGenerated, *) by SystemAlertId')).toBeLessThan(
      lines.indexOf('| where Status in~ ("Resolved", "Dismissed")'),
    );
  });
});
