import { z } from 'zod';

/**
 * The "explain alert" result: written for a non-technical reader. Field descriptions become the JSON
 * schema the LLM fills, so they say what each field must hold.
 */
export const riskLevels = ['low', 'moderate', 'high', 'critical'] as const;

export const ExplainedTechniqueSchema = z.object({
  id: z.string().describe('MITRE ATT&CK technique ID in canonical form, e.g. T1059.001'),
  name: z.string().describe('The technique name as MITRE ATT&CK spells it'),
  tactics: z.array(z.string()).describe('ATT&CK tactics of the technique, e.g. "Execution"'),
});

export const AlertExplanationSchema = z.object({
  headline: z.string().min(1).max(200).describe('One sentence, plain language: what this alert is about'),
  whatHappened: z
    .string()
    .min(1)
    .max(1500)
    .describe('What happened, in plain language for a non-technical reader, using only facts from the alert'),
  whyItMatters: z.string().min(1).max(1200).describe('Why it matters to the organisation, without jargon'),
  immediateRisk: z.object({
    level: z.enum(riskLevels).describe('How urgent the risk is right now'),
    rationale: z.string().min(1).max(600).describe('Why that level, grounded in the alert facts'),
  }),
  recommendedActions: z
    .array(z.string().min(1).max(400))
    .min(1)
    .max(6)
    .describe('Ordered, concrete next steps a SOC analyst should take now'),
  techniques: z
    .array(ExplainedTechniqueSchema)
    .max(8)
    .describe('ATT&CK techniques the alert shows; only IDs supported by the alert facts'),
  keyEntities: z
    .array(z.object({ type: z.string(), value: z.string() }))
    .max(12)
    .describe('The affected users, devices, files, addresses from the alert, most important first'),
});
export type AlertExplanation = z.infer<typeof AlertExplanationSchema>;
