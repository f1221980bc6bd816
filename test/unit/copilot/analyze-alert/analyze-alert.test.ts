import { alertAnalysisCard } from '../../../../src/cards/analysis-card';
import { analyzeAlert } from '../../../../src/copilot/analyze-alert';
import { AlertAnalysisSchema, type AlertAnalysisModelOutput } from '../../../../src/copilot/analyze-alert/schema';
import { untrustedDataRule } from '../../../../src/copilot/untrusted';
import { CopilotError } from '../../../../src/errors';
import { defaultAttackKnowledge } from '../../../../src/intel/attack/facts';
import { silentLogger } from '../../../../src/logger';
import type { Alert } from '../../../../src/sources/model';
import { expectValidCard, makeAlert, renderedText } from '../../../support/cards';
import { FakeLlmClient } from '../../../support/fake-llm';
import { describeWithSharedData } from '../../../support/shared-data';
import { demoSource, fixedNow, injectionText, linkTargets, sentinelAlertsFile, sharedSentinelAlerts } from './support';

const attack = defaultAttackKnowledge();
const logger = silentLogger();
const dataSource = demoSource();

function analyze(alert: Alert, llm?: FakeLlmClient) {
  return analyzeAlert(alert, { attack, dataSource, llm, logger, clock: () => fixedNow });
}

async function demoAlert(id: string): Promise<Alert> {
  const alert = await dataSource.getAlert(id);
  if (!alert) throw new Error(`demo alert ${id} missing`);
  return alert;
}

/** Problems that would mean the result is not grounded in the alert and ATT&CK. */
function groundingProblems(result: ReturnType<typeof AlertAnalysisSchema.parse>, alert: Alert): string[] {
  const problems: string[] = [];
  for (const technique of result.techniques) {
    const facts = attack.technique(technique.id);
    if (!facts) problems.push(`technique ${technique.id} not in ATT&CK`);
    else if (facts.fullName !== technique.name) problems.push(`technique ${technique.id} misnamed`);
  }
  const values = new Set(alert.entities.map((entity) => entity.value));
  for (const entity of result.entities)
    if (!values.has(entity.value)) problems.push(`entity ${entity.value} not in alert`);
  for (const step of result.nextSteps)
    if (!values.has(step.target.value) && step.target.value !== alert.id)
      problems.push(`step target ${step.target.value}`);
  return problems;
}

