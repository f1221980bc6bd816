import { CopilotError } from '../../errors';
import type { Alert, HuntingResult, Incident, UserContext } from '../model';
import { entityHasValue } from '../normalize/entities';
import { severityAtLeast } from '../normalize/severity-status';
import { AlertUpdateSchema, CommentSchema, IncidentUpdateSchema } from '../port';
import type {
  AlertQuery,
  AlertUpdate,
  HuntingQueryOptions,
  IncidentQuery,
  IncidentUpdate,
  SecurityDataSource,
} from '../port';
import { buildDemoDataSet } from './data-set';
import type { DemoDataSet } from './data-set';
import { runDemoHuntingQuery } from './hunting';

// The update schemas live with the port; re-exported here, where they were first defined.
export { AlertUpdateSchema, type AlertUpdate } from '../port';

/** A data source whose alerts can be triaged (status, owner, classification) from the bot. */
export interface AlertTriageWriter {
  updateAlert(id: string, update: AlertUpdate): Promise<Alert | undefined>;
}

export interface DemoSecurityDataSourceOptions {
  /** "Now" for the demo stories; tests pass a fixed clock so every run sees the same data. */
  clock?: () => Date;
  /**
   * Dev mode's live feed: a new alert (a variation of a story alert, dated now) appears every this many
   * milliseconds after construction, so the alert poller has something to post. Off unless set.
   */
  liveAlertIntervalMs?: number;
}

/**
 * The `demo` security data source: a fictional Contoso tenant with eight incidents told as attack stories,
 * built relative to the clock at construction. Each instance owns its copy, so triage changes made through
 * `updateAlert` stay within that instance. Results are copies: callers cannot change the data set by accident.
 */
export class DemoSecurityDataSource implements SecurityDataSource, AlertTriageWriter {
  readonly name = 'demo';
  private readonly clock: () => Date;
  private readonly dataSet: DemoDataSet;
  /** Comments left through the bot, by alert or incident id; kept in memory like every demo change. */
  private readonly comments = new Map<string, string[]>();

  constructor(clockOrOptions: (() => Date) | DemoSecurityDataSourceOptions = {}) {
    this.clock = typeof clockOrOptions === 'function' ? clockOrOptions : (clockOrOptions.clock ?? (() => new Date()));
    this.dataSet = buildDemoDataSet(this.clock());
    if (typeof clockOrOptions !== 'function' && clockOrOptions.liveAlertIntervalMs) {
      this.enableLiveAlerts(clockOrOptions.liveAlertIntervalMs);
    }
  }

  private live: { startedAt: number; intervalMs: number; produced: number } | undefined;

  /** Turns on the live feed (see `liveAlertIntervalMs`); the first alert appears one interval from now. */
  enableLiveAlerts(intervalMs: number): void {
    this.live = { startedAt: this.clock().getTime(), intervalMs: Math.max(1000, intervalMs), produced: 0 };
  }

  /** Adds the live alerts due by now: copies of story alerts with a fresh id, times and status. */
  private produceLiveAlerts(): void {
    if (!this.live) return;
    const due = Math.floor((this.clock().getTime() - this.live.startedAt) / this.live.intervalMs);
    const templates = this.dataSet.alerts.filter((alert) => !alert.id.startsWith('live-'));
    while (this.live.produced < due && templates.length > 0) {
      this.live.produced += 1;
      const template = templates[(this.live.produced * 7) % templates.length];
      const at = new Date(this.live.startedAt + this.live.produced * this.live.intervalMs).toISOString();
      this.dataSet.alerts.push({
        ...structuredClone(template),
        id: `live-${String(this.live.produced).padStart(4, '0')}-${template.id}`,
        status: 'new',
        assignedTo: undefined,
        classification: undefined,
        determination: undefined,
        createdAt: at,
        firstActivityAt: at,
        lastActivityAt: at,
        lastUpdatedAt: at,
      });
    }
  }

  async listAlerts(query: AlertQuery = {}): Promise<Alert[]> {
    this.produceLiveAlerts();
    const wantedValues = query.entityValues?.map((value) => value.trim()).filter((value) => value !== '');
    const matching = this.dataSet.alerts.filter(
      (alert) =>
        isSince(alert.lastUpdatedAt ?? alert.createdAt, query.since) &&
        (query.minimumSeverity === undefined || severityAtLeast(alert.severity, query.minimumSeverity)) &&
        (query.status === undefined || alert.status === query.status) &&
        (wantedValues === undefined ||
          alert.entities.some((entity) => wantedValues.some((value) => entityHasValue(entity, value)))),
    );
    return newestFirst(matching, query.limit).map((alert) => structuredClone(alert));
  }

  /** Ids are matched without regard to case or surrounding spaces, because analysts type them into chat. */
  async getAlert(id: string): Promise<Alert | undefined> {
    const alert = this.findAlert(id);
    return alert === undefined ? undefined : structuredClone(alert);
  }

  async listIncidents(query: IncidentQuery = {}): Promise<Incident[]> {
    const matching = this.dataSet.incidents.filter(
      (incident) =>
        isSince(incident.lastUpdatedAt ?? incident.createdAt, query.since) &&
        (query.minimumSeverity === undefined || severityAtLeast(incident.severity, query.minimumSeverity)),
    );
    return newestFirst(matching, query.limit).map((incident) => structuredClone(incident));
  }

