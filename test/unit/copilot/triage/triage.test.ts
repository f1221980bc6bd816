import { triageCard } from '../../../../src/cards/triage-card';
import { TriageSchema, maximumLlmShift, triageQueue } from '../../../../src/copilot/triage';
import { CopilotError } from '../../../../src/errors';
import { defaultAttackKnowledge } from '../../../../src/intel/attack/facts';
import { silentLogger } from '../../../../src/logger';
import type { SecurityDataSource } from '../../../../src/sources/port';
import { expectValidCard, renderedText } from '../../../support/cards';
import { FakeLlmClient } from '../../../support/fake-llm';
import { describeWithSharedData } from '../../../support/shared-data';
import { demoSource, fixedNow, sentinelAlertsFile, sharedSentinelAlerts } from '../analyze-alert/support';

const attack = defaultAttackKnowledge();
const logger = silentLogger();

function triage(request = {}, extra: { llm?: FakeLlmClient; dataSource?: SecurityDataSource } = {}) {
  return triageQueue(request, {
    attack,
    dataSource: extra.dataSource ?? demoSource(),
    llm: extra.llm,
    logger,
    clock: () => fixedNow,
    sourceTimeoutMs: 50,
  });
}

describe('triage offline', () => {
  it('ranks only open alerts, by a score that is the sum of its shown factors', async () => {
    const { result, engine } = await triage();
    expect(engine.kind).toBe('offline');
    expect(TriageSchema.safeParse(result).success).toBe(true);
    expect(result.alerts).toHaveLength(10);
    const all = await demoSource().listAlerts();
    const open = all.filter((alert) => alert.status === 'new' || alert.status === 'inProgress');
    expect(result.considered.openAlerts).toBe(open.length);
    for (const [index, item] of result.alerts.entries()) {
      expect(['new', 'inProgress']).toContain(item.status);
      expect(item.rank).toBe(index + 1);
      expect(item.score).toBe(item.factors.reduce((total, factor) => total + factor.points, 0));
      if (index > 0) expect(item.score).toBeLessThanOrEqual(result.alerts[index - 1].score);
    }
    // Late stages on privileged or high-risk identities lead the queue.
    expect(['Impact', 'Credential Access', 'Lateral Movement']).toContain(result.alerts[0].stage);
    expect(result.alerts[0].factors.map((factor) => factor.factor)).toEqual(
      expect.arrayContaining(['severity', 'userRisk', 'attackStage']),
    );
    expect(result.incidents.every((incident) => ['active', 'inProgress'].includes(incident.status))).toBe(true);
    expect(result.incidents.map((incident) => incident.id)).not.toContain('46');
  });

  it('filters by severity and honours top', async () => {
    const { result } = await triage({ minimumSeverity: 'high', top: 3 });
    expect(result.alerts).toHaveLength(3);
    expect(result.alerts.every((item) => item.severity === 'high')).toBe(true);
    expect(result.filter).toEqual({ top: 3, minimumSeverity: 'high' });
  });

  it('says which look-ups failed, and fails clearly when the queue itself cannot be read', async () => {
    const source = demoSource();
    const slowUsers = Object.assign(Object.create(source) as SecurityDataSource, {
      getUserContext: () => new Promise(() => undefined),
    });
    const { result } = await triage({}, { dataSource: slowUsers });
    expect(result.gaps.some((gap) => gap.startsWith('User context for'))).toBe(true);
    expect(result.alerts).toHaveLength(10);

    const down = Object.assign(Object.create(source) as SecurityDataSource, {
      listAlerts: () => Promise.reject(new CopilotError('source_unavailable', 'down')),
    });
    await expect(triage({}, { dataSource: down })).rejects.toMatchObject({ code: 'source_unavailable' });
  });

  it('renders a valid card with Explain, Analyze and Remediate per alert and the score breakdown', async () => {
    const result = await triage();
    const card = triageCard(result, { dataSourceName: 'demo' });
    expectValidCard(card);
    const json = JSON.stringify(card);
    for (const item of result.result.alerts) {
      for (const verb of ['explainAlert', 'analyzeAlert', 'remediateAlert'])
        expect(json).toContain(`"verb":"${verb}","data":{"alertId":"${item.id}"}`);
    }
    expect(renderedText(card)).toContain('Severity +40');
    expect(json).toContain('remediateIncident');
  });
});

describe('triage with an LLM', () => {
  it('lets the model re-order within limits, keeps the scores, and ignores ids it made up', async () => {
    const offline = (await triage()).result.alerts;
    const reversed = [...offline].reverse().map((item) => item.id);
    const llm = new FakeLlmClient().answer({
      order: ['zz-9999', ...reversed],
      rationale: 'Start with the ransomware chain.',
      notes: [
        { id: offline[9].id, note: 'Part of the same chain.' },
        { id: 'zz-9999', note: 'Invented' },
      ],
    });
    const { result, engine, notes } = await triage({}, { llm });
    expect(engine.kind).toBe('llm');
    expect(result.rationale).toBe('Start with the ransomware chain.');
    for (const item of result.alerts) {
      expect(Math.abs(item.rank - item.scoreRank)).toBeLessThanOrEqual(maximumLlmShift);
      expect(item.score).toBe(offline.find((original) => original.id === item.id)?.score);
    }
    expect(result.alerts.map((item) => item.id)).not.toContain('zz-9999');
    expect(result.alerts.find((item) => item.id === offline[9].id)?.reason).toBe('Part of the same chain.');
    expect(notes.join(' ')).toMatch(/not in the queue/);
    expect(notes.join(' ')).toMatch(/more than 3 places/);
    expectValidCard(triageCard({ ...(await triage()), result }));
  });

  it('falls back to the scores when the model fails', async () => {
    const { engine, notes } = await triage({}, { llm: new FakeLlmClient().rateLimited(5) });
    expect(engine.kind).toBe('offline');
    expect(notes.join(' ')).toContain('scores alone');
  });
});

describeWithSharedData('triage over the shared Sentinel alerts', sentinelAlertsFile, () => {
  it('ranks every open one with a schema-valid result and a valid card', async () => {
    const alerts = sharedSentinelAlerts();
    const source = Object.assign(Object.create(demoSource()) as SecurityDataSource, {
      name: 'shared Sentinel rows',
      listAlerts: async () => alerts,
      listIncidents: async () => [],
      getUserContext: async () => undefined,
    });
    const result = await triageQueue({ top: 25 }, { attack, dataSource: source, logger, clock: () => fixedNow });
    expect(TriageSchema.safeParse(result.result).success).toBe(true);
    const open = alerts.filter((alert) => alert.status === 'new' || alert.status === 'inProgress');
    expect(result.result.considered.openAlerts).toBe(open.length);
    expect(result.result.alerts.length).toBe(Math.min(25, open.length));
    expectValidCard(triageCard(result, { dataSourceName: 'shared' }));
  });
});