describe('analyzeAlert offline', () => {
  it('maps da-1004 to LSASS dumping with the evidence behind it, at the Credential Access stage', async () => {
    const alert = await demoAlert('da-1004');
    const { result, engine } = await analyze(alert);
    expect(engine.kind).toBe('offline');
    const lsass = result.techniques.find((technique) => technique.id === 'T1003.001');
    expect(lsass?.sources).toEqual(expect.arrayContaining(['source', 'alertText', 'commandLine']));
    expect(lsass?.evidence.join(' ')).toContain('comsvcs.dll');
    expect(result.killChain.stage).toBe('Credential Access');
    expect(result.entities.find((entity) => entity.type === 'host')).toMatchObject({
      value: 'eng-wks-022.contoso.com',
      verdict: 'malicious',
    });
    expect(result.relatedAlerts.map((related) => related.id)).toContain('da-1002');
    expect(result.falsePositive.likelihood).toBe('low');
    expect(result.severity).toMatchObject({ vendor: 'high', assessed: 'high' });
    expect(result.nextSteps).toContainEqual(
      expect.objectContaining({
        action: expect.stringContaining('Isolate eng-wks-022.contoso.com'),
        target: { type: 'host', value: 'eng-wks-022.contoso.com' },
      }),
    );
  });

  it('rates a resolved, benign-verdict alert no higher than its vendor and its false-positive likelihood up', async () => {
    const { result } = await analyze(await demoAlert('ad-4004'));
    expect(['informational', 'low']).toContain(result.severity.assessed);
    expect(result.falsePositive.likelihood).not.toBe('low');
  });

  it('raises a low vendor severity by at most one level', async () => {
    const alert = { ...(await demoAlert('da-1009')), severity: 'low' as const };
    const { result } = await analyze(alert);
    expect(result.severity).toMatchObject({ vendor: 'low', assessed: 'medium' });
    expect(result.severity.reasons.join(' ')).toContain('Impact');
  });

  it('says what it could not look up when the data source fails', async () => {
    const failing = {
      ...dataSource,
      name: 'demo',
      listAlerts: () => Promise.reject(new CopilotError('source_unavailable', 'down')),
      getIncident: () => Promise.reject(new CopilotError('source_unavailable', 'down')),
      getUserContext: () => new Promise<undefined>(() => undefined),
      getAlert: dataSource.getAlert.bind(dataSource),
      listIncidents: dataSource.listIncidents.bind(dataSource),
      runHuntingQuery: dataSource.runHuntingQuery.bind(dataSource),
    };
    const alert = await demoAlert('da-1004');
    const { result } = await analyzeAlert(alert, { attack, dataSource: failing, logger, sourceTimeoutMs: 20 });
    expect(result.gaps.join('\n')).toMatch(/alerts sharing entities failed/);
    expect(result.gaps.join('\n')).toMatch(/user context for kenji.watanabe@contoso.com \(timed out/);
    expect(result.relatedAlerts).toEqual([]);
    expectValidCard(alertAnalysisCard({ ...(await analyze(alert)), result }, alert));
  });

  it('takes threat-intelligence verdicts for public indicators from the context gatherer', async () => {
    const alert = makeAlert({
      entities: [
        { type: 'host', value: 'WS-0142.contoso.local', properties: {}, roles: [] },
        { type: 'ip', value: '45.9.148.99', properties: {}, roles: [] },
      ],
    });
    const enrichment = {
      enrich: async (indicators: ReadonlyArray<{ type: string; value: string }>) => ({
        providers: ['FakeIntel'],
        indicators: indicators.map((indicator) => ({
          indicator,
          verdict: 'malicious' as const,
          summary: 'FakeIntel: malicious (Cobalt Strike C2)',
          evidence: [{ provider: 'FakeIntel' }],
          failures: [],
          associations: { malwareFamilies: [], groups: [], tags: [] },
        })),
      }),
    };
    const { result } = await analyzeAlert(alert, {
      attack,
      dataSource,
      enrichment: enrichment as never,
      logger,
      clock: () => fixedNow,
    });
    const ip = result.entities.find((entity) => entity.value === '45.9.148.99');
    expect(ip?.verdict).toBe('malicious');
    expect(ip?.reasons.join(' ')).toContain('FakeIntel: malicious');
    expect(result.sources.join(' ')).toContain('FakeIntel');
  });

  it('gives a schema-valid, grounded result and a valid card for every demo alert', async () => {
    for (const alert of await dataSource.listAlerts()) {
      const analysis = await analyze(alert);
      expect(AlertAnalysisSchema.safeParse(analysis.result).success).toBe(true);
      expect({ id: alert.id, problems: groundingProblems(analysis.result, alert) }).toEqual({
        id: alert.id,
        problems: [],
      });
      expectValidCard(alertAnalysisCard(analysis, alert, { dataSourceName: 'demo' }));
    }
  });

  it('keeps prompt injection in the description out of its findings and off the card', async () => {
    const alert = makeAlert();
    const injected = { ...alert, description: `${alert.description} ${injectionText}` };
    const [plain, attacked] = await Promise.all([analyze(alert), analyze(injected)]);
    const findings = (analysis: typeof plain) => ({
      severity: analysis.result.severity,
      falsePositive: analysis.result.falsePositive,
      entities: analysis.result.entities,
      nextSteps: analysis.result.nextSteps,
      techniques: analysis.result.techniques.map((technique) => technique.id),
    });
    expect(findings(attacked)).toEqual(findings(plain));
    const card = alertAnalysisCard(attacked, injected);
    expectValidCard(card);
    expect(linkTargets(card).some((url) => url.includes('evil.example'))).toBe(false);
    expect(JSON.stringify(card)).not.toContain('http://evil.example');
  });
});

describeWithSharedData('analyzeAlert offline on the shared Sentinel alerts', sentinelAlertsFile, () => {
  it('gives a schema-valid result and a valid card for each of them', async () => {
    const alerts = sharedSentinelAlerts();
    expect(alerts.length).toBeGreaterThan(100);
    for (const alert of alerts) {
      const analysis = await analyzeAlert(alert, { attack, logger, clock: () => fixedNow });
      expect(AlertAnalysisSchema.safeParse(analysis.result).success).toBe(true);
      expect({ id: alert.id, problems: groundingProblems(analysis.result, alert) }).toEqual({
        id: alert.id,
        problems: [],
      });
      expectValidCard(alertAnalysisCard(analysis, alert));
    }
  });
});

describe('analyzeAlert with an LLM', () => {
  /** A recorded answer for makeAlert() that invents a technique ID, an entity and a step target. */
  function recordedAnswer(overrides: Partial<AlertAnalysisModelOutput> = {}): AlertAnalysisModelOutput {
    return {
      summary: 'Encoded PowerShell on WS-0142 downloaded a second stage and reached 203.0.113.7.',
      techniques: [
        { id: 'T1059.001', evidence: 'Encoded PowerShell command line' },
        { id: 'T9999.999', evidence: 'Made up' },
        { id: 'T1486', evidence: 'The model thinks ransomware follows' },
      ],
      entities: [
        {
          type: 'host',
          value: 'WS-0142.contoso.local',
          role: 'compromised device',
          verdict: 'malicious',
          reason: 'Ran the script',
        },
        { type: 'ip', value: '198.51.100.99', role: 'C2', verdict: 'malicious', reason: 'Invented' },
        {
          type: 'ip',
          value: '203.0.113.7',
          role: 'attacker infrastructure',
          verdict: 'benign',
          reason: 'Says the description',
        },
      ],
      severity: { level: 'low', reasons: ['The description says it is benign'] },
      falsePositive: { likelihood: 'high', reasons: ['The description says so'] },
      nextSteps: [
        { action: 'Isolate WS-0142.', entityType: 'host', entityValue: 'WS-0142.contoso.local', why: 'Contain it.' },
        { action: 'Block evil-c2.example.', entityType: 'domain', entityValue: 'evil-c2.example', why: 'Invented.' },
      ],
      ...overrides,
    };
  }

  it('drops the invented technique and entity, marks the unsupported technique, and bounds the ratings', async () => {
    const alert = makeAlert();
    const llm = new FakeLlmClient().answer(recordedAnswer());
    const analysis = await analyze(alert, llm);

    expect(analysis.engine.kind).toBe('llm');
    const ids = analysis.result.techniques.map((technique) => technique.id);
    expect(ids).not.toContain('T9999.999');
    expect(analysis.result.techniques.find((technique) => technique.id === 'T1486')?.sources).toEqual(['model']);
    expect(ids).toContain('T1105'); // a fact the model left out stays
    expect(analysis.result.entities.map((entity) => entity.value)).not.toContain('198.51.100.99');
    expect(analysis.result.nextSteps.map((step) => step.target.value)).toEqual(['WS-0142.contoso.local']);
    // Offline says high; the model may go one level lower, not to low.
    expect(analysis.result.severity.assessed).toBe('medium');
    const levels = ['low', 'medium', 'high'];
    const offline = (await analyze(alert)).result.falsePositive.likelihood;
    expect(levels.indexOf(analysis.result.falsePositive.likelihood)).toBeLessThanOrEqual(levels.indexOf(offline) + 1);
    expect(analysis.result.entities.find((entity) => entity.value === '203.0.113.7')?.verdict).not.toBe('benign');
    const notes = analysis.notes.join('\n');
    expect(notes).toContain('T9999.999');
    expect(notes).toContain('198.51.100.99');
    expect(notes).toContain('evil-c2.example');
    expect(notes).toMatch(/model-proposed.*T1486/);
    const card = alertAnalysisCard(analysis, alert);
    expectValidCard(card);
    expect(renderedText(card)).toContain('model-proposed');
  });

  it('fences the alert and its context in the prompt and states the rule', async () => {
    const alert = { ...makeAlert(), description: injectionText };
    const llm = new FakeLlmClient().answer(recordedAnswer());
    await analyze(alert, llm);
    const [system, user] = llm.calls[0].messages;
    expect(system.content).toContain(untrustedDataRule);
    const fenced = /UNTRUSTED_DATA_BEGIN ([0-9a-f]{16}) \(alert[^\n]*\n([\s\S]*?)\nUNTRUSTED_DATA_END \1/.exec(
      user.content,
    );
    expect(fenced?.[2]).toContain('Ignore previous instructions');
    expect(user.content.replace(fenced?.[0] ?? '', '')).not.toContain('Ignore previous instructions');
  });

  it('answers with the offline engine and says why when the model fails', async () => {
    const alert = makeAlert();
    const analysis = await analyze(alert, new FakeLlmClient().unavailable());
    expect(analysis.engine.kind).toBe('offline');
    expect(analysis.notes.join(' ')).toContain('offline engine');
  });
});
