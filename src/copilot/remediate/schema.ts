import { z } from 'zod';
import { EntityTypeSchema } from '../../sources/model';

/** Response phases in the order they are done: stop the spread, remove the foothold, get back to normal, prevent. */
export const responsePhases = ['contain', 'eradicate', 'recover', 'harden'] as const;
export const stepOrigins = ['rules', 'model'] as const;

export const MitigationRefSchema = z.object({ id: z.string(), name: z.string() });

export const RemediationStepSchema = z.object({
  /** 1-based order in which to do the steps. */
  order: z.number().int().min(1),
  phase: z.enum(responsePhases),
  /** A stable key for the kind of action, e.g. "isolateDevice", "revokeSessions". */
  kind: z.string(),
  action: z.string(),
  target: z.object({ type: EntityTypeSchema, value: z.string() }),
  why: z.string(),
  /** The role that can do it, e.g. "Defender for Endpoint: Security Operator". */
  who: z.string(),
  where: z.array(z.object({ tool: z.enum(['portal', 'powershell', 'graph', 'api', 'cli']), how: z.string() })).min(1),
  verify: z.string(),
  risk: z.string(),
  mitigations: z.array(MitigationRefSchema),
  origin: z.enum(stepOrigins),
});
export type RemediationStep = z.infer<typeof RemediationStepSchema>;

export const RemediationSchema = z.object({
  subject: z.object({ kind: z.enum(['alert', 'incident']), id: z.string(), title: z.string() }),
  summary: z.string(),
  steps: z.array(RemediationStepSchema).min(1).max(20),
  /** ATT&CK mitigations (M-ids) for the techniques seen, for the hardening that follows. */
  mitigations: z.array(MitigationRefSchema.extend({ techniques: z.array(z.string()) })),
  /** The alerts the guidance covers. */
  alertIds: z.array(z.string()),
  gaps: z.array(z.string()),
});
export type Remediation = z.infer<typeof RemediationSchema>;

/** What the LLM may add: a summary, notes on the rule-based steps, and a few extra entity-specific steps. */
export const RemediationModelSchema = z.object({
  summary: z.string().describe('Two or three sentences: the response priorities for this alert or incident'),
  stepNotes: z
    .array(z.object({ order: z.number().int(), note: z.string().describe('Why this step matters here, one sentence') }))
    .max(20),
  additionalSteps: z
    .array(
      z.object({
        action: z.string().describe('One concrete response step, one sentence'),
        entityType: z.string(),
        entityValue: z.string().describe('The entity the step acts on, copied exactly from the alert data'),
        why: z.string(),
        who: z.string().describe('The role that can do it, e.g. "Entra ID: User Administrator"'),
        where: z.string().describe('Where to do it: the portal page, PowerShell cmdlet or Graph call'),
        verify: z.string().describe('How to check that it worked'),
        risk: z.string().describe('Side effects and risks'),
      }),
    )
    .max(3)
    .describe('Steps the rule-based list misses, if any; each must act on an entity of the alerts'),
});
export type RemediationModelOutput = z.infer<typeof RemediationModelSchema>;
