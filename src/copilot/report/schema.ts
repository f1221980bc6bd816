import { z } from 'zod';

/** The "incident report" result: one report for one audience, marked with TLP 2.0. */

export const reportAudiences = ['executive', 'technical', 'regulator'] as const;
export type ReportAudience = (typeof reportAudiences)[number];

/** FIRST TLP 2.0 labels. */
export const tlpMarkings = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type TlpMarking = (typeof tlpMarkings)[number];
export const defaultTlp: TlpMarking = 'AMBER';

export const ReportTechniqueSchema = z.object({ id: z.string(), name: z.string(), tactics: z.array(z.string()) });

export const IncidentReportSchema = z.object({
  title: z.string().min(1),
  audience: z.enum(reportAudiences),
  tlp: z.enum(tlpMarkings),
  /** What the report rests on: the investigation that was run first, with its engine and time. */
  basis: z.string().min(1),
  executiveSummary: z.string().min(1),
  /** Decisions the readers must take (executives, regulators' counterparts); may be empty for technical readers. */
  decisionsNeeded: z.array(z.string()).max(8),
  timeline: z.array(z.object({ time: z.string().datetime({ offset: true }), description: z.string().min(1) })).max(40),
  technicalDetails: z.object({
    summary: z.string(),
    techniques: z.array(ReportTechniqueSchema).max(20),
    /** Indicators from the evidence (raw values: cards and Markdown defang them). */
    indicators: z.array(z.object({ type: z.string(), value: z.string().min(1) })).max(30),
    queries: z
      .array(z.object({ title: z.string(), platform: z.enum(['sentinel', 'defender']), query: z.string().min(1) }))
      .max(8),
  }),
  impactAssessment: z.object({
    summary: z.string().min(1),
    affectedUsers: z.number().int().nonnegative(),
    affectedAssets: z.number().int().nonnegative(),
    dataImpact: z.string().min(1),
  }),
  responseActionsTaken: z.array(z.string()).max(15),
  recommendations: z.array(z.string()).min(1).max(12),
  lessonsLearned: z.array(z.string()).max(10),
  /** Data sources that could not be read while gathering. */
  gaps: z.array(z.string()),
});
export type IncidentReport = z.infer<typeof IncidentReportSchema>;

/**
 * What the model writes; audience, TLP, basis, indicators, queries and the actions already taken (facts from the
 * data source, which a model could embellish) are ours. All properties required (strict mode).
 */
export const ReportAnswerSchema = z.object({
  title: z.string().describe('Report title, under 15 words'),
  executiveSummary: z.string().describe('3-6 sentences for the audience, facts from the investigation only'),
  decisionsNeeded: z
    .array(z.string())
    .describe('Decisions the readers must take, one sentence each (may be empty for technical readers)'),
  timeline: z
    .array(z.object({ time: z.string().describe('ISO 8601 from the investigation'), description: z.string() }))
    .describe('Key events in time order, worded for the audience'),
  technicalDetails: z.object({
    summary: z.string().describe('How the attack worked, at the depth the audience needs'),
    techniqueIds: z.array(z.string()).describe('ATT&CK technique IDs from the investigation (empty for executives)'),
  }),
  impactAssessment: z.object({
    summary: z.string().describe('Business and operational impact, only as far as the evidence shows'),
    dataImpact: z.string().describe('What the evidence says about data; say "not established" when it does not say'),
  }),
  recommendations: z.array(z.string()).describe('Ordered recommendations'),
  lessonsLearned: z.array(z.string()).describe('Lessons for prevention and detection'),
});
export type ReportAnswer = z.infer<typeof ReportAnswerSchema>;
