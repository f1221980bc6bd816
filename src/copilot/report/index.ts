import { CopilotError } from '../../errors';
import { z } from 'zod';
import type { Finding } from '../../findings/findings';
import { HUNT_FINDING, QUERY_RUN_FINDING } from '../../findings/hunts';
import type { TokenUsage } from '../../llm/port';
import { gatherIncidentContext, type IncidentContext, type IncidentInput } from '../context';
import { groundTechniques, groundValues } from '../grounding';
import {
  investigateContext,
  type InvestigateDependencies,
  type InvestigateOptions,
  type Investigation,
} from '../investigate';
import { InvestigationSchema } from '../investigate/schema';
import { GroundingLedger, groundingIndex } from '../investigate/ground';
import { sortTimeline } from '../investigate/offline';
import { answerWithFallback, type CapabilityResult, type EngineInfo } from '../result';
import { reportOffline } from './offline';
import type { ReportQuery } from './queries';
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
export { reportHtml } from './html';
export { hasExfiltrationEvidence, WordingCheck } from './wording';

export interface ReportOptions extends InvestigateOptions {
  audience: ReportAudience;
  tlp?: TlpMarking;
  /**
   * The incident's stored findings (src/findings), newest first. The newest stored investigation is the report's
   * basis (the investigation runs first only when there is none); triage actions become "response actions taken"
   * with their authors, and analysts' hunts and query runs lead the technical report's queries.
   */
  findings?: readonly Finding[];
}

/** Where the report's investigation came from: a stored finding, or run for this report. */
export interface ReportBasis {
  storedInvestigation?: { by?: string; at: string };
  findingsUsed: number;
  responseActions: string[];
  /** The queries of stored hunts and query runs, newest first (technical reports list them first). */
  huntQueries?: ReportQuery[];
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
  const findings = (options.findings ?? []).filter(
    (finding) => finding.incidentId === undefined || finding.incidentId === context.incident.id,
  );
  const stored = storedInvestigation(findings, context.incident.id);
  const investigation = stored?.investigation ?? (await investigateContext(context, dependencies, options));
  // Callers that pass no findings (the CLI) get the report as before: the investigation runs first.
  const basis: ReportBasis | undefined =
    options.findings === undefined
      ? undefined
      : {
          storedInvestigation: stored ? { by: stored.finding.by.name, at: stored.finding.at } : undefined,
          findingsUsed: findings.length,
          responseActions: responseActionsFrom(findings),
          huntQueries: huntQueriesFrom(findings),
        };
  const report = await reportFromInvestigation(context, investigation, dependencies, options, basis);
  return { report, investigation };
}

/** The newest stored investigation of the incident whose result is still a valid Investigation. */
function storedInvestigation(
  findings: readonly Finding[],
  incidentId: string,
): { finding: Finding; investigation: CapabilityResult<Investigation> } | undefined {
  for (const finding of findings) {
    if (finding.capability !== 'investigateIncident' || finding.result === undefined) continue;
    const parsed = InvestigationSchema.safeParse(finding.result);
    if (!parsed.success) continue;
    const engine: EngineInfo =
      finding.engine.kind === 'llm'
        ? {
            kind: 'llm',
            provider: finding.engine.provider ?? 'unknown',
            model: finding.engine.model ?? 'unknown',
            usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
            durationMs: 0,
          }
        : { kind: 'offline', durationMs: 0 };
    return {
      finding,
      investigation: {
        capability: 'investigateIncident',
        result: parsed.data,
        engine,
        notes: [],
        subject: { incidentId },
        generatedAt: finding.at,
      },
    };
  }
  return undefined;
}

/** Triage actions analysts took (acknowledged, assigned, closed), oldest first, with who and when. */
function responseActionsFrom(findings: readonly Finding[]): string[] {
  return findings
    .filter((finding) => finding.capability === 'triage')
    .slice()
    .reverse()
    .map((finding) => `${finding.summary} — by ${finding.by.name ?? 'an analyst'} at ${finding.at}`);
}

const StoredHuntSchema = z.object({
  query: z.string().min(1),
  platform: z.enum(['sentinel', 'defender']),
  rowCount: z.number().int().nonnegative().optional(),
  truncated: z.boolean().optional(),
});

/** At most this many analysts' hunts in a report, so the follow-up queries keep some of the 8 places. */
const maximumHuntQueries = 4;

