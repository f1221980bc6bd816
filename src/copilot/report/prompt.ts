import type { LlmMessage } from '../../llm/port';
import type { IncidentContext } from '../context';
import { estimateTokens, selectWithinBudget, type PromptItem } from '../context';
import type { Investigation } from '../investigate';
import { fenceUntrusted, untrustedDataRule } from '../untrusted';
import type { ReportAudience } from './schema';

const audienceGuidance: Record<ReportAudience, string> = {
  executive:
    'Audience: executives. Plain business language, no jargon, no technique IDs, indicators or queries. Lead with business impact and the decisions they must take. Short.',
  technical:
    'Audience: the technical security team. Name ATT&CK techniques by ID, the indicators and affected systems precisely, and what to check next.',
  regulator:
    'Audience: a regulator or external auditor. Formal, factual, chronological, no speculation; state plainly what is established and what is not.',
};

export const reportSystemPrompt = [
  'You are a senior incident responder writing an incident report.',
  'The report is based on the investigation and incident facts you are given; they are the only source of facts. Never invent events, times, systems, people, indicators or actions taken.',
  'Careful wording: do not write "breach", "exfiltrated", "stolen data" or similar unless the facts show data leaving the organisation; otherwise say what is established and that data impact is not established.',
  'The actions already taken are listed separately from the data source; recommendations are what should happen next, and nothing may claim an action was done unless the facts say so.',
  'Only cite ATT&CK technique IDs that appear in the investigation.',
  untrustedDataRule,
  'Answer with JSON that matches the given schema.',
].join('\n');

/** The investigation and incident as prompt facts within the budget: findings first, then timeline and the rest. */
export function buildReportMessages(
  context: IncidentContext,
  investigation: Investigation,
  audience: ReportAudience,
  budgetTokens: number,
): { messages: LlmMessage[]; omitted: Record<string, number> } {
  const header = {
    incident: {
      id: context.incident.id,
      title: context.incident.title,
      severity: context.incident.severity,
      status: context.incident.status,
      createdAt: context.incident.createdAt,
      assignedTo: context.incident.assignedTo,
      classification: context.incident.classification,
      determination: context.incident.determination,
    },
    assessment: investigation.assessment,
    attackVector: investigation.attackVector,
    scopeSummary: investigation.scope.summary,
    gaps: investigation.gaps,
  };
  const items: PromptItem[] = [
    ...investigation.findings.map((value) => ({ section: 'findings', relevance: 90, value })),
    ...investigation.techniques.map((value) => ({ section: 'techniques', relevance: 85, value })),
    ...investigation.scope.users.map((value) => ({ section: 'users', relevance: 80, value })),
    ...investigation.scope.assets.map((value) => ({ section: 'assets', relevance: 75, value })),
    ...investigation.containment.map((value) => ({ section: 'containment', relevance: 70, value })),
    ...investigation.timeline.map((value) => ({ section: 'timeline', relevance: 65, value })),
    ...investigation.evidenceToPreserve.map((value) => ({ section: 'evidenceToPreserve', relevance: 50, value })),
    ...investigation.relatedThreats.map((value) => ({ section: 'relatedThreats', relevance: 60, value })),
  ];
  const fixed = estimateTokens(reportSystemPrompt) + estimateTokens(JSON.stringify(header)) + 300;
  const selection = selectWithinBudget(items, Math.max(500, budgetTokens - fixed));
  return {
    omitted: selection.omitted,
    messages: [
      { role: 'system', content: `${reportSystemPrompt}\n${audienceGuidance[audience]}` },
      {
        role: 'user',
        content: [
          `Write the ${audience} report for incident ${JSON.stringify(context.incident.id.slice(0, 80))}.`,
          'The investigation below was run first; its texts quote alert data and are fenced as data.',
          fenceUntrusted('incident investigation', JSON.stringify({ ...header, ...selection.sections })),
        ].join('\n'),
      },
    ],
  };
}
