import { z } from 'zod';
import type { JsonHttpClient } from '../../http';
import type { Logger } from '../../logger';
import type { Alert, HuntingResult, Incident, Severity, UserContext } from '../model';
import { severities } from '../model';
import { entityHasValue } from '../normalize/entities';
import { mapGraphAlert, mapGraphIncident } from '../normalize/graph';
import { AlertUpdateSchema, CommentSchema, IncidentUpdateSchema } from '../port';
import type {
  AlertQuery,
  AlertUpdate,
  HuntingQueryOptions,
  IncidentQuery,
  IncidentUpdate,
  SecurityDataSource,
  SourceHealth,
} from '../port';
import { parseOrBadInput } from '../http/validation';
import { runGraphHuntingQuery } from './hunting';
import { graphUserContext } from './user-context';

/**
 * The `graph` security data source: Microsoft Graph Security v1.0 (https://learn.microsoft.com/graph/api/resources/security-api-overview)
 * — alerts_v2, incidents (with their alerts expanded), users with Entra ID Protection risk and recent sign-ins,
 * advanced hunting, and triage write-back (status, owner, classification, comments) on alerts and incidents.
 * Payloads are mapped by the pure normalizers in `src/sources/normalize/graph.ts`.
 */

export const GRAPH_BASE_URL = 'https://graph.microsoft.com';

export interface GraphSourceOptions {
  http: JsonHttpClient;
  logger?: Logger;
  /** Pages followed through `@odata.nextLink` per list call; a busy tenant has thousands of alerts. */
  maxPages?: number;
  /** The look-back of a list call that gives no `since`. */
  defaultLookbackDays?: number;
  clock?: () => Date;
}

/** Items keep everything the mapper reads; the schema only insists on what identifies them. */
const GraphItemSchema = z.object({ id: z.string().min(1) }).passthrough();
const GraphPageSchema = z.object({
  value: z.array(GraphItemSchema),
  '@odata.nextLink': z.string().optional(),
});

/** Any answer (even an empty one) means the write was accepted; a 404 comes back as undefined. */
const Accepted = z.unknown().transform(() => true as const);

/** Graph's $top ceilings: alerts_v2 serves up to 2000 per page, incidents up to 50. */
const ALERT_PAGE_SIZE = 2000;
const INCIDENT_PAGE_SIZE = 50;
/** Alerts with their evidence run to tens of kilobytes each: an entity search reads modest pages. */
const ENTITY_SEARCH_PAGE_SIZE = 500;
const DEFAULT_LIMIT = 50;

export class GraphSecurityDataSource implements SecurityDataSource {
  readonly name = 'graph';
  private readonly http: JsonHttpClient;
  private readonly maxPages: number;
  private readonly defaultLookbackDays: number;
  private readonly clock: () => Date;

  constructor(private readonly options: GraphSourceOptions) {
    this.http = options.http;
    this.maxPages = options.maxPages ?? 5;
    this.defaultLookbackDays = options.defaultLookbackDays ?? 30;
    this.clock = options.clock ?? (() => new Date());
  }

