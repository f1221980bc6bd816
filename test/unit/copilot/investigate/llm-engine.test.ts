import { zodResponseFormat } from 'openai/helpers/zod';
import { InvestigationAnswerSchema } from '../../../../src/copilot/investigate/schema';
import { gatherIncidentContext } from '../../../../src/copilot/context';
import {
  investigateContext,
  investigateIncident,
  removedIndicatorMarker,
  type InvestigateDependencies,
} from '../../../../src/copilot/investigate';
import { investigateOffline } from '../../../../src/copilot/investigate/offline';
import { untrustedDataRule } from '../../../../src/copilot/untrusted';
import { CopilotError } from '../../../../src/errors';
import { silentLogger } from '../../../../src/logger';
import { FakeLlmClient } from '../../../support/fake-llm';
import { contextDependencies, fixedNow } from '../context/context-support';
import { recordedAnswer42 } from './investigate-support';

const usage = { promptTokens: 5200, completionTokens: 1100, totalTokens: 6300 };

function dependencies(llm: FakeLlmClient): InvestigateDependencies {
  return { ...contextDependencies(), llm, logger: silentLogger() };
}

describe('investigateIncident with an LLM', () => {
  it('keeps a grounded answer, fills MITRE names, sorts the timeline and records model and usage', async () => {
    const llm = new FakeLlmClient({ provider: 'azure-openai' }).answer(recordedAnswer42(), {
      model: 'gpt-4o-2024-08-06',
      usage,
    });
    const result = await investigateIncident('42', dependencies(llm));

    expect(result.engine).toEqual({
      kind: 'llm',
      provider: 'azure-openai',
      model: 'gpt-4o-2024-08-06',
      usage,
      durationMs: expect.any(Number),
    });
    expect(result.notes).toEqual([]);
    expect(result.generatedAt).toBe(fixedNow.toISOString());
    const investigation = result.result;
    expect(investigation.techniques).toEqual([
      { id: 'T1566.002', name: 'Phishing: Spearphishing Link', tactics: ['Initial Access'], evidenceIds: ['fa-3002'] },
      {
        id: 'T1114.003',
        name: 'Email Collection: Email Forwarding Rule',
        tactics: ['Collection'],
        evidenceIds: ['ca-5001'],
      },
    ]);
    expect(investigation.timeline.map((event) => event.time)).toEqual([
      '2025-05-28T14:00:00.000Z',
      '2025-05-28T17:00:00.000Z',
    ]);
    expect(investigation.scope.users[0]).toMatchObject({
      userPrincipalName: 'priya.raman@contoso.com',
      department: 'Finance',
    });
    expect(investigation.containment.map((step) => step.order)).toEqual([1, 2]);
    expect(investigation.findings.every((finding) => !finding.unverified)).toBe(true);
    expect(investigation.dataSources.join(' ')).toContain('demo');
  });

  it('drops an invented technique ID, an invented entity and user, and marks findings with an invented IOC', async () => {
    const answer = recordedAnswer42();
    answer.techniques.push({ id: 'T1999.999', evidenceIds: ['fa-3001'] });
    answer.attackVector.techniqueIds.push('T9999');
    answer.assessment.summary += ' The attacker also used 198.51.100.250 and evil-c2.example for command and control.';
    answer.scope.assets.push({
      type: 'host',
      value: 'WS-FAKE-001.contoso.com',
      role: 'compromised',
      evidenceIds: ['fa-3001'],
    });
    answer.scope.users.push({ userPrincipalName: 'ceo@contoso.com', role: 'targeted', evidenceIds: [] });
    answer.containment.push({
      action: 'Isolate the device.',
      targetType: 'host',
      targetValue: 'WS-FAKE-001.contoso.com',
      owner: 'SOC',
      verification: 'Isolated.',
      evidenceIds: ['fa-3001'],
    });
    answer.findings.push({ statement: 'Beaconing to 198.51.100.250 was seen.', evidenceIds: ['fa-3001'] });
    answer.findings.push({ statement: 'The mailbox was accessed.', evidenceIds: ['zz-0000'] });
    const llm = new FakeLlmClient().answer(answer);

    const result = await investigateIncident('42', dependencies(llm));
    const investigation = result.result;
    const shown = JSON.stringify(investigation);

    expect(investigation.techniques.map((technique) => technique.id)).not.toContain('T1999.999');
    expect(investigation.attackVector.techniqueIds).toEqual(['T1566.002']);
    expect(shown).not.toContain('198.51.100.250');
    expect(shown).not.toContain('evil-c2.example');
    expect(investigation.assessment.summary).toContain(removedIndicatorMarker);
    expect(shown).not.toContain('WS-FAKE-001');
    expect(investigation.scope.users.map((user) => user.userPrincipalName)).toEqual(['priya.raman@contoso.com']);
    const beaconing = investigation.findings.find((finding) => finding.statement.startsWith('Beaconing'));
    expect(beaconing?.unverified).toBe(true);
    const noEvidence = investigation.findings.find((finding) => finding.statement === 'The mailbox was accessed.');
    expect(noEvidence).toEqual({ statement: 'The mailbox was accessed.', evidenceIds: [], unverified: true });

    const notes = result.notes.join('\n');
    expect(notes).toContain('T1999.999');
    expect(notes).toContain('198.51.100.250');
    expect(notes).toContain('WS-FAKE-001.contoso.com');
    expect(notes).toContain('ceo@contoso.com');
    expect(notes).toContain('zz-0000');
  });

  it('keeps a related threat the evidence names and drops invented or merely recalled ones', async () => {
    const context = await gatherIncidentContext('43', contextDependencies());
    const answer = recordedAnswer42();
    answer.relatedThreats = [
      { kind: 'software', attackId: 'S0154', name: 'Cobalt Strike', reason: 'The beacon.', evidenceIds: [] },
      { kind: 'group', attackId: 'G9999', name: 'Imaginary Panda', reason: 'Made up.', evidenceIds: [] },
      { kind: 'group', attackId: 'G0016', name: 'APT29', reason: 'Uses similar techniques.', evidenceIds: [] },
    ];
    answer.containment = [];
    answer.scope = { summary: 'x', assets: [], users: [] };
    const llm = new FakeLlmClient().answer(answer);
    const result = await investigateContext(context, dependencies(llm));
    expect(result.result.relatedThreats.map((threat) => threat.attackId)).toEqual(['S0154']);
    expect(result.notes.join('\n')).toMatch(/G9999.*G0016|G0016.*G9999/);
  });

  it('does not let the model talk the incident down', async () => {
    const answer = recordedAnswer42();
    answer.assessment = { ...answer.assessment, verdict: 'benign', severity: 'low', confidence: 'high' };
    const llm = new FakeLlmClient().answer(answer);
    const result = await investigateIncident('42', dependencies(llm));
    expect(result.result.assessment).toMatchObject({ verdict: 'malicious', severity: 'high' });
    expect(result.notes.join('\n')).toMatch(/rated the incident low/);
    expect(result.notes.join('\n')).toMatch(/called the incident benign/);
  });

  it('fences the context as data and keeps the prompt within its budget', async () => {
    const llm = new FakeLlmClient().answer(recordedAnswer42());
    const result = await investigateIncident('43', dependencies(llm), { promptBudgetTokens: 4000 });
    const [system, user] = llm.calls[0].messages;
    expect(system.content).toContain(untrustedDataRule);
    expect(user.content).toMatch(/UNTRUSTED_DATA_BEGIN [0-9a-f]{16} \(incident context/);
    expect(Math.ceil((system.content.length + user.content.length) / 3)).toBeLessThanOrEqual(4000);
    expect(result.notes.join('\n')).toMatch(/left out of the prompt/);
    expect(llm.calls[0].schemaName).toBe('incident_investigation');
  });

  it('answers offline with a note when the LLM fails', async () => {
    const llm = new FakeLlmClient().unavailable();
    const result = await investigateIncident('42', dependencies(llm));
    expect(result.engine.kind).toBe('offline');
    expect(result.notes[0]).toMatch(/offline engine instead/);
    const context = await gatherIncidentContext('42', contextDependencies());
    expect(result.result.assessment).toEqual(investigateOffline(context).assessment);
  });

  it('answers offline when the answer is unusable after grounding', async () => {
    const answer = recordedAnswer42();
    answer.assessment.summary = '   ';
    const llm = new FakeLlmClient().answer(answer);
    const result = await investigateIncident('42', dependencies(llm));
    expect(result.engine.kind).toBe('offline');
  });

  it('lets a bug (not an LLM failure) through', async () => {
    const llm = new FakeLlmClient().fail(new TypeError('bug'));
    await expect(investigateIncident('42', dependencies(llm))).rejects.toBeInstanceOf(TypeError);
    const cancelled = new AbortController();
    cancelled.abort();
    const failing = new FakeLlmClient().fail(new CopilotError('llm_timeout', 'aborted'));
    const context = await gatherIncidentContext('42', contextDependencies());
    await expect(
      investigateContext(context, dependencies(failing), { signal: cancelled.signal }),
    ).rejects.toMatchObject({
      code: 'llm_timeout',
    });
  });

  it('has an answer schema OpenAI strict structured output accepts', () => {
    const format = zodResponseFormat(InvestigationAnswerSchema, 'incident_investigation');
    expect(format.json_schema.strict).toBe(true);
    expect(JSON.stringify(format.json_schema.schema)).not.toMatch(/minLength|maxLength|minItems|maxItems/);
  });
});
