import {
  severityAtLeast,
  toAlertStatus,
  toGraphIncidentStatus,
  toSentinelIncidentStatus,
  toSeverity,
} from '../../../../src/sources/normalize/severity-status';

describe('toSeverity', () => {
  it.each([
    ['High', 'high'],
    ['medium', 'medium'],
    ['LOW', 'low'],
    ['Informational', 'informational'],
    ['unknown', 'informational'],
    ['UnSpecified', 'informational'],
    [undefined, 'informational'],
  ] as const)('maps %p to %p', (input, expected) => {
    expect(toSeverity(input)).toBe(expected);
  });

  it.each(['constructor', 'toString', '__proto__', 'valueOf'])('does not read %p from the object prototype', (key) => {
    expect(toSeverity(key)).toBe('informational');
    expect(toAlertStatus(key)).toBe('unknown');
    expect(toGraphIncidentStatus(key)).toBe('unknown');
    expect(toSentinelIncidentStatus(key)).toBe('unknown');
  });

  it('orders severities', () => {
    expect(severityAtLeast('high', 'medium')).toBe(true);
    expect(severityAtLeast('low', 'medium')).toBe(false);
  });
});

describe('statuses', () => {
  it('maps alert statuses from every spelling', () => {
    expect(toAlertStatus('InProgress')).toBe('inProgress');
    expect(toAlertStatus('in progress')).toBe('inProgress');
    expect(toAlertStatus('Dismissed')).toBe('resolved');
    expect(toAlertStatus('New')).toBe('new');
    expect(toAlertStatus(undefined)).toBe('unknown');
  });

  it('maps incident lifecycles', () => {
    expect(toGraphIncidentStatus('active')).toBe('active');
    expect(toSentinelIncidentStatus('New')).toBe('active');
    expect(toSentinelIncidentStatus('Active')).toBe('inProgress');
    expect(toSentinelIncidentStatus('Closed')).toBe('resolved');
  });
});
