import type { Alert, HuntingResult, Incident, UserContext } from './model';
import type {
  AlertQuery,
  AlertUpdate,
  HuntingQueryOptions,
  IncidentQuery,
  IncidentUpdate,
  SecurityDataSource,
  SourceHealth,
} from './port';

/**
 * Several configured sources behind one port (SECURITY_SOURCE=graph,sentinel): the first answers alerts,
 * incidents, users and write-back; hunting goes where the platform lives — Defender advanced hunting to
 * Graph, Sentinel (Log Analytics) queries to Sentinel — falling back to the first source.
 */
export class CompositeSecurityDataSource implements SecurityDataSource {
  readonly name: string;
  readonly updateAlert?: (id: string, update: AlertUpdate) => Promise<Alert | undefined>;
  readonly addAlertComment?: (id: string, comment: string) => Promise<boolean>;
  readonly updateIncident?: (id: string, update: IncidentUpdate) => Promise<Incident | undefined>;
  readonly addIncidentComment?: (id: string, comment: string) => Promise<boolean>;

  constructor(readonly sources: SecurityDataSource[]) {
    if (sources.length === 0) throw new RangeError('at least one source');
    this.name = sources.map((source) => source.name).join('+');
    const primary = sources[0];
    // Bound so `if (source.updateAlert)` keeps telling callers whether write-back exists.
    this.updateAlert = primary.updateAlert?.bind(primary);
    this.addAlertComment = primary.addAlertComment?.bind(primary);
    this.updateIncident = primary.updateIncident?.bind(primary);
    this.addIncidentComment = primary.addIncidentComment?.bind(primary);
  }

  private get primary(): SecurityDataSource {
    return this.sources[0];
  }

  listAlerts(query?: AlertQuery): Promise<Alert[]> {
    return this.primary.listAlerts(query);
  }

  getAlert(id: string): Promise<Alert | undefined> {
    return this.primary.getAlert(id);
  }

  listIncidents(query?: IncidentQuery): Promise<Incident[]> {
    return this.primary.listIncidents(query);
  }

  getIncident(id: string): Promise<Incident | undefined> {
    return this.primary.getIncident(id);
  }

  getUserContext(userPrincipalName: string): Promise<UserContext | undefined> {
    return this.primary.getUserContext(userPrincipalName);
  }

  runHuntingQuery(query: string, options: HuntingQueryOptions): Promise<HuntingResult> {
    return this.huntingSourceFor(options.platform).runHuntingQuery(query, options);
  }

  /** The source that runs hunting queries for a platform. */
  huntingSourceFor(platform: HuntingQueryOptions['platform']): SecurityDataSource {
    const wanted = platform === 'defender' ? 'graph' : 'sentinel';
    return this.sources.find((source) => source.name === wanted) ?? this.primary;
  }

  async probe(signal?: AbortSignal): Promise<void> {
    for (const source of this.sources) await source.probe?.(signal);
  }

  health(): SourceHealth[] {
    return this.sources.flatMap((source) => source.health?.() ?? []);
  }
}
