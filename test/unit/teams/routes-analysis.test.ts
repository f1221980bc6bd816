import { helpEntries, matchMessageRoute } from '../../../src/teams/routes';

describe('analyze, triage and remediation routes', () => {
  it.each([
    ['analyze alert da-1004', 'analyzeAlertById', { alertId: 'da-1004' }],
    ['Analyse the alert da-1004.', 'analyzeAlertById', { alertId: 'da-1004' }],
    ['triage', 'triageQueue', {}],
    ['triage high', 'triageQueue', { severity: 'high' }],
    ['triage top 5', 'triageQueue', { top: '5' }],
    ['What should I look at first?', 'triageQueue', {}],
    ['remediation for alert da-1009', 'remediateSubject', { alertId: 'da-1009' }],
    ['how do I contain alert da-1009?', 'remediateSubject', { alertId: 'da-1009' }],
    ['how do I contain incident #45?', 'remediateSubject', { incidentId: '45' }],
    ['how do I contain this?', 'remediateWithoutSubject', {}],
  ])('routes %j to %s', (text, intent, groups) => {
    const match = matchMessageRoute(text);
    expect(match?.intent).toBe(intent);
    for (const [name, value] of Object.entries(groups)) expect(match?.groups[name]).toBe(value);
  });

  it('leaves indicator checks and technique questions to their routes', () => {
    expect(matchMessageRoute('analyze 8.8.8.8')?.intent).not.toBe('analyzeAlertById');
    expect(matchMessageRoute('what is T1003')?.intent).toBe('describeTechnique');
    expect(matchMessageRoute('triage is a word')?.intent).not.toBe('triageQueue');
  });

  it('lists the three capabilities on the help card', () => {
    const titles = helpEntries().map((entry) => entry.title);
    expect(titles).toEqual(expect.arrayContaining(['Analyze an alert', 'Triage the queue', 'Response guidance']));
  });
});
