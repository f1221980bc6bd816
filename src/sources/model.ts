import { z } from 'zod';

/**
 * Our own alert / incident / user types. Every input shape (Graph Security alerts_v2, Sentinel
 * SecurityAlert rows, Defender for Endpoint API alerts, the demo data) is normalized into these once,
 * by pure mappers in `src/sources/normalize`. Everything above the ports works on these types only.
 */

export const severities = ['informational', 'low', 'medium', 'high'] as const;
export const SeveritySchema = z.enum(severities);
export type Severity = z.infer<typeof SeveritySchema>;

export const alertStatuses = ['new', 'inProgress', 'resolved', 'unknown'] as const;
export const AlertStatusSchema = z.enum(alertStatuses);
export type AlertStatus = z.infer<typeof AlertStatusSchema>;

export const entityTypes = [
  'account',
  'host',
  'ip',
  'url',
  'domain',
  'file',
  'process',
  'mailbox',
  'mailMessage',
  'registryKey',
  'registryValue',
  'cloudApplication',
  'azureResource',
  'other',
] as const;
export const EntityTypeSchema = z.enum(entityTypes);
export type EntityType = z.infer<typeof EntityTypeSchema>;

/**
 * One piece of evidence. `value` is the identifying string (UPN, host name, IP, URL, file name,
 * command line for a process…). `properties` keeps the few extra facts we use (hashes, paths, parent
 * process, aadUserId, verdict…) as strings. Every field is attacker-influenced data.
 */
export const EntitySchema = z.object({
  type: EntityTypeSchema,
  value: z.string(),
  properties: z.record(z.string()).default({}),
  /** e.g. "compromised", "attacker", "victim", "related" when the source says so. */
  roles: z.array(z.string()).default([]),
});
export type Entity = z.infer<typeof EntitySchema>;

export const sourceFormats = ['graph', 'sentinel', 'defender', 'demo'] as const;

export const AlertSchema = z.object({
  id: z.string().min(1),
  /** The shape the alert came in: what its ids and links mean. */
  sourceFormat: z.enum(sourceFormats),
  title: z.string(),
  description: z.string().default(''),
  severity: SeveritySchema,
  status: AlertStatusSchema,
  /** Category as the product names it, e.g. "Execution", "CredentialAccess", "SuspiciousActivity". */
  category: z.string().optional(),
  /** The product that raised it, e.g. "Microsoft Defender for Endpoint", "Microsoft Sentinel". */
  productName: z.string(),
  /** Graph's serviceSource when known, e.g. "microsoftDefenderForEndpoint". */
  serviceSource: z.string().optional(),
  detectionSource: z.string().optional(),
  createdAt: z.string().datetime({ offset: true }),
  firstActivityAt: z.string().datetime({ offset: true }).optional(),
  lastActivityAt: z.string().datetime({ offset: true }).optional(),
  lastUpdatedAt: z.string().datetime({ offset: true }).optional(),
  incidentId: z.string().optional(),
  /** ATT&CK technique IDs the source itself attached (canonical form, e.g. T1059.001). */
  techniques: z.array(z.string()).default([]),
  /** Tactics the source attached, as the source spells them. */
  tactics: z.array(z.string()).default([]),
  entities: z.array(EntitySchema).default([]),
  recommendedActions: z.string().optional(),
  /** A link into the vendor's portal, only ever rendered when it is an https URL on a Microsoft portal host. */
  portalUrl: z.string().optional(),
  assignedTo: z.string().optional(),
  classification: z.string().optional(),
  determination: z.string().optional(),
  tenantId: z.string().optional(),
  alertType: z.string().optional(),
});
export type Alert = z.infer<typeof AlertSchema>;

export const incidentStatuses = ['active', 'inProgress', 'resolved', 'redirected', 'unknown'] as const;

export const IncidentSchema = z.object({
  id: z.string().min(1),
  sourceFormat: z.enum(sourceFormats),
  title: z.string(),
  description: z.string().default(''),
  severity: SeveritySchema,
  status: z.enum(incidentStatuses),
  createdAt: z.string().datetime({ offset: true }),
  lastUpdatedAt: z.string().datetime({ offset: true }).optional(),
  alertIds: z.array(z.string()).default([]),
  assignedTo: z.string().optional(),
  classification: z.string().optional(),
  determination: z.string().optional(),
  tags: z.array(z.string()).default([]),
  portalUrl: z.string().optional(),
});
export type Incident = z.infer<typeof IncidentSchema>;

export const SignInSchema = z.object({
  time: z.string().datetime({ offset: true }),
  ipAddress: z.string().optional(),
  location: z.string().optional(),
  application: z.string().optional(),
  succeeded: z.boolean(),
  failureReason: z.string().optional(),
});
export type SignIn = z.infer<typeof SignInSchema>;

export const UserContextSchema = z.object({
  userPrincipalName: z.string(),
  displayName: z.string().optional(),
  department: z.string().optional(),
  jobTitle: z.string().optional(),
  manager: z.string().optional(),
  /** Entra ID Protection risk level: none, low, medium, high. */
  riskLevel: z.enum(['none', 'low', 'medium', 'high', 'unknown']).default('unknown'),
  isPrivileged: z.boolean().default(false),
  recentSignIns: z.array(SignInSchema).default([]),
});
export type UserContext = z.infer<typeof UserContextSchema>;

export interface HuntingResult {
  columns: Array<{ name: string; type: string }>;
  rows: Array<Record<string, unknown>>;
  /** True when the source returned more rows than the cap and we cut them. */
  truncated: boolean;
}
