import { z } from 'zod';
import { AlertStatusSchema } from './model';
import type { Alert, AlertStatus, HuntingResult, Incident, Severity, UserContext } from './model';

export interface AlertQuery {
  /** Only alerts updated (or created) at or after this instant. */
  since?: Date;
  minimumSeverity?: Severity;
  status?: AlertStatus;
  /** Only alerts that carry at least one entity with one of these values (case-insensitive). */
  entityValues?: string[];
  limit?: number;
}

export interface IncidentQuery {
  since?: Date;
  minimumSeverity?: Severity;
  limit?: number;
}

export interface HuntingQueryOptions {
  platform: 'sentinel' | 'defender';
  /** Look-back for queries that carry no time bound of their own. */
  timespan?: string;
  maxRows?: number;
  signal?: AbortSignal;
}

/** The triage fields an analyst can change from Teams; the same ones Graph's PATCH /security/alerts_v2 accepts. */
export const AlertUpdateSchema = z
  .object({
    status: AlertStatusSchema.exclude(['unknown']).optional(),
    assignedTo: z.string().trim().max(256).optional(),
    classification: z.string().trim().max(64).optional(),
    determination: z.string().trim().max(64).optional(),
  })
  .strict();
export type AlertUpdate = z.infer<typeof AlertUpdateSchema>;

/**
 * The triage fields of an incident. Values follow Graph (status active/inProgress/resolved; classification
 * truePositive, falsePositive, informationalExpectedActivity; Graph's determination values); the Sentinel
 * adapter translates them to its own lifecycle (New/Active/Closed, TruePositive…). An empty string clears.
 */
export const IncidentUpdateSchema = z
  .object({
    status: z.enum(['active', 'inProgress', 'resolved']).optional(),
    assignedTo: z.string().trim().max(256).optional(),
    classification: z.string().trim().max(64).optional(),
    determination: z.string().trim().max(64).optional(),
    tags: z.array(z.string().trim().min(1).max(128)).max(50).optional(),
  })
  .strict();
export type IncidentUpdate = z.infer<typeof IncidentUpdateSchema>;

/** A comment analysts leave from Teams; the services cap comments (Graph and Sentinel at a few thousand characters). */
export const CommentSchema = z.string().trim().min(1).max(3000);

/** What a probe found, for /readyz and metrics. */
export interface SourceHealth {
  /** The API behind the source, e.g. "Microsoft Graph". */
  api: string;
  /** The circuit breaker's state: `open` while the API keeps failing. */
  circuit: 'closed' | 'open' | 'half-open';
}

/**
 * The security data port. Adapters: `demo` (embedded), later `graph` (Graph Security) and
 * `sentinel` (Log Analytics). Adapters translate vendor failures into CopilotError and validate
 * every response; callers only see normalized types. A missing item is `undefined`, not an error.
 */
export interface SecurityDataSource {
  readonly name: string;
  listAlerts(query?: AlertQuery): Promise<Alert[]>;
  getAlert(id: string): Promise<Alert | undefined>;
  listIncidents(query?: IncidentQuery): Promise<Incident[]>;
  getIncident(id: string): Promise<Incident | undefined>;
  getUserContext(userPrincipalName: string): Promise<UserContext | undefined>;
  runHuntingQuery(query: string, options: HuntingQueryOptions): Promise<HuntingResult>;

  // Write-back: optional, a source that cannot change an item simply lacks the method (Sentinel alerts are
  // read-only; the demo keeps changes in memory). A missing item is `undefined` / `false`.
  updateAlert?(id: string, update: AlertUpdate): Promise<Alert | undefined>;
  addAlertComment?(id: string, comment: string): Promise<boolean>;
  updateIncident?(id: string, update: IncidentUpdate): Promise<Incident | undefined>;
  addIncidentComment?(id: string, comment: string): Promise<boolean>;

  /** One cheap call that proves the credentials and the API work; rejects with a CopilotError when not. */
  probe?(signal?: AbortSignal): Promise<void>;
  /** The state of each API's circuit breaker, for /readyz and metrics. */
  health?(): SourceHealth[];
}
