import { z } from 'zod';

/**
 * The few fields of MITRE's STIX objects that technique details are built from. zod drops every other field, so
 * what survives a parse is small; an object of one of these types that does not match is a sign of a wrong file.
 */

const externalReferences = z
  .array(z.object({ source_name: z.string(), external_id: z.string().optional() }))
  .optional()
  .default([]);

const lifecycle = {
  id: z.string(),
  revoked: z.boolean().optional(),
  x_mitre_deprecated: z.boolean().optional(),
  external_references: externalReferences,
};

export const attackPatternSchema = z.object({
  ...lifecycle,
  name: z.string(),
  description: z.string().optional(),
  /** the free-text detection guidance of bundles before ATT&CK v18 */
  x_mitre_detection: z.string().optional(),
  x_mitre_domains: z.array(z.string()).optional(),
});

export const detectionStrategySchema = z.object({
  ...lifecycle,
  name: z.string(),
  x_mitre_analytic_refs: z.array(z.string()).optional().default([]),
});

export const analyticSchema = z.object({
  ...lifecycle,
  description: z.string().optional(),
  x_mitre_platforms: z.array(z.string()).optional().default([]),
  x_mitre_log_source_references: z
    .array(z.object({ x_mitre_data_component_ref: z.string(), name: z.string(), channel: z.string().optional() }))
    .optional()
    .default([]),
});

export const dataComponentSchema = z.object({ ...lifecycle, name: z.string() });

export const courseOfActionSchema = z.object({ ...lifecycle, name: z.string(), description: z.string().optional() });

export const relationshipSchema = z.object({
  id: z.string(),
  relationship_type: z.string(),
  source_ref: z.string(),
  target_ref: z.string(),
  description: z.string().optional(),
  revoked: z.boolean().optional(),
  x_mitre_deprecated: z.boolean().optional(),
});

export type StixAttackPattern = z.infer<typeof attackPatternSchema>;
export type StixDetectionStrategy = z.infer<typeof detectionStrategySchema>;
export type StixAnalytic = z.infer<typeof analyticSchema>;
export type StixDataComponent = z.infer<typeof dataComponentSchema>;
export type StixCourseOfAction = z.infer<typeof courseOfActionSchema>;
export type StixRelationship = z.infer<typeof relationshipSchema>;

export function attackIdOf(stixObject: { external_references: Array<{ source_name: string; external_id?: string }> }) {
  return stixObject.external_references.find((reference) => reference.source_name === 'mitre-attack')?.external_id;
}

export function isLive(stixObject: { revoked?: boolean; x_mitre_deprecated?: boolean }): boolean {
  return stixObject.revoked !== true && stixObject.x_mitre_deprecated !== true;
}

/** "description: Expected string, received number" for the first problem, to name in an error message. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue === undefined ? 'invalid' : `${issue.path.join('.') || 'value'}: ${issue.message}`;
}
