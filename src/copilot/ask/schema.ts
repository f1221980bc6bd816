import { z } from 'zod';

/** A technique as a concept answer shows it: ATT&CK's facts, plus the bundle's prose when configured. */
export const ConceptTechniqueSchema = z.object({
  id: z.string().regex(/^T\d{4}(\.\d{3})?$/),
  name: z.string(),
  tactics: z.array(z.string()),
  platforms: z.array(z.string()),
  /** How the question reached it: its ID, its name, or the keyword rules. */
  matchedBy: z.enum(['id', 'name', 'keywords']),
  description: z.string().optional(),
  detection: z.array(z.string()),
  mitigations: z.array(z.object({ id: z.string(), name: z.string() })),
  dataSources: z.array(z.string()),
});
export type ConceptTechnique = z.infer<typeof ConceptTechniqueSchema>;

export const ConceptActorSchema = z.object({
  kind: z.enum(['group', 'software']),
  id: z.string().regex(/^[GS]\d{4}$/),
  name: z.string(),
  aliases: z.array(z.string()),
  techniqueCount: z.number().int().min(0),
});
export type ConceptActor = z.infer<typeof ConceptActorSchema>;

export const ConceptTacticSchema = z.object({
  id: z.string().regex(/^TA\d{4}$/),
  name: z.string(),
  /** Position in the Enterprise matrix, 1 = Reconnaissance. */
  order: z.number().int().positive(),
  techniqueCount: z.number().int().min(0),
  /** Some of its (top-level, active) techniques, by ID. */
  techniques: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type ConceptTactic = z.infer<typeof ConceptTacticSchema>;

export const ConceptPointSchema = z.object({
  text: z.string().min(1),
  /** "attack": stated by ATT&CK for the cited techniques; "general": not from ATT&CK (the model's own knowledge). */
  source: z.enum(['attack', 'general']),
  techniqueIds: z.array(z.string()),
});
export type ConceptPoint = z.infer<typeof ConceptPointSchema>;

export const ConceptAnswerSchema = z.object({
  question: z.string(),
  /** What the question is about, as we read it ("kerberoasting", "pass-the-hash vs pass-the-ticket"). */
  subject: z.string(),
  kind: z.enum(['technique', 'comparison', 'actor', 'tactic', 'concept']),
  /** True when at least part of the answer comes from ATT&CK. */
  grounded: z.boolean(),
  answer: z.string().min(1),
  points: z.array(ConceptPointSchema),
  techniques: z.array(ConceptTechniqueSchema),
  actors: z.array(ConceptActorSchema),
  tactics: z.array(ConceptTacticSchema),
  /** When nothing matched: the techniques whose names come closest, for the analyst to ask about instead. */
  closestTechniques: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Technique IDs in the question that ATT&CK does not have. */
  unknownIds: z.array(z.string()),
  attackVersion: z.string(),
});
export type ConceptAnswer = z.infer<typeof ConceptAnswerSchema>;

/** What the LLM fills. No length keywords (OpenAI strict mode); the capability trims afterwards. */
export const ConceptLlmAnswerSchema = z.object({
  answer: z.string().describe('The answer for a SOC analyst, 2-6 sentences, plain and precise'),
  points: z
    .array(
      z.object({
        text: z.string().describe('One key point, one or two sentences'),
        fromAttack: z
          .boolean()
          .describe(
            'true only when the point is stated by the ATT&CK reference you were given; false for general knowledge',
          ),
        techniqueIds: z
          .array(z.string())
          .describe('ATT&CK technique IDs from the reference that support the point; empty for general knowledge'),
      }),
    )
    .max(8)
    .describe('Up to 8 key points, each saying whether it comes from the ATT&CK reference'),
});
export type ConceptLlmAnswer = z.infer<typeof ConceptLlmAnswerSchema>;
