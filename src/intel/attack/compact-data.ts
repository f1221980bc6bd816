import { z } from 'zod';
import type * as BundledData from './bundled-data';

const attackIdList = z.array(z.string());

const tacticSchema = z.object({
  id: z.string().regex(/^TA\d{4}$/),
  name: z.string(),
  order: z.number().int().positive(),
  shortname: z.string(),
});

const techniqueSchema = z.object({
  id: z.string().regex(/^T\d{4}(\.\d{3})?$/),
  name: z.string(),
  tactics: z.array(z.string()),
  platforms: z.array(z.string()),
  isSubtechnique: z.boolean(),
  parent: z.string().optional(),
  deprecated: z.boolean(),
  revoked: z.boolean(),
  revokedBy: z.string().optional(),
  dataComponents: attackIdList,
});

const groupSchema = z.object({
  id: z.string().regex(/^G\d{4}$/),
  name: z.string(),
  aliases: z.array(z.string()),
  techniques: attackIdList,
  software: attackIdList,
  deprecated: z.boolean(),
  revoked: z.boolean(),
  revokedBy: z.string().optional(),
});

const softwareSchema = z.object({
  id: z.string().regex(/^S\d{4}$/),
  name: z.string(),
  type: z.enum(['malware', 'tool']),
  aliases: z.array(z.string()),
  platforms: z.array(z.string()),
  techniques: attackIdList,
  deprecated: z.boolean(),
  revoked: z.boolean(),
  revokedBy: z.string().optional(),
});

const dataComponentSchema = z.object({
  id: z.string().regex(/^DC\d{4}$/),
  name: z.string(),
  logSources: z.array(z.string()),
  dataSource: z.string().optional(),
});

export const compactAttackSchema = z.object({
  attackVersion: z.string(),
  copyright: z.string(),
  /** MITRE's licence text, which must travel with every copy of the table */
  license: z.string().min(1),
  domain: z.string(),
  tactics: z.array(tacticSchema).min(1),
  techniques: z.array(techniqueSchema).min(1),
  groups: z.array(groupSchema),
  software: z.array(softwareSchema),
  dataComponents: z.array(dataComponentSchema),
});

export type CompactAttack = z.infer<typeof compactAttackSchema>;
export type CompactTactic = z.infer<typeof tacticSchema>;
export type CompactTechnique = z.infer<typeof techniqueSchema>;
export type CompactGroup = z.infer<typeof groupSchema>;
export type CompactSoftware = z.infer<typeof softwareSchema>;
export type CompactDataComponent = z.infer<typeof dataComponentSchema>;

/** Reads and validates the generated table (src/intel/attack/data/attack-compact.json). */
export function loadBundledCompactAttack(): CompactAttack {
  // Required on first use rather than imported: the table is half a megabyte and many processes never need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
  const { bundledCompactAttack } = require('./bundled-data') as typeof BundledData;
  return compactAttackSchema.parse(bundledCompactAttack);
}
