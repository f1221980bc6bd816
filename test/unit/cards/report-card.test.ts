import { reportCard } from '../../../src/cards/report-card';
import { CARD_BUDGET_BYTES, cardByteSize } from '../../../src/cards/size-guard';
import { IncidentActionDataSchema, ReportActionDataSchema, VERBS } from '../../../src/cards/verbs';
import { reportIncident, type IncidentReport, type ReportAudience } from '../../../src/copilot/report';
import type { CapabilityResult } from '../../../src/copilot/result';
import { silentLogger } from '../../../src/logger';
import { expectValidCard, renderedText } from '../../support/cards';
import { incidentFromAlerts } from '../../../src/copilot/context';
import { contextDependencies, demoIncidentIds } from '../copilot/context/context-support';
import { injectedAlert } from '../copilot/investigate/investigate-support';

const logger = silentLogger();
const audiences: ReportAudience[] = ['executive', 'technical', 'regulator'];

async function report(id: string, audience: ReportAudience, tlp?: IncidentReport['tlp']) {
  return (await reportIncident(id, { ...contextDependencies(), logger }, { audience, tlp })).report;
}

describe('reportCard', () => {
  it.each(demoIncidentIds.flatMap((id) => audiences.map((audience) => [id, audience] as const)))(
    'incident %s for %s readers: a valid card under the 26 KB budget',
    async (id, audience) => {
      const card = reportCard(await report(id, audience));
      expectValidCard(card);
      expect(cardByteSize(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    },
  );

  it('leads with the TLP marking in its colour and repeats it in the footer', async () => {
    const amber = reportCard(await report('42', 'executive'));
    expect(amber.body[0]).toMatchObject({ type: 'Container', style: 'warning' });
    const shown = renderedText(amber);
    expect(shown.startsWith('TLP:AMBER')).toBe(true);
    expect(shown).toMatch(/TLP:AMBER · Offline analysis — no LLM was used/);
    const red = reportCard(await report('42', 'executive', 'RED'));
    expect(red.body[0]).toMatchObject({ style: 'attention' });
  });

  it('shows every section, defanged indicators and ATT&CK links for technical readers', async () => {
    const shown = renderedText(reportCard(await report('43', 'technical')));
    for (const section of [
      'Executive summary',
      'Incident timeline',
      'Technical details',
      'Impact assessment',
      'Response actions taken',
      'Recommendations',
      'Lessons learned',
    ]) {
      expect(shown).toContain(section);
    }
    expect(shown).toContain('cdn-telemetry-sync[.]example');
    expect(shown).not.toContain('https://cdn-telemetry-sync.example');
    expect(shown).toContain('https://attack.mitre.org/techniques/');
    expect(shown).toContain('Based on an investigation of incident 43');
  });

  it('offers the other audience and the investigation as buttons with valid data', async () => {
    const card = reportCard(await report('42', 'executive'));
    const actions = (card.actions ?? []) as Array<Record<string, any>>;
    const other = actions.find((action) => action.verb === VERBS.reportIncident);
    expect(ReportActionDataSchema.parse(other?.data)).toEqual({
      incidentId: '42',
      audience: 'technical',
      tlp: 'AMBER',
    });
    const investigate = actions.find((action) => action.verb === VERBS.investigateIncident);
    expect(IncidentActionDataSchema.parse(investigate?.data)).toEqual({ incidentId: '42' });
  });

  it('keeps a report with huge sections under the budget', async () => {
    const base = await report('43', 'technical');
    const long = 'Long text with hxxp://evil.example and 198.51.100.23 in it. '.repeat(50);
    const huge: CapabilityResult<IncidentReport> = {
      ...base,
      result: {
        ...base.result,
        executiveSummary: long,
        timeline: Array.from({ length: 40 }, (_, index) => ({
          time: new Date(Date.UTC(2025, 5, 1, 0, index)).toISOString(),
          description: long.slice(0, 480),
        })),
        recommendations: Array.from({ length: 12 }, () => long.slice(0, 480)),
        lessonsLearned: Array.from({ length: 10 }, () => long.slice(0, 480)),
      },
    };
    const card = reportCard(huge);
    expectValidCard(card);
    expect(cardByteSize(card)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(JSON.stringify(card)).not.toContain('http://evil.example');
  });

  it('never turns the prompt-injection URL into a link or an action, for any audience', async () => {
    const alert = injectedAlert();
    const input = { incident: incidentFromAlerts([alert], { id: 'inj-1' }), alerts: [alert] };
    for (const audience of audiences) {
      const { report: result } = await reportIncident(input, { ...contextDependencies(), logger }, { audience });
      const card = reportCard(result);
      expectValidCard(card);
      expect(JSON.stringify(card)).not.toContain('http://evil.example');
      expect(JSON.stringify(card.actions ?? [])).not.toContain('evil.example');
    }
  });
});
