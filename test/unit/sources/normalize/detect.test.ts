import { CopilotError } from '../../../../src/errors';
import {
  detectAlertFormat,
  detectIncidentFormat,
  normalizeAlert,
  normalizeIncident,
} from '../../../../src/sources/normalize';
import { loadAlertFixture } from './load-fixture';

function captureError(action: () => unknown): CopilotError {
  try {
    action();
  } catch (error) {
    if (error instanceof CopilotError) return error;
    throw error;
  }
  throw new Error('expected a CopilotError');
}

describe('detectAlertFormat', () => {
  it.each([
    ['graph-alert-v2.json', 'graph'],
    ['graph-alert-v2-url-click.json', 'graph'],
    ['defender-api-alert.json', 'defender'],
    ['sentinel-securityalert-strings.json', 'sentinel'],
  ])('recognises %s as %s', (fileName, format) => {
    expect(detectAlertFormat(loadAlertFixture(fileName))).toBe(format);
  });

  it('recognises a Graph alert without @odata.type by its Graph-only fields', () => {
    const withoutType = loadAlertFixture('graph-alert-v2.json');
    delete withoutType['@odata.type'];
    expect(detectAlertFormat(withoutType)).toBe('graph');
  });

  it('does not mistake incidents or unrelated values for alerts', () => {
    expect(detectAlertFormat(loadAlertFixture('graph-incident.json'))).toBeUndefined();
    expect(detectAlertFormat(loadAlertFixture('sentinel-securityincident.json'))).toBeUndefined();
    expect(detectAlertFormat({ '@odata.type': '#microsoft.graph.user', title: 'x' })).toBeUndefined();
    expect(detectAlertFormat([loadAlertFixture('graph-alert-v2.json')])).toBeUndefined();
    expect(detectAlertFormat('{"id": 1}')).toBeUndefined();
    expect(detectAlertFormat(null)).toBeUndefined();
  });
});

describe('normalizeAlert', () => {
  it('maps each recognised shape with its own mapper', () => {
    expect(normalizeAlert(loadAlertFixture('graph-alert-v2.json')).sourceFormat).toBe('graph');
    expect(normalizeAlert(loadAlertFixture('defender-api-alert.json')).sourceFormat).toBe('defender');
    expect(normalizeAlert(loadAlertFixture('sentinel-securityalert-strings.json')).sourceFormat).toBe('sentinel');
  });

  it.each([
    ['an array', [{ id: 1 }], /array of 1 items/],
    ['a string', 'alert text', /got a string/],
    ['a number', 42, /got a number/],
    ['null', null, /got null/],
    ['an unrelated object', { name: 'Alice', email: 'alice@contoso.com' }, /keys name, email/],
    ['a Graph list response', { '@odata.context': 'x', value: [] }, /list response/],
  ])('rejects %s with unsupported_format naming the accepted shapes', (_label, input, detail) => {
    const error = captureError(() => normalizeAlert(input));
    expect(error.code).toBe('unsupported_format');
    expect(error.message).toMatch(detail);
    expect(error.message).toContain('Microsoft Graph Security alert');
    expect(error.message).toContain('Sentinel SecurityAlert');
    expect(error.message).toContain('Defender for Endpoint API alert');
    expect(error.userMessage).toContain('Microsoft Sentinel SecurityAlert row');
  });

  it('tells the analyst when an incident was given instead of an alert', () => {
    const error = captureError(() => normalizeAlert(loadAlertFixture('graph-incident.json')));
    expect(error.code).toBe('unsupported_format');
    expect(error.userMessage).toMatch(/incident, not an alert/);
  });
});

describe('normalizeIncident', () => {
  it('recognises and maps both incident shapes', () => {
    expect(detectIncidentFormat(loadAlertFixture('graph-incident.json'))).toBe('graph');
    expect(detectIncidentFormat(loadAlertFixture('sentinel-securityincident.json'))).toBe('sentinel');
    expect(normalizeIncident(loadAlertFixture('graph-incident.json')).id).toBe('31337');
    expect(normalizeIncident(loadAlertFixture('sentinel-securityincident.json')).id).toBe('1042');
  });

  it('rejects alerts and other values', () => {
    expect(captureError(() => normalizeIncident(loadAlertFixture('graph-alert-v2.json'))).code).toBe(
      'unsupported_format',
    );
    expect(captureError(() => normalizeIncident([])).message).toContain('SecurityIncident row');
  });
});
