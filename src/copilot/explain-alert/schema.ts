import { z } from 'zod';

/**
 * The "explain alert" result: written for a non-technical reader. Field descriptions become the JSON
 * schema the LLM fills, so they say what each field must hold. String lengths are not schema keywords
 * (OpenAI's strict structured output rejects minLength/maxLength): the descriptions ask for brevity and
 * `boundExplanation` enforces the limits after validation.
 */
export const riskLevels = ['low', 'moderate', 'high', 'critical'] as const;

export const ExplainedTechniqueSchema = z.object({
  id: z.string().describe('MITRE ATT&CK technique ID in canonical form, e.g. T1059.001'),
  name: z.string().describe('The technique name as MITRE ATT&CK spells it'),
  tactics: z.array(z.string()).describe('ATT&CK tactics of the technique, e.g. "Execution"'),
});

export const AlertExplanationSchema = z.object({
  headline: z.string().describe('One sentence (under 25 words), plain language: what this alert is about'),
  whatHappened: z
    .string()
    .describe('What happened, 2-5 plain sentences for a non-technical reader, using only facts from the alert'),
  whyItMatters: z.string().describe('Why it matters to the organisation, 1-3 sentences, without jargon'),
  immediateRisk: z.object({
    level: z.enum(riskLevels).describe('How urgent the risk is right now'),
    rationale: z.string().describe('Why that level, one or two sentences grounded in the alert facts'),
  }),
  recommendedActions: z
    .array(z.string())
    .min(1)
    .max(6)
    .describe('1-6 ordered, concrete next steps a SOC analyst should take now, one sentence each'),
  techniques: z
    .array(ExplainedTechniqueSchema)
    .max(8)
    .describe('ATT&CK techniques the alert shows; only IDs supported by the alert facts or the reference'),
  keyEntities: z
    .array(z.object({ type: z.string(), value: z.string() }))
    .max(12)
    .describe('The affected users, devices, files, addresses copied exactly from the alert, most important first'),
});
export type AlertExplanation = z.infer<typeof AlertExplanationSchema>;

const limits = { headline: 200, whatHappened: 1500, whyItMatters: 1200, rationale: 600, action: 400 };

function bound(text: string, maximum: number): string {
  const trimmed = text.trim();
  return trimmed.length <= maximum ? trimmed : `${trimmed.slice(0, maximum - 1)}…`;
}

/** Trims every text to its limit and drops empty actions; throws if a required text is empty. */
export function boundExplanation(explanation: AlertExplanation): AlertExplanation {
  const bounded: AlertExplanation = {
    ...explanation,
    headline: bound(explanation.headline, limits.headline),
    whatHappened: bound(explanation.whatHappened, limits.whatHappened),
    whyItMatters: bound(explanation.whyItMatters, limits.whyItMatters),
    immediateRisk: {
      level: explanation.immediateRisk.level,
      rationale: bound(explanation.immediateRisk.rationale, limits.rationale),
    },
    recommendedActions: explanation.recommendedActions
      .map((action) => bound(action, limits.action))
      .filter((action) => action.length > 0),
  };
  const empty = (['headline', 'whatHappened', 'whyItMatters'] as const).filter((field) => bounded[field] === '');
  if (empty.length > 0 || bounded.immediateRisk.rationale === '' || bounded.recommendedActions.length === 0) {
    throw new Error(`explanation has empty required text: ${[...empty].join(', ') || 'rationale or actions'}`);
  }
  return bounded;
}
