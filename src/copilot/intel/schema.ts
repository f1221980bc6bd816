import { z } from 'zod';

/**
 * The "analyze threat intel" result. Indicator values are stored refanged (as the extractor normalised them);
 * cards defang them. Everything a provider said is data from the provider, kept beside our own verdict.
 */
export const intelIndicatorTypes = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256'] as const;
export const verdicts = ['unknown', 'harmless', 'suspicious', 'malicious'] as const;
export const indicatorActions = ['block', 'watch', 'ignore'] as const;
export const confidenceLevels = ['low', 'medium', 'high'] as const;

/**
 * Where an indicator sits: an address's range (from the IOC classifier), a reserved or internal name, a
 * well-known service, or simply public (worth a lookup). Hashes are "file".
 */
export const indicatorClassifications = [
  'public',
  'private',
  'loopback',
  'linkLocal',
  'cgnat',
  'documentation',
  'multicast',
  'reserved',
  'unspecified',
  'reservedName',
  'knownBenign',
  'file',
] as const;

const ProviderVerdictSchema = z.object({
  provider: z.string(),
  verdict: z.enum(verdicts),
  score: z.string().optional(),
  detail: z.string(),
  /** The provider's own page for the indicator; data only, shown as a link only when links.ts allows it. */
  reference: z.string().optional(),
  cached: z.boolean(),
  checkedAt: z.string(),
});

export const AnalyzedIndicatorSchema = z.object({
  type: z.enum(intelIndicatorTypes),
  value: z.string().min(1),
  classification: z.enum(indicatorClassifications),
  classificationNote: z.string(),
  verdict: z.enum(verdicts),
  verdictSummary: z.string(),
  providers: z.array(ProviderVerdictSchema),
  failures: z.array(z.object({ provider: z.string(), kind: z.string(), message: z.string() })),
  notLookedUp: z.string().optional(),
  /** Provider-reported tags, malware families and groups, as the providers wrote them (not ATT&CK-checked). */
  tags: z.array(z.string()),
  malwareFamilies: z.array(z.string()),
  groups: z.array(z.string()),
});
export type AnalyzedIndicator = z.infer<typeof AnalyzedIndicatorSchema>;

export const IntelTechniqueSchema = z.object({
  id: z.string(),
  name: z.string(),
  tactics: z.array(z.string()),
  reason: z.string(),
});
export type IntelTechnique = z.infer<typeof IntelTechniqueSchema>;

/** A threat actor or software known to ATT&CK, and why it is associated: never one the data does not name. */
export const IntelAssociationSchema = z.object({
  kind: z.enum(['group', 'software']),
  id: z.string().regex(/^[GS]\d{4}$/),
  name: z.string(),
  aliases: z.array(z.string()),
  softwareType: z.enum(['malware', 'tool']).optional(),
  evidence: z.string(),
});
export type IntelAssociation = z.infer<typeof IntelAssociationSchema>;

export const IntelHuntSchema = z.object({
  kind: z.enum(['template', 'indicator']),
  title: z.string(),
  /** One line: "Hunt for …". */
  suggestion: z.string(),
  /** The request that reproduces the hunt in chat ("hunt for kerberoasting"), or the indicator to sweep for. */
  request: z.string(),
  templateId: z.string().optional(),
  indicator: z.object({ type: z.enum(intelIndicatorTypes), value: z.string() }).optional(),
  techniques: z.array(z.string()),
});
export type IntelHunt = z.infer<typeof IntelHuntSchema>;

export const IntelActionSchema = z.object({
  type: z.enum(intelIndicatorTypes),
  indicator: z.string(),
  action: z.enum(indicatorActions),
  reason: z.string(),
});
export type IntelAction = z.infer<typeof IntelActionSchema>;

export const ThreatIntelAnalysisSchema = z.object({
  indicators: z.array(AnalyzedIndicatorSchema),
  /** Indicators over the per-analysis limit, not looked up. */
  omittedIndicators: z.number().int().min(0),
  /** E-mail addresses and CVE IDs in the text: context, not looked up. */
  otherObservables: z.array(z.object({ type: z.enum(['email', 'cve']), value: z.string() })),
  techniques: z.array(IntelTechniqueSchema),
  associations: z.array(IntelAssociationSchema),
  hunts: z.array(IntelHuntSchema),
  assessment: z.object({
    overallVerdict: z.enum(verdicts),
    summary: z.string().min(1),
    confidence: z.enum(confidenceLevels),
    rationale: z.string(),
  }),
  actions: z.array(IntelActionSchema),
  /** Threat-intelligence providers that were configured (display names). */
  providers: z.array(z.string()),
});
export type ThreatIntelAnalysis = z.infer<typeof ThreatIntelAnalysisSchema>;

/**
 * What the LLM fills: the assessment and the actions only. The facts (indicators, verdicts, techniques,
 * associations) are ours; the model writes judgement on top of them, and its output is checked against them.
 * No length keywords (OpenAI strict mode rejects them); the capability trims afterwards.
 */
export const IntelAssessmentAnswerSchema = z.object({
  summary: z
    .string()
    .describe('2-5 sentences: what these indicators and the text suggest, using only the facts given to you'),
  confidence: z.enum(confidenceLevels).describe('How well the provider verdicts and the text support the summary'),
  rationale: z.string().describe('One or two sentences: why that confidence'),
  actions: z
    .array(
      z.object({
        indicator: z.string().describe('An indicator copied exactly from the extracted indicator list'),
        action: z.enum(indicatorActions),
        reason: z.string().describe('One sentence grounded in the verdicts and classification'),
      }),
    )
    .max(25)
    .describe('One recommendation per extracted indicator: block, watch or ignore'),
  techniques: z
    .array(z.object({ id: z.string().describe('ATT&CK technique ID, e.g. T1566.001'), name: z.string() }))
    .max(8)
    .describe('ATT&CK techniques the text shows; only IDs from the reference or written in the text'),
});
export type IntelAssessmentAnswer = z.infer<typeof IntelAssessmentAnswerSchema>;

export function boundText(value: string, maximum: number): string {
  const trimmed = value.trim();
  return trimmed.length <= maximum ? trimmed : `${trimmed.slice(0, maximum - 1)}…`;
}
