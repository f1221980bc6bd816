import { CopilotError, isCopilotError } from '../../errors';
import type { TokenUsage } from '../../llm/port';
import { gatherIncidentContext, type IncidentContext, type IncidentInput } from '../context';
import { groundTechniques, groundValues } from '../grounding';
import {
  investigateContext,
  type InvestigateDependencies,
  type InvestigateOptions,
  type Investigation,
} from '../investigate';
import { GroundingLedger, groundingIndex } from '../investigate/ground';
import { sortTimeline } from '../investigate/offline';
import type { CapabilityResult, EngineInfo } from '../result';
import { reportOffline } from './offline';
import { buildReportMessages } from './prompt';
import {
  IncidentReportSchema,
  ReportAnswerSchema,
  defaultTlp,
  type IncidentReport,
  type ReportAnswer,
  type ReportAudience,
  type TlpMarking,
} from './schema';
import { WordingCheck, hasExfiltrationEvidence } from './wording';

export {
  IncidentReportSchema,
  defaultTlp,
  reportAudiences,
  tlpMarkings,
  type IncidentReport,
  type ReportAudience,
  type TlpMarking,
} from './schema';
export { reportMarkdown } from './markdown';
export { hasExfiltrationEvidence, WordingCheck } from './wording';

export interface ReportOptions extends InvestigateOptions {
  audience: ReportAudience;
  tlp?: TlpMarking;
}

/** A report result and the investigation it rests on (the card and the CLI may show both). */
export interface ReportOutcome {
  report: CapabilityResult<IncidentReport>;
  investigation: CapabilityResult<Investigation>;
}

const defaultPromptBudget = 10_000;

/**
 * Writes an incident report for an audience. It gathers the incident's context, runs the investigation first
 * (the report says so and which engine did it), then writes the report with the LLM (checked afterwards) or
 * the offline templates. Wording that implies data left the organisation is rewritten unless the evidence
 * shows it.
 */
export async function reportIncident(
  input: IncidentInput,
  dependencies: InvestigateDependencies,
  options: ReportOptions,
): Promise<ReportOutcome> {
  const context = await gatherIncidentContext(input, dependencies, options);
  const investigation = await investigateContext(context, dependencies, options);
  const report = await reportFromInvestigation(context, investigation, dependencies, options);
  return { report, investigation };
}

export async function reportFromInvestigation(
  context: IncidentContext,
  investigation: CapabilityResult<Investigation>,
  dependencies: InvestigateDependencies,
  options: ReportOptions,
): Promise<CapabilityResult<IncidentReport>> {
  const clock = dependencies.clock ?? (() => new Date());
  const started = Date.now();
  const tlp = options.tlp ?? defaultTlp;
  const exfiltrationShown = hasExfiltrationEvidence(context);
  const basis = basisLine(context, investigation);
  const notes: string[] = [];
  const finish = (report: IncidentReport, engine: EngineInfo, extraNotes: string[]) => {
    const wording = new WordingCheck(exfiltrationShown);
    const checked = IncidentReportSchema.parse(applyWording(report, wording));
    const wordingNote = wording.note();
    return {
      capability: 'reportIncident',
      result: checked,
      engine,
      notes: [...extraNotes, ...(wordingNote ? [wordingNote] : [])],
      subject: { incidentId: context.incident.id },
      generatedAt: clock().toISOString(),
    };
  };
  const offlineInputs = {
    context,
    investigation: investigation.result,
    audience: options.audience,
    tlp,
    basis,
    exfiltrationShown,
  };

  if (dependencies.llm) {
    const llm = dependencies.llm;
    try {
      const prompt = buildReportMessages(
        context,
        investigation.result,
        options.audience,
        options.promptBudgetTokens ?? defaultPromptBudget,
      );
      const response = await llm.generateStructured({
        schemaName: 'incident_report',
        schema: ReportAnswerSchema,
        messages: prompt.messages,
        temperature: 0.3,
        maxOutputTokens: 3000,
        signal: options.signal,
      });
      const llmNotes: string[] = [];
      const report = groundReport(response.value, reportOffline(offlineInputs), context, dependencies, llmNotes);
      const usage: TokenUsage = addUsage(
        response.usage,
        investigation.engine.kind === 'llm' ? investigation.engine.usage : undefined,
      );
      return finish(
        report,
        { kind: 'llm', provider: llm.provider, model: response.model, usage, durationMs: Date.now() - started },
        llmNotes,
      );
    } catch (error) {
      if (!isCopilotError(error) || !error.code.startsWith('llm_') || options.signal?.aborted) throw error;
      dependencies.logger.warn(
        { code: error.code, incidentId: context.incident.id },
        'LLM failed; writing the report offline',
      );
      notes.push(`${error.userMessage} This report comes from the offline templates instead.`);
    }
  }
  return finish(reportOffline(offlineInputs), { kind: 'offline', durationMs: Date.now() - started }, notes);
}

