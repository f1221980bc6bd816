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
}
