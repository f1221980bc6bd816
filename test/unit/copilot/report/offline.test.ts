import { reportIncident, reportMarkdown, type ReportAudience } from '../../../../src/copilot/report';
import { IncidentReportSchema } from '../../../../src/copilot/report/schema';
import { validateKql } from '../../../../src/kql/validator';
import { silentLogger } from '../../../../src/logger';
import { contextDependencies, demoIncidentIds, fixedNow } from '../context/context-support';

const logger = silentLogger();
const audiences: ReportAudience[] = ['executive', 'technical', 'regulator'];
const cases = demoIncidentIds.flatMap((id) => audiences.map((audience) => [id, audience] as const));

function report(id: string, audience: ReportAudience, tlp?: 'RED') {
  return reportIncident(id, { ...contextDependencies(), logger }, { audience, tlp });
}

describe('reportIncident offline', () => {
  it.each(cases)(
    'incident %s for %s readers: schema-valid, careful wording, based on an investigation',
    async (id, audience) => {
      const { report: result, investigation } = await report(id, audience);
      const value = IncidentReportSchema.parse(result.result);
      expect(result.engine.kind).toBe('offline');
      expect(investigation.capability).toBe('investigateIncident');
      expect(value.tlp).toBe('AMBER');
      expect(value.audience).toBe(audience);
      expect(value.basis).toMatch(/^Based on an investigation of incident \d+ run first for this report/);
      expect(JSON.stringify(value)).not.toMatch(/\bbreach|exfiltrat/i);
      expect(value.recommendations.length).toBeGreaterThan(0);
      if (audience === 'technical') {
        expect(value.technicalDetails.techniques.length).toBeGreaterThan(0);
        expect(value.technicalDetails.queries.length).toBeGreaterThan(0);
        expect(value.decisionsNeeded).toEqual([]);
      } else {
        const plain = [value.executiveSummary, value.technicalDetails.summary, ...value.decisionsNeeded].join(' ');
        expect(plain).not.toMatch(/\bT\d{4}\b|\bIOC\b|\bTTP\b|ATT&CK/);
        expect(value.technicalDetails.queries).toEqual([]);
        expect(value.decisionsNeeded.length).toBeGreaterThan(0);
      }
      expect(result.generatedAt).toBe(fixedNow.toISOString());
    },
  );

  it('uses the marking it is given', async () => {
    const { report: result } = await report('42', 'executive', 'RED');
    expect(result.result.tlp).toBe('RED');
  });

  it('words the same incident differently for executives and technical readers', async () => {
    const executive = (await report('43', 'executive')).report.result;
    const technical = (await report('43', 'technical')).report.result;
    expect(executive.executiveSummary).not.toBe(technical.executiveSummary);
    expect(executive.executiveSummary).toMatch(/our security tools detected/);
    expect(technical.technicalDetails.indicators.length).toBeGreaterThan(0);
    expect(executive.technicalDetails.indicators).toEqual([]);
  });

  it('writes follow-up queries that pass the KQL validator', async () => {
    for (const id of ['42', '43', '49']) {
      const { report: result } = await report(id, 'technical');
      for (const query of result.result.technicalDetails.queries) {
        const validation = validateKql(query.query, { platform: query.platform });
        expect({
          title: query.title,
          errors: validation.diagnostics.filter((item) => item.severity === 'error'),
        }).toEqual({
          title: query.title,
          errors: [],
        });
      }
    }
  });
});

describe('reportMarkdown', () => {
  it('renders every section with the TLP marking at top and bottom, indicators defanged', async () => {
    const { report: result } = await report('43', 'technical');
    const markdown = reportMarkdown(result);
    expect(markdown.startsWith('**TLP:AMBER**')).toBe(true);
    expect(markdown.trimEnd().endsWith('**TLP:AMBER**')).toBe(true);
    for (const heading of [
      'Executive summary',
      'Incident timeline',
      'Technical details',
      'Impact assessment',
      'Response actions taken',
      'Recommendations',
      'Lessons learned',
    ]) {
      expect(markdown).toContain(`## ${heading}`);
    }
    expect(markdown).toContain('cdn-telemetry-sync[.]example');
    expect(markdown).not.toContain('https://cdn-telemetry-sync.example');
    // The only links are ATT&CK pages.
    for (const [, url] of markdown.matchAll(/\]\(([^)]+)\)/g)) expect(url).toMatch(/^https:\/\/attack\.mitre\.org\//);
    expect(reportMarkdown(result)).toBe(markdown);
  });

  it('keeps attacker Markdown from becoming links or HTML', async () => {
    const { report: result } = await report('42', 'executive');
    const hostile = {
      ...result,
      result: {
        ...result.result,
        executiveSummary: 'See [click](http://evil.example) <img src=x> ![x](http://evil.example/a.png)',
      },
    };
    const markdown = reportMarkdown(hostile);
    expect(markdown).not.toContain('](http');
    expect(markdown).not.toMatch(/(?<!\\)<img/);
    expect(markdown).not.toMatch(/(?<!\\)!(?<!\\)\[/);
  });
});