function basisLine(context: IncidentContext, investigation: CapabilityResult<Investigation>): string {
  const engine =
    investigation.engine.kind === 'llm'
      ? `the language model ${investigation.engine.model}`
      : 'the offline engine (no LLM)';
  return (
    `Based on an investigation of incident ${context.incident.id} run first for this report by ${engine} at ` +
    `${investigation.generatedAt}, over ${context.alerts.length} alert(s) and the context gathered from ${context.sources.length} source(s)` +
    `${investigation.result.gaps.length > 0 ? `; ${investigation.result.gaps.length} source(s) could not be read` : ''}.`
  );
}

function addUsage(left: TokenUsage, right: TokenUsage | undefined): TokenUsage {
  if (right === undefined) return left;
  return {
    promptTokens: left.promptTokens + right.promptTokens,
    completionTokens: left.completionTokens + right.completionTokens,
    totalTokens: left.totalTokens + right.totalTokens,
  };
}

/** The model's report checked against the context; the facts only we hold (indicators, queries) come from offline. */
function groundReport(
  answer: ReportAnswer,
  offline: IncidentReport,
  context: IncidentContext,
  dependencies: InvestigateDependencies,
  notes: string[],
): IncidentReport {
  const index = groundingIndex(context);
  const ledger = new GroundingLedger();
  const free = (text: string) => ledger.redact(text.trim(), index).text;
  const list = (items: string[], maximum: number) =>
    items
      .map(free)
      .filter((item) => item !== '')
      .slice(0, maximum);
  const techniques = groundTechniques(
    answer.technicalDetails.techniqueIds.map((id) => ({ id, name: '', tactics: [] })),
    dependencies.attack,
  );
  for (const id of techniques.dropped) ledger.techniques.add(id);
  const timeline = sortTimeline(
    answer.timeline.flatMap((event) => {
      const time = new Date(event.time);
      return Number.isNaN(time.getTime()) ? [] : [{ time: time.toISOString(), description: free(event.description) }];
    }),
  ).filter((event) => event.description !== '');
  const indicators = groundValues(offline.technicalDetails.indicators, index.haystack).kept;
  const report: IncidentReport = {
    ...offline,
    title: free(answer.title) || offline.title,
    executiveSummary: free(answer.executiveSummary),
    decisionsNeeded: list(answer.decisionsNeeded, 8),
    timeline: timeline.length > 0 ? timeline.slice(0, 40) : offline.timeline,
    technicalDetails: {
      summary: free(answer.technicalDetails.summary),
      techniques: offline.audience === 'executive' ? [] : techniques.kept,
      indicators: offline.audience === 'executive' ? [] : indicators,
      queries: offline.technicalDetails.queries,
    },
    impactAssessment: {
      ...offline.impactAssessment,
      summary: free(answer.impactAssessment.summary),
      dataImpact: free(answer.impactAssessment.dataImpact) || offline.impactAssessment.dataImpact,
    },
    recommendations: list(answer.recommendations, 12),
    lessonsLearned: list(answer.lessonsLearned, 10),
  };
  if (report.executiveSummary === '' || report.impactAssessment.summary === '' || report.recommendations.length === 0) {
    throw new CopilotError('llm_invalid_output', 'the report had empty required sections');
  }
  notes.push(...ledger.notes());
  return report;
}

/** Every free text of the report through the wording check. */
function applyWording(report: IncidentReport, wording: WordingCheck): IncidentReport {
  const apply = (text: string) => wording.apply(text);
  return {
    ...report,
    title: apply(report.title),
    executiveSummary: apply(report.executiveSummary),
    decisionsNeeded: report.decisionsNeeded.map(apply),
    timeline: report.timeline.map((event) => ({ ...event, description: apply(event.description) })),
    technicalDetails: { ...report.technicalDetails, summary: apply(report.technicalDetails.summary) },
    impactAssessment: {
      ...report.impactAssessment,
      summary: apply(report.impactAssessment.summary),
      dataImpact: apply(report.impactAssessment.dataImpact),
    },
    responseActionsTaken: report.responseActionsTaken.map(apply),
    recommendations: report.recommendations.map(apply),
    lessonsLearned: report.lessonsLearned.map(apply),
  };
}
