import {
  contextForPrompt,
  estimateTokens,
  gatherIncidentContext,
  incidentInputFromJson,
  selectWithinBudget,
} from '../../../../src/copilot/context';
import { contextDependencies } from './context-support';

describe('selectWithinBudget', () => {
  it('keeps the most relevant whole items within the budget, in their input order', () => {
    const items = [
      { section: 'a', relevance: 10, value: { text: 'x'.repeat(300) } },
      { section: 'a', relevance: 90, value: { text: 'keep me' } },
      { section: 'b', relevance: 50, value: { text: 'y'.repeat(30) } },
      { section: 'a', relevance: 80, value: { text: 'me too' } },
    ];
    const selection = selectWithinBudget(items, 40);
    expect(selection.sections).toEqual({ a: [{ text: 'keep me' }, { text: 'me too' }], b: [{ text: 'y'.repeat(30) }] });
    expect(selection.omitted).toEqual({ a: 1 });
    expect(selection.estimatedTokens).toBeLessThanOrEqual(40);
  });

  it('never exceeds the budget and always yields valid JSON', () => {
    const items = Array.from({ length: 200 }, (_, index) => ({
      section: index % 2 === 0 ? 'even' : 'odd',
      relevance: (index * 37) % 100,
      value: { index, note: 'z'.repeat(index % 50) },
    }));
    for (const budget of [0, 10, 100, 1000, 5000]) {
      const selection = selectWithinBudget(items, budget);
      const json = JSON.stringify(selection.sections);
      expect(() => JSON.parse(json)).not.toThrow();
      if (budget >= 100) expect(estimateTokens(json)).toBeLessThanOrEqual(budget);
    }
  });
});

describe('contextForPrompt', () => {
  it('keeps the incident and its alerts and drops recent alerts first when the budget is tight', async () => {
    const context = await gatherIncidentContext('43', contextDependencies());
    const roomy = contextForPrompt(context, 100_000);
    expect(roomy.omitted).toEqual({});
    const tight = contextForPrompt(context, 2500);
    expect(tight.estimatedTokens).toBeLessThanOrEqual(2500);
    expect((tight.facts.incident as { id: string }).id).toBe('43');
    expect((tight.facts.alerts as unknown[]).length).toBe(context.alerts.length);
    expect(tight.omitted.recentAlerts ?? 0).toBeGreaterThan(0);
    expect(tight.omitted.alerts).toBeUndefined();
    expect(() => JSON.parse(JSON.stringify(tight.facts))).not.toThrow();
  });
});

describe('incidentInputFromJson', () => {
  it('assembles an incident from an array of alerts', () => {
    const input = incidentInputFromJson([
      {
        SystemAlertId: 'a-1',
        AlertName: 'First',
        ProviderName: 'ASI Scheduled Alerts',
        AlertSeverity: 'Medium',
        TimeGenerated: '2025-01-01T00:00:00Z',
      },
      {
        SystemAlertId: 'a-2',
        AlertName: 'Second',
        ProviderName: 'ASI Scheduled Alerts',
        AlertSeverity: 'High',
        TimeGenerated: '2025-01-01T01:00:00Z',
      },
    ]);
    expect(typeof input).toBe('object');
    if (typeof input === 'string' || !('alerts' in input)) throw new Error('expected alerts');
    expect(input.alerts).toHaveLength(2);
    expect(input.incident.severity).toBe('high');
    expect(input.incident.alertIds).toEqual(['a-1', 'a-2']);
  });

  it('refuses something that is neither an incident nor an alert', () => {
    expect(() => incidentInputFromJson({ hello: 'world' })).toThrow(/none of these|neither/);
  });
});
