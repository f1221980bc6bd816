import { zodResponseFormat } from 'openai/helpers/zod';
import { ReportAnswerSchema } from '../../../../src/copilot/report/schema';
import { reportIncident, type ReportAudience } from '../../../../src/copilot/report';
import type { ReportAnswer } from '../../../../src/copilot/report/schema';
import { removedIndicatorMarker } from '../../../../src/copilot/investigate';
import { untrustedDataRule } from '../../../../src/copilot/untrusted';
import { silentLogger } from '../../../../src/logger';
import { FakeLlmClient } from '../../../support/fake-llm';
import { contextDependencies } from '../context/context-support';
import { recordedAnswer42 } from '../investigate/investigate-support';

/** A recorded report answer for incident 42 written for executives. */
function recordedReport(): ReportAnswer {
  return {
    title: 'Phishing led to a takeover of one Finance mailbox',
    executiveSummary:
      'A Finance employee was tricked by a fake payroll e-mail. The attacker then used her mailbox and set up a rule that ' +
      'forwarded supplier invoices to an outside address.',
    decisionsNeeded: ['Ask legal counsel whether suppliers must be warned about possible invoice fraud.'],
    timeline: [
      { time: '2025-05-28T17:00:00Z', description: 'A rule forwarding invoices outside the company was created.' },
      { time: '2025-05-28T14:00:00Z', description: 'The employee opened the fake sign-in page.' },
    ],
    technicalDetails: { summary: 'A fake sign-in page captured the password.', techniqueIds: [] },
    impactAssessment: {
      summary: 'One mailbox was misused; supplier invoices may have been read.',
      dataImpact: 'Invoices were forwarded; what else was read is not established.',
    },
    recommendations: ['Reset the employee password and remove the forwarding rule.'],
    lessonsLearned: ['Payroll-themed phishing reached Finance.'],
  };
}

function run(llm: FakeLlmClient, audience: ReportAudience = 'executive') {
  return reportIncident('42', { ...contextDependencies(), llm, logger: silentLogger() }, { audience });
}

describe('reportIncident with an LLM', () => {
  it('investigates first, then writes the report; usage counts both calls', async () => {
    const llm = new FakeLlmClient()
      .answer(recordedAnswer42(), { usage: { promptTokens: 100, completionTokens: 50, totalTokens: 150 } })
      .answer(recordedReport(), { usage: { promptTokens: 200, completionTokens: 80, totalTokens: 280 } });
    const { report, investigation } = await run(llm);
    expect(llm.calls.map((call) => call.schemaName)).toEqual(['incident_investigation', 'incident_report']);
    expect(investigation.engine.kind).toBe('llm');
    expect(report.engine).toMatchObject({
      kind: 'llm',
      usage: { promptTokens: 300, completionTokens: 130, totalTokens: 430 },
    });
    expect(report.result.title).toBe('Phishing led to a takeover of one Finance mailbox');
    expect(report.result.timeline.map((event) => event.time)).toEqual([
      '2025-05-28T14:00:00.000Z',
      '2025-05-28T17:00:00.000Z',
    ]);
    expect(report.result.basis).toContain('by the language model fake-model');
    expect(report.result.tlp).toBe('AMBER');
    // Actions taken are facts from the data source, never the model's words.
    expect(report.result.responseActionsTaken[0]).toBe('The incident was assigned to jordan.lee@contoso.com.');
    expect(report.notes).toEqual([]);
    const [system, user] = llm.calls[1].messages;
    expect(system.content).toContain(untrustedDataRule);
    expect(system.content).toMatch(/Audience: executives/);
    expect(user.content).toMatch(/UNTRUSTED_DATA_BEGIN [0-9a-f]{16} \(incident investigation/);
  });

  it('rewrites "breach" and "data exfiltrated" when the evidence does not show data leaving, and says so', async () => {
    const answer = recordedReport();
    answer.executiveSummary = 'This data breach means customer data was exfiltrated by the attacker.';
    answer.impactAssessment.dataImpact = 'The attacker exfiltrated data from the mailbox.';
    const llm = new FakeLlmClient().answer(recordedAnswer42()).answer(answer);
    const { report } = await run(llm);
    const shown = JSON.stringify(report.result);
    expect(shown).not.toMatch(/breach|exfiltrat/i);
    expect(report.result.executiveSummary).toContain('security incident');
    expect(report.notes.join('\n')).toMatch(/Rewrote "data breach".*does not show data leaving/);
  });

  it('drops invented technique IDs and indicators', async () => {
    const answer = recordedReport();
    answer.technicalDetails = { summary: 'Beacon to 198.51.100.250 over HTTPS.', techniqueIds: ['T1566.002', 'T4242'] };
    const llm = new FakeLlmClient().answer(recordedAnswer42()).answer(answer);
    const { report } = await run(llm, 'technical');
    expect(report.result.technicalDetails.techniques.map((technique) => technique.id)).toEqual(['T1566.002']);
    expect(report.result.technicalDetails.summary).toContain(removedIndicatorMarker);
    expect(report.notes.join('\n')).toMatch(/T4242/);
    expect(report.notes.join('\n')).toMatch(/198\.51\.100\.250/);
    expect(report.result.technicalDetails.queries.length).toBeGreaterThan(0);
  });

  it('writes the report offline with a note when the LLM fails', async () => {
    const llm = new FakeLlmClient().answer(recordedAnswer42()).rateLimited(30);
    const { report } = await run(llm);
    expect(report.engine.kind).toBe('offline');
    expect(report.notes[0]).toMatch(/offline templates instead/);
    expect(report.result.basis).toContain('fake-model');
  });

  it('has an answer schema OpenAI strict structured output accepts', () => {
    const format = zodResponseFormat(ReportAnswerSchema, 'incident_report');
    expect(format.json_schema.strict).toBe(true);
    expect(JSON.stringify(format.json_schema.schema)).not.toMatch(/minLength|maxLength|minItems|maxItems/);
  });
});
