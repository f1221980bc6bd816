import { z } from 'zod';
import { EntityTypeSchema, SeveritySchema } from '../../sources/model';

/**
 * The "investigate incident" result. Every finding carries the evidence ids behind it: alert ids ("da-1009"),
 * entity ids ("da-1009#2"), user ids ("user:priya.raman@contoso.com") and threat-intelligence ids ("ti:<value>"),
 * as listed in the gathered context. Something the engine could not tie to evidence is marked `unverified`.
 */

export const verdicts = ['malicious', 'suspicious', 'benign', 'undetermined'] as const;
export const confidences = ['low', 'medium', 'high'] as const;
export const threatKinds = ['group', 'software', 'campaign'] as const;

const EvidenceIdsSchema = z.array(z.string()).max(20);

export const InvestigationSchema = z.object({
  assessment: z.object({
    summary: z.string().min(1),
    verdict: z.enum(verdicts),
    confidence: z.enum(confidences),
    severity: SeveritySchema,
    rationale: z.string().min(1),
    evidenceIds: EvidenceIdsSchema,
  }),
  attackVector: z.object({
    description: z.string().min(1),
    techniqueIds: z.array(z.string()).max(6),
    evidenceIds: EvidenceIdsSchema,
  }),
  scope: z.object({
    summary: z.string(),
    assets: z
      .array(
        z.object({
          type: EntityTypeSchema,
          value: z.string().min(1),
          role: z.string(),
          evidenceIds: EvidenceIdsSchema,
        }),
      )
      .max(30),
    users: z
      .array(
        z.object({
          userPrincipalName: z.string().min(1),
          displayName: z.string().optional(),
          department: z.string().optional(),
          riskLevel: z.string().optional(),
          privileged: z.boolean(),
          role: z.string(),
          evidenceIds: EvidenceIdsSchema,
        }),
      )
      .max(20),
  }),
  /** Oldest first. */
  timeline: z
    .array(
      z.object({
        time: z.string().datetime({ offset: true }),
        source: z.string(),
        description: z.string().min(1),
        evidenceIds: EvidenceIdsSchema,
        unverified: z.boolean().default(false),
      }),
    )
    .max(60),
  techniques: z
    .array(z.object({ id: z.string(), name: z.string(), tactics: z.array(z.string()), evidenceIds: EvidenceIdsSchema }))
    .max(20),
  relatedThreats: z
    .array(
      z.object({
        kind: z.enum(threatKinds),
        /** ATT&CK group (G…) or software (S…) ID, only when MITRE lists it. */
        attackId: z.string().optional(),
        name: z.string().min(1),
        reason: z.string(),
        evidenceIds: EvidenceIdsSchema,
      }),
    )
    .max(12),
  /** In the order to carry them out. */
  containment: z
    .array(
      z.object({
        order: z.number().int().positive(),
        action: z.string().min(1),
        target: z.object({ type: EntityTypeSchema, value: z.string().min(1) }),
        owner: z.string(),
        verification: z.string(),
        evidenceIds: EvidenceIdsSchema,
      }),
    )
    .max(15),
  evidenceToPreserve: z
    .array(z.object({ what: z.string().min(1), where: z.string(), why: z.string(), evidenceIds: EvidenceIdsSchema }))
    .max(15),
  findings: z
    .array(
      z.object({
        statement: z.string().min(1),
        evidenceIds: EvidenceIdsSchema,
        unverified: z.boolean().default(false),
      }),
    )
    .max(20),
  /** Sources that failed or were unavailable while gathering (from the context). */
  gaps: z.array(z.string()),
  /** What was consulted, for the card footer. */
  dataSources: z.array(z.string()),
});
export type Investigation = z.infer<typeof InvestigationSchema>;
export type InvestigationFinding = Investigation['findings'][number];
export type ContainmentStep = Investigation['containment'][number];
export type TimelineEvent = Investigation['timeline'][number];

/**
 * What the model fills. Every property required (OpenAI strict structured output has no optional properties);
 * facts the context already holds (names of techniques, user directory data) are added afterwards, not asked for.
 */
