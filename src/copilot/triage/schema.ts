import { z } from 'zod';
import { SeveritySchema } from '../../sources/model';

/** The factors of the triage score; each ranked item shows the points each one gave and why. */
export const triageFactors = [
  'severity',
  'userRisk',
  'assetRisk',
  'attackStage',
  'correlation',
  'age',
  'status',
] as const;

export const ScoreFactorSchema = z.object({
  factor: z.enum(triageFactors),
  points: z.number(),
  detail: z.string(),
});
export type ScoreFactor = z.infer<typeof ScoreFactorSchema>;

export const RankedItemSchema = z.object({
  kind: z.enum(['alert', 'incident']),
  id: z.string(),
  title: z.string(),
  severity: SeveritySchema,
  status: z.string(),
  /** The alert's incident, or for an incident its open alerts' ids. */
  incidentId: z.string().optional(),
  alertIds: z.array(z.string()),
  createdAt: z.string(),
  score: z.number(),
  /** 1-based, after any re-ordering by the LLM. */
  rank: z.number().int().min(1),
  /** The rank the score alone gives; differs from `rank` only when the LLM moved the item. */
  scoreRank: z.number().int().min(1),
  factors: z.array(ScoreFactorSchema),
  /** One line: why it ranks here (the largest factors, or the LLM's rationale for it). */
  reason: z.string(),
  stage: z.string().optional(),
});
export type RankedItem = z.infer<typeof RankedItemSchema>;

export const TriageSchema = z.object({
  alerts: z.array(RankedItemSchema),
  incidents: z.array(RankedItemSchema),
  /** An overall rationale from the LLM, or a one-line description of the ranking. */
  rationale: z.string(),
  considered: z.object({ openAlerts: z.number().int(), openIncidents: z.number().int() }),
  filter: z.object({ minimumSeverity: SeveritySchema.optional(), top: z.number().int() }),
  gaps: z.array(z.string()),
});
export type Triage = z.infer<typeof TriageSchema>;

/** What the LLM may write: an order and a rationale. Scores and facts stay deterministic. */
export const TriageModelSchema = z.object({
  order: z
    .array(z.string())
    .describe('Alert ids in the order an analyst should look at them, most urgent first; only ids from the list'),
  rationale: z.string().describe('Two or three sentences: what to look at first and why, using only the given facts'),
  notes: z
    .array(
      z.object({
        id: z.string(),
        note: z.string().describe('One short sentence on why this alert ranks where it does'),
      }),
    )
    .max(20),
});
export type TriageModelOutput = z.infer<typeof TriageModelSchema>;
