import { reportHtml, reportIncident } from '../../../../src/copilot/report';
import { investigateContext } from '../../../../src/copilot/investigate';
import { gatherIncidentContext } from '../../../../src/copilot/context';
import type { Finding } from '../../../../src/findings';
import { silentLogger } from '../../../../src/logger';
import { contextDependencies } from '../context/context-support';

const logger = silentLogger();

async function storedInvestigation(): Promise<Finding> {
  const dependencies = { ...contextDependencies(), logger };
  const investigation = await investigateContext(await gatherIncidentContext('42', dependencies), dependencies);
  return {
    capability: 'investigateIncident',
    by: { name: 'Priya Analyst', aadObjectId: 'aad-1' },
    at: '2025-03-04T10:00:00.000Z',
    engine: { kind: 'offline' },
    incidentId: '42',
    alertIds: [],
    summary: investigation.result.assessment.summary,
    result: investigation.result,
  };
}

describe('report uses stored findings', () => {
  it('rests on the stored investigation and lists triage actions with their authors', async () => {
    const investigation = await storedInvestigation();
    const triage: Finding = {
      capability: 'triage',
      by: { name: 'Sam Responder' },
      at: '2025-03-04T11:00:00.000Z',
      engine: { kind: 'offline' },
      incidentId: '42',
      alertIds: ['fa-3001'],
      summary: 'Closed alert fa-3001 as true positive',
    };
    const { report, investigation: used } = await reportIncident(
      '42',
      { ...contextDependencies(), logger },
      { audience: 'executive', findings: [triage, investigation] },
    );
    expect(report.result.basis).toContain('stored findings of incident 42');
    expect(report.result.basis).toContain('Priya Analyst');
    expect(used.generatedAt).toBe('2025-03-04T10:00:00.000Z');
    expect(report.result.responseActionsTaken[0]).toBe(
      'Closed alert fa-3001 as true positive — by Sam Responder at 2025-03-04T11:00:00.000Z',
    );
    expect(report.notes.join(' ')).not.toContain('run first');
  });

  it('runs the investigation first when nothing is stored, and says so', async () => {
    const { report } = await reportIncident(
      '42',
      { ...contextDependencies(), logger },
      { audience: 'technical', findings: [] },
    );
    expect(report.result.basis).toMatch(/run first for this report/);
    expect(report.notes).toContain(
      'No findings were stored for this incident, so the investigation was run first for this report.',
    );
  });
});

describe('reportHtml', () => {
  it('is self-contained and inert: escaped text, no scripts, no http URLs, a CSP meta', async () => {
    const { report } = await reportIncident('42', { ...contextDependencies(), logger }, { audience: 'technical' });
    const hostile = {
      ...report,
      notes: ['<script>alert(1)</script> "onload=alert(2) see http://evil.example/x'],
      result: {
        ...report.result,
        title: 'Title <img src=x onerror=alert(3)>',
        technicalDetails: {
          ...report.result.technicalDetails,
          indicators: [{ type: 'url', value: 'https://evil.example/a"onload="x' }],
        },
      },
    };
    const html = reportHtml(hostile);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;onload=alert(2)');
    expect(html).not.toMatch(/"onload=/);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<[a-z][^<>]*\s(?:src|href|on\w+)=/i);
    expect(html).toContain('hxxp');
    expect(html).toContain('TLP:AMBER');
  });
});