const AnswerEvidenceIds = z
  .array(z.string())
  .describe('Evidence ids from the context that support this, e.g. "da-1009", "da-1009#2", "user:…"');

export const InvestigationAnswerSchema = z.object({
  assessment: z.object({
    summary: z.string().describe('3-5 sentences: what happened, to whom, how far it got, using only context facts'),
    verdict: z.enum(verdicts),
    confidence: z.enum(confidences),
    severity: SeveritySchema.describe('informational, low, medium or high, on the Sentinel / Graph scale'),
    rationale: z.string().describe('Why this verdict and severity, 1-3 sentences citing the facts'),
    evidenceIds: AnswerEvidenceIds,
  }),
  attackVector: z.object({
    description: z.string().describe('How the attacker got in or how the activity started, 1-3 sentences'),
    techniqueIds: z.array(z.string()).describe('ATT&CK technique IDs of the initial access, e.g. T1566.002'),
    evidenceIds: AnswerEvidenceIds,
  }),
  scope: z.object({
    summary: z.string().describe('One or two sentences on how far the incident reaches'),
    assets: z
      .array(
        z.object({
          type: z.string().describe('Entity type as in the context (host, ip, url, domain, mailbox, azureResource…)'),
          value: z.string().describe('Copied exactly from the context'),
          role: z.string().describe('Why it is in scope, a few words'),
          evidenceIds: AnswerEvidenceIds,
        }),
      )
      .describe('Affected devices, resources and attacker infrastructure, copied from the context'),
    users: z
      .array(
        z.object({
          userPrincipalName: z.string().describe('Copied exactly from the context'),
          role: z.string().describe('e.g. "phished user", "compromised admin account"'),
          evidenceIds: AnswerEvidenceIds,
        }),
      )
      .describe('Affected user accounts'),
  }),
  timeline: z
    .array(
      z.object({
        time: z.string().describe('ISO 8601 timestamp taken from the context'),
        source: z.string().describe('The product or log the event comes from'),
        description: z.string().describe('What happened at that time, one sentence'),
        evidenceIds: AnswerEvidenceIds,
      }),
    )
    .describe('Key events in time order'),
  techniques: z
    .array(z.object({ id: z.string().describe('ATT&CK technique ID, e.g. T1059.001'), evidenceIds: AnswerEvidenceIds }))
    .describe('ATT&CK techniques the evidence shows'),
  relatedThreats: z
    .array(
      z.object({
        kind: z.enum(threatKinds),
        attackId: z.string().describe('ATT&CK group or software ID (G…/S…) from the reference, or "" when none'),
        name: z.string(),
        reason: z.string().describe('Which evidence links it, one sentence'),
        evidenceIds: AnswerEvidenceIds,
      }),
    )
    .describe('Only threats the context names; never attribute from technique overlap alone'),
  containment: z
    .array(
      z.object({
        action: z.string().describe('One concrete containment action, imperative'),
        targetType: z.string().describe('Entity type of the target'),
        targetValue: z.string().describe('The target, copied exactly from the context'),
        owner: z.string().describe('Who can do it, e.g. "SOC analyst (Defender for Endpoint)", "Identity team"'),
        verification: z.string().describe('How to verify it worked'),
        evidenceIds: AnswerEvidenceIds,
      }),
    )
    .describe('Containment steps, most urgent first'),
  evidenceToPreserve: z
    .array(
      z.object({
        what: z.string(),
        where: z.string().describe('System or log where it lives'),
        why: z.string(),
        evidenceIds: AnswerEvidenceIds,
      }),
    )
    .describe('Evidence to preserve before remediation destroys it'),
  findings: z
    .array(z.object({ statement: z.string().describe('One fact-based finding'), evidenceIds: AnswerEvidenceIds }))
    .describe('The key findings, each backed by evidence ids'),
});
export type InvestigationAnswer = z.infer<typeof InvestigationAnswerSchema>;
