import { z } from 'zod';
import { EntityTypeSchema, SeveritySchema, alertStatuses } from '../../sources/model';
import { techniqueSources } from './techniques';

/**
 * The "analyze alert" result: a deeper, analyst-facing reading of one alert than "explain". String
 * lengths are not schema keywords (OpenAI's strict structured output rejects them); `boundAnalysis`
 * enforces them after validation.
 */

export const verdicts = ['malicious', 'suspicious', 'unknown', 'benign'] as const;
export const falsePositiveLevels = ['low', 'medium', 'high'] as const;

export const AnalyzedTechniqueSchema = z.object({
  id: z.string(),
  name: z.string(),
  tactics: z.array(z.string()),
  /** Where the mapping comes from; "model" marks one only the LLM proposed, not backed by the alert's facts. */
  sources: z.array(z.enum(techniqueSources)),
  evidence: z.array(z.string()),
});

export const EntityAssessmentSchema = z.object({
  type: EntityTypeSchema,
  value: z.string(),
  role: z.string(),
  verdict: z.enum(verdicts),
  reasons: z.array(z.string()),
});

export const RelatedAlertSchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: SeveritySchema,
  status: z.enum(alertStatuses),
  incidentId: z.string().optional(),
  createdAt: z.string(),
  sharedEntities: z.array(z.string()),
  sameIncident: z.boolean(),
});

export const NextStepSchema = z.object({
  action: z.string(),
  target: z.object({ type: EntityTypeSchema, value: z.string() }),
  why: z.string(),
});

export const AlertAnalysisSchema = z.object({
  summary: z.string(),
  techniques: z.array(AnalyzedTechniqueSchema).max(12),
  killChain: z.object({
    /** The furthest ATT&CK tactic the alert shows, or "Unknown". */
    stage: z.string(),
    tactics: z.array(z.string()),
    description: z.string(),
  }),
  entities: z.array(EntityAssessmentSchema).max(15),
  relatedAlerts: z.array(RelatedAlertSchema).max(10),
  severity: z.object({
    vendor: SeveritySchema,
    assessed: SeveritySchema,
    reasons: z.array(z.string()).min(1),
  }),
  falsePositive: z.object({
    likelihood: z.enum(falsePositiveLevels),
    reasons: z.array(z.string()).min(1),
  }),
  nextSteps: z.array(NextStepSchema).min(1).max(8),
  /** Look-ups that failed or timed out, so the analyst knows what the analysis could not see. */
  gaps: z.array(z.string()),
  /** What was consulted (data source, threat intelligence, ATT&CK), for the card footer. */
  sources: z.array(z.string()),
});
export type AlertAnalysis = z.infer<typeof AlertAnalysisSchema>;
export type EntityAssessment = z.infer<typeof EntityAssessmentSchema>;
export type NextStep = z.infer<typeof NextStepSchema>;

/**
 * What the LLM writes. The related alerts, gaps and kill chain come from the deterministic part; the
 * model's techniques, entities and steps are checked against the alert afterwards.
 */
export const AlertAnalysisModelSchema = z.object({
  summary: z
    .string()
    .describe('Threat assessment for a SOC analyst, 2-5 sentences, using only facts from the alert data and context'),
  techniques: z
    .array(
      z.object({
        id: z.string().describe('MITRE ATT&CK technique ID, canonical form, e.g. T1003.001'),
        evidence: z.string().describe('The alert fact that shows this technique, one sentence'),
      }),
    )
    .max(10)
    .describe('ATT&CK techniques the alert shows; prefer IDs from the reference list'),
  entities: z
    .array(
      z.object({
        type: z.string().describe(`Entity type, one of: ${EntityTypeSchema.options.join(', ')}`),
        value: z.string().describe('The entity value copied exactly from the alert data'),
        role: z.string().describe('Its role in the attack, e.g. "compromised device", "attacker infrastructure"'),
        verdict: z.enum(verdicts),
        reason: z.string().describe('Why that verdict, one sentence grounded in the data'),
      }),
    )
    .max(15),
  severity: z.object({
    level: SeveritySchema.describe('Your assessment of the severity (informational, low, medium, high)'),
    reasons: z.array(z.string()).min(1).max(5),
  }),
  falsePositive: z.object({
    likelihood: z.enum(falsePositiveLevels).describe('How likely the alert is a false positive'),
    reasons: z.array(z.string()).min(1).max(5),
  }),
  nextSteps: z
    .array(
      z.object({
        action: z.string().describe('One concrete next step, one sentence'),
        entityType: z.string().describe('Type of the entity the step targets'),
        entityValue: z.string().describe('The entity the step targets, copied exactly from the alert data'),
        why: z.string().describe('Why this step, one sentence'),
      }),
    )
    .min(1)
    .max(8)
    .describe('Ordered next steps, most urgent first, each naming the entity it acts on'),
});
export type AlertAnalysisModelOutput = z.infer<typeof AlertAnalysisModelSchema>;

const limits = { summary: 1500, evidence: 300, reason: 400, role: 120, action: 400, description: 600 };

function bound(text: string, maximum: number): string {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return trimmed.length <= maximum ? trimmed : `${trimmed.slice(0, maximum - 1)}…`;
}

function boundList(items: readonly string[], maximum: number): string[] {
  return items.map((item) => bound(item, maximum)).filter((item) => item !== '');
}

/** Trims every text to its limit and drops empty items; throws when a required text ends up empty. */
export function boundAnalysis(analysis: AlertAnalysis): AlertAnalysis {
  const bounded: AlertAnalysis = {
    ...analysis,
    summary: bound(analysis.summary, limits.summary),
    techniques: analysis.techniques.map((technique) => ({
      ...technique,
      evidence: boundList(technique.evidence, limits.evidence),
    })),
    killChain: { ...analysis.killChain, description: bound(analysis.killChain.description, limits.description) },
    entities: analysis.entities.map((entity) => ({
      ...entity,
      role: bound(entity.role, limits.role) || 'involved',
      reasons: boundList(entity.reasons, limits.reason),
    })),
    severity: { ...analysis.severity, reasons: boundList(analysis.severity.reasons, limits.reason) },
    falsePositive: { ...analysis.falsePositive, reasons: boundList(analysis.falsePositive.reasons, limits.reason) },
    nextSteps: analysis.nextSteps
      .map((step) => ({ ...step, action: bound(step.action, limits.action), why: bound(step.why, limits.reason) }))
      .filter((step) => step.action !== ''),
  };
  if (
    bounded.summary === '' ||
    bounded.severity.reasons.length === 0 ||
    bounded.falsePositive.reasons.length === 0 ||
    bounded.nextSteps.length === 0
  ) {
    throw new Error('analysis has empty required text');
  }
  return AlertAnalysisSchema.parse(bounded);
}