  /** Accepts "42" and "#42", the way incident numbers are written in chat. */
  async getIncident(id: string): Promise<Incident | undefined> {
    const incident = this.findIncident(id);
    return incident === undefined ? undefined : structuredClone(incident);
  }

  async getUserContext(userPrincipalName: string): Promise<UserContext | undefined> {
    const wanted = userPrincipalName.trim().toLowerCase();
    const user = this.dataSet.users.find((candidate) => candidate.userPrincipalName.toLowerCase() === wanted);
    return user === undefined ? undefined : structuredClone(user);
  }

  async runHuntingQuery(query: string, options: HuntingQueryOptions): Promise<HuntingResult> {
    return runDemoHuntingQuery(query, options, this.dataSet, this.clock());
  }

  async updateAlert(id: string, update: AlertUpdate): Promise<Alert | undefined> {
    const parsed = AlertUpdateSchema.safeParse(update);
    if (!parsed.success) {
      throw new CopilotError('bad_input', `Invalid alert update: ${parsed.error.issues[0]?.message ?? 'unknown'}`, {
        userMessage: 'That alert update is not valid. Status must be new, inProgress or resolved.',
      });
    }
    const alert = this.findAlert(id);
    if (alert === undefined) return undefined;
    const updatedAt = this.clock().toISOString();
    const { status, assignedTo, classification, determination } = parsed.data;
    // An empty string clears a field: that is how a card's "Unassign" button sends it.
    if (status !== undefined) alert.status = status;
    if (assignedTo !== undefined) alert.assignedTo = assignedTo === '' ? undefined : assignedTo;
    if (classification !== undefined) alert.classification = classification === '' ? undefined : classification;
    if (determination !== undefined) alert.determination = determination === '' ? undefined : determination;
    alert.lastUpdatedAt = updatedAt;
    const incident = this.dataSet.incidents.find((candidate) => candidate.id === alert.incidentId);
    if (incident !== undefined) incident.lastUpdatedAt = updatedAt;
    return structuredClone(alert);
  }

  async addAlertComment(id: string, comment: string): Promise<boolean> {
    const alert = this.findAlert(id);
    if (alert === undefined) return false;
    this.remember(`alert:${alert.id}`, comment);
    return true;
  }

  async updateIncident(id: string, update: IncidentUpdate): Promise<Incident | undefined> {
    const parsed = IncidentUpdateSchema.safeParse(update);
    if (!parsed.success) {
      throw new CopilotError('bad_input', `Invalid incident update: ${parsed.error.issues[0]?.message ?? 'unknown'}`, {
        userMessage: 'That incident update is not valid. Status must be active, inProgress or resolved.',
      });
    }
    const incident = this.findIncident(id);
    if (incident === undefined) return undefined;
    const { status, assignedTo, classification, determination, tags } = parsed.data;
    if (status !== undefined) incident.status = status;
    if (assignedTo !== undefined) incident.assignedTo = assignedTo === '' ? undefined : assignedTo;
    if (classification !== undefined) incident.classification = classification === '' ? undefined : classification;
    if (determination !== undefined) incident.determination = determination === '' ? undefined : determination;
    if (tags !== undefined) incident.tags = [...tags];
    incident.lastUpdatedAt = this.clock().toISOString();
    return structuredClone(incident);
  }

  async addIncidentComment(id: string, comment: string): Promise<boolean> {
    const incident = this.findIncident(id);
    if (incident === undefined) return false;
    this.remember(`incident:${incident.id}`, comment);
    return true;
  }

  /** The comments left on an alert or incident through this instance, oldest first. */
  commentsOn(kind: 'alert' | 'incident', id: string): string[] {
    const item = kind === 'alert' ? this.findAlert(id) : this.findIncident(id);
    return item === undefined ? [] : [...(this.comments.get(`${kind}:${item.id}`) ?? [])];
  }

  private remember(key: string, comment: string): void {
    const parsed = CommentSchema.safeParse(comment);
    if (!parsed.success) {
      throw new CopilotError('bad_input', 'Invalid comment', {
        userMessage: 'A comment must have between 1 and 3000 characters.',
      });
    }
    this.comments.set(key, [...(this.comments.get(key) ?? []), parsed.data]);
  }

  private findIncident(id: string): Incident | undefined {
    const wanted = id.trim().replace(/^#/, '');
    return this.dataSet.incidents.find((candidate) => candidate.id === wanted);
  }

  private findAlert(id: string): Alert | undefined {
    const wanted = id.trim().toLowerCase();
    return this.dataSet.alerts.find((candidate) => candidate.id.toLowerCase() === wanted);
  }
}

function isSince(timestamp: string, since: Date | undefined): boolean {
  return since === undefined || Date.parse(timestamp) >= since.getTime();
}

/** Newest first by creation time; ties (alerts raised together) keep a stable order by id. */
function newestFirst<T extends { createdAt: string; id: string }>(items: T[], limit: number | undefined): T[] {
  const sorted = [...items].sort(
    (left, right) => Date.parse(right.createdAt) - Date.parse(left.createdAt) || left.id.localeCompare(right.id),
  );
  return limit === undefined ? sorted : sorted.slice(0, Math.max(0, limit));
}