/** The queries analysts hunted with on this incident (stored hunt and query-run findings), newest first, once each. */
function huntQueriesFrom(findings: readonly Finding[]): ReportQuery[] {
  const queries: ReportQuery[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    if (finding.capability !== HUNT_FINDING && finding.capability !== QUERY_RUN_FINDING) continue;
    const parsed = StoredHuntSchema.safeParse(finding.result);
    if (!parsed.success || seen.has(parsed.data.query.trim())) continue;
    seen.add(parsed.data.query.trim());
    const who = finding.by.name ?? 'an analyst';
    const when = `${finding.at.slice(0, 16).replace('T', ' ')} UTC`;
    const { rowCount, truncated } = parsed.data;
    const title =
      finding.capability === QUERY_RUN_FINDING
        ? `Hunt run by ${who} at ${when}${rowCount === undefined ? '' : `: ${rowCount}${truncated ? '+' : ''} row(s)`}`
        : `Hunting query by ${who} at ${when}`;
    queries.push({ title, platform: parsed.data.platform, query: parsed.data.query });
    if (queries.length >= maximumHuntQueries) break;
  }
  return queries;
}

/** Analysts' hunts first, then the follow-up queries that are not the same query, within the report's 8. */
function withHuntQueries(report: IncidentReport, huntQueries: readonly ReportQuery[] | undefined): IncidentReport {
  if (report.audience !== 'technical' || huntQueries === undefined || huntQueries.length === 0) return report;
  const hunted = new Set(huntQueries.map((query) => query.query.trim()));
  const queries = [
    ...huntQueries,
    ...report.technicalDetails.queries.filter((query) => !hunted.has(query.query.trim())),
  ].slice(0, 8);
  return { ...report, technicalDetails: { ...report.technicalDetails, queries } };
}

export async function reportFromInvestigation(
  context: IncidentContext,
  investigation: CapabilityResult<Investigation>,
  dependencies: InvestigateDependencies,
  options: ReportOptions,
  from?: ReportBasis,
): Promise<CapabilityResult<IncidentReport>> {
  const started = Date.now();
  const tlp = options.tlp ?? defaultTlp;
  const exfiltrationShown = hasExfiltrationEvidence(context);
  const basis = basisLine(context, investigation, from);
  const notes: string[] = [];
  if (from !== undefined && from.storedInvestigation === undefined) {
    notes.push(
      from.findingsUsed === 0
        ? 'No findings were stored for this incident, so the investigation was run first for this report.'
        : 'No stored investigation of this incident was found, so the investigation was run first for this report.',
    );
  }
  /** The report as the analyst gets it: response actions and hunts added, wording checked. */
  const finish = (answer: CapabilityResult<IncidentReport>): CapabilityResult<IncidentReport> => {
    const report = answer.result;
    const wording = new WordingCheck(exfiltrationShown);
    const withActions = from?.responseActions.length
      ? { ...report, responseActionsTaken: [...from.responseActions, ...report.responseActionsTaken].slice(0, 15) }
      : report;
    const checked = IncidentReportSchema.parse(applyWording(withHuntQueries(withActions, from?.huntQueries), wording));
    const wordingNote = wording.note();
    return { ...answer, result: checked, notes: [...answer.notes, ...(wordingNote ? [wordingNote] : [])] };
  };
  const offlineInputs = {
    context,
    investigation: investigation.result,
    audience: options.audience,
    tlp,
    basis,
    exfiltrationShown,
  };

  const answer = await answerWithFallback(
    {
      capability: 'reportIncident',
      subject: { incidentId: context.incident.id },
      started,
      fallbackLog: 'LLM failed; writing the report offline',
      logFields: { incidentId: context.incident.id },
      fallbackNote: 'This report comes from the offline templates instead.',
      notes,
      online: async (llm) => {
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
        return { result: report, notes: llmNotes, model: response.model, usage };
      },
      offline: () => reportOffline(offlineInputs),
    },
    dependencies,
    options.signal,
  );
  return finish(answer);
}

function basisLine(
  context: IncidentContext,
  investigation: CapabilityResult<Investigation>,
  from?: ReportBasis,
): string {
  const engine =
    investigation.engine.kind === 'llm'
      ? `the language model ${investigation.engine.model}`
      : 'the offline engine (no LLM)';
  const stored = from?.storedInvestigation;
  if (stored !== undefined) {
    return (
      `Based on the stored findings of incident ${context.incident.id} (${from?.findingsUsed ?? 1} finding(s)): ` +
      `its investigation by ${engine} at ${stored.at}, requested by ${stored.by ?? 'an analyst'}, ` +
      `over ${context.alerts.length} alert(s) and the context gathered from ${context.sources.length} source(s).`
    );
  }
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