  async listAlerts(query: AlertQuery = {}): Promise<Alert[]> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (limit <= 0) return [];
    const filters = [
      `lastUpdateDateTime ge ${this.since(query.since).toISOString()}`,
      severityFilter(query.minimumSeverity),
      query.status === undefined || query.status === 'unknown' ? undefined : `status eq '${query.status}'`,
    ];
    const wantedValues = query.entityValues?.map((value) => value.trim()).filter((value) => value !== '');
    // An entity filter is applied here, after mapping, so pages are fetched until enough alerts match.
    const pageSize = Math.min(wantedValues === undefined ? limit : ENTITY_SEARCH_PAGE_SIZE, ALERT_PAGE_SIZE);
    const alerts: Alert[] = [];
    await this.eachPage('list alerts', 'v1.0/security/alerts_v2', filters, pageSize, {}, (items) => {
      for (const item of items) {
        const alert = mapGraphAlert(item);
        if (
          wantedValues !== undefined &&
          !alert.entities.some((entity) => wantedValues.some((value) => entityHasValue(entity, value)))
        ) {
          continue;
        }
        alerts.push(alert);
      }
      return alerts.length >= limit;
    });
    return newestFirst(alerts).slice(0, limit);
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const wanted = graphId(id);
    if (wanted === undefined) return undefined;
    const item = await this.http.sendOrUndefined({
      operation: 'get alert',
      method: 'GET',
      path: `v1.0/security/alerts_v2/${encodeURIComponent(wanted)}`,
      schema: GraphItemSchema,
    });
    return item === undefined ? undefined : mapGraphAlert(item);
  }

  async listIncidents(query: IncidentQuery = {}): Promise<Incident[]> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (limit <= 0) return [];
    const filters = [
      `lastUpdateDateTime ge ${this.since(query.since).toISOString()}`,
      severityFilter(query.minimumSeverity),
    ];
    const incidents: Incident[] = [];
    await this.eachPage(
      'list incidents',
      'v1.0/security/incidents',
      filters,
      Math.min(limit, INCIDENT_PAGE_SIZE),
      { $expand: 'alerts' },
      (items) => {
        incidents.push(...items.map((item) => mapGraphIncident(item)));
        return incidents.length >= limit;
      },
    );
    return newestFirst(incidents).slice(0, limit);
  }

  /** Accepts "42" and "#42", the way incident numbers are written in chat. */
  async getIncident(id: string): Promise<Incident | undefined> {
    const wanted = graphId(id.trim().replace(/^#/, ''));
    if (wanted === undefined) return undefined;
    const item = await this.http.sendOrUndefined({
      operation: 'get incident',
      method: 'GET',
      path: `v1.0/security/incidents/${encodeURIComponent(wanted)}`,
      query: { $expand: 'alerts' },
      schema: GraphItemSchema,
    });
    return item === undefined ? undefined : mapGraphIncident(item);
  }

  async getUserContext(userPrincipalName: string): Promise<UserContext | undefined> {
    return graphUserContext(this.http, userPrincipalName, this.options.logger);
  }

  async runHuntingQuery(query: string, options: HuntingQueryOptions): Promise<HuntingResult> {
    return runGraphHuntingQuery(this.http, query, options);
  }

  async updateAlert(id: string, update: AlertUpdate): Promise<Alert | undefined> {
    const body = parseOrBadInput(AlertUpdateSchema, update, 'alert update');
    const wanted = graphId(id);
    if (wanted === undefined) return undefined;
    const item = await this.http.sendOrUndefined({
      operation: 'update alert',
      method: 'PATCH',
      path: `v1.0/security/alerts_v2/${encodeURIComponent(wanted)}`,
      body,
      schema: GraphItemSchema.optional(),
    });
    // Graph answers the PATCH with the updated alert; should it send nothing, read the alert back.
    if (item === undefined) return this.getAlert(wanted);
    return mapGraphAlert(item);
  }

  async addAlertComment(id: string, comment: string): Promise<boolean> {
    const wanted = graphId(id);
    if (wanted === undefined) return false;
    const answer = await this.http.sendOrUndefined({
      operation: 'comment on alert',
      method: 'POST',
      path: `v1.0/security/alerts_v2/${encodeURIComponent(wanted)}/comments`,
      body: commentBody(comment),
      schema: Accepted,
    });
    return answer === true;
  }

  async updateIncident(id: string, update: IncidentUpdate): Promise<Incident | undefined> {
    const parsed = parseOrBadInput(IncidentUpdateSchema, update, 'incident update');
    const wanted = graphId(id.trim().replace(/^#/, ''));
    if (wanted === undefined) return undefined;
    const { tags, ...fields } = parsed;
    const item = await this.http.sendOrUndefined({
      operation: 'update incident',
      method: 'PATCH',
      path: `v1.0/security/incidents/${encodeURIComponent(wanted)}`,
      body: tags === undefined ? fields : { ...fields, customTags: tags },
      schema: GraphItemSchema.optional(),
    });
    if (item === undefined) return this.getIncident(wanted);
    return mapGraphIncident(item);
  }

  async addIncidentComment(id: string, comment: string): Promise<boolean> {
    const wanted = graphId(id.trim().replace(/^#/, ''));
    if (wanted === undefined) return false;
    const answer = await this.http.sendOrUndefined({
      operation: 'comment on incident',
      method: 'POST',
      path: `v1.0/security/incidents/${encodeURIComponent(wanted)}/comments`,
      body: commentBody(comment),
      schema: Accepted,
    });
    return answer === true;
  }

  async probe(signal?: AbortSignal): Promise<void> {
    await this.http.send({
      operation: 'probe',
      method: 'GET',
      path: 'v1.0/security/alerts_v2',
      query: { $top: 1 },
      schema: GraphPageSchema,
      signal,
    });
  }

  health(): SourceHealth[] {
    const { api, circuit } = this.http.health();
    return [{ api, circuit: circuit.state }];
  }

  private since(since: Date | undefined): Date {
    return since ?? new Date(this.clock().getTime() - this.defaultLookbackDays * 24 * 60 * 60 * 1000);
  }

  /**
   * Follows `@odata.nextLink` up to the page cap. `onPage` returns true when it has enough; the next link is
   * used exactly as Graph returns it (it carries the skip token), after the client checks it stays on Graph.
   */
  private async eachPage(
    operation: string,
    path: string,
    filters: Array<string | undefined>,
    pageSize: number,
    extra: Record<string, string>,
    onPage: (items: Array<z.output<typeof GraphItemSchema>>) => boolean,
  ): Promise<void> {
    const filter = filters.filter((clause): clause is string => clause !== undefined).join(' and ');
    let next: { path: string; query?: Record<string, string | number> } | undefined = {
      path,
      query: { ...extra, $filter: filter, $top: pageSize },
    };
    for (let page = 1; next !== undefined; page += 1) {
      const answer: z.output<typeof GraphPageSchema> = await this.http.send({
        operation,
        method: 'GET',
        ...next,
        schema: GraphPageSchema,
      });
      if (onPage(answer.value)) return;
      const link: string | undefined = answer['@odata.nextLink'];
      if (link === undefined) return;
      if (page >= this.maxPages) {
        this.options.logger?.info({ operation, pages: page }, 'Graph paging stopped at the page cap');
        return;
      }
      next = { path: link };
    }
  }
}

/** `severity in` is not on every Graph filter; an `or` of equalities is. */
function severityFilter(minimum: Severity | undefined): string | undefined {
  if (minimum === undefined || minimum === 'informational') return undefined;
  const wanted = severities.slice(severities.indexOf(minimum));
  return `(${wanted.map((severity) => `severity eq '${severity}'`).join(' or ')})`;
}

/** Graph ids are letters, digits and a few separators; anything else cannot exist and is not sent. */
function graphId(id: string): string | undefined {
  const trimmed = id.trim();
  return /^[\w.:=-]{1,200}$/.test(trimmed) ? trimmed : undefined;
}

function commentBody(comment: string): Record<string, string> {
  const text = parseOrBadInput(CommentSchema, comment, 'comment');
  return { '@odata.type': 'microsoft.graph.security.alertComment', comment: text };
}

function newestFirst<T extends { createdAt: string; id: string }>(items: T[]): T[] {
  return [...items].sort(
    (left, right) => Date.parse(right.createdAt) - Date.parse(left.createdAt) || left.id.localeCompare(right.id),
  );
}
