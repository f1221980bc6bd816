import { CopilotError } from '../../errors';
import { isSourceHttpError } from '../../http';
import type { Logger } from '../../logger';
import type { Alert, HuntingResult, Incident, SignIn, UserContext } from '../model';
import { UserContextSchema } from '../model';
import { entityHasValue } from '../normalize/entities';
import { asRecord, parseMaybeJson, readString, toStringArray } from '../normalize/fields';
import { mapSentinelAlert, mapSentinelIncident } from '../normalize/sentinel';
import { firstIsoTimestamp } from '../normalize/time';
import { CommentSchema, IncidentUpdateSchema } from '../port';
import type {
  AlertQuery,
  HuntingQueryOptions,
  IncidentQuery,
  IncidentUpdate,
  SecurityDataSource,
  SourceHealth,
} from '../port';
import { parseOrBadInput } from '../http/validation';
import { HUNTING_TIMEOUT_MS } from '../http/hunting';
import type { SentinelIncidentWriter } from './arm';
import { alertByIdQuery, alertsQuery, identityInfoQuery, incidentByIdQuery, incidentsQuery, signInsQuery } from './kql';
import type { LogAnalyticsQueryClient } from './log-analytics';

/**
 * The `sentinel` security data source: Microsoft Sentinel through the Log Analytics query API (alerts and
 * incidents from the SecurityAlert / SecurityIncident tables, user context from IdentityInfo and SigninLogs,
 * hunting), and incident write-back through Azure Resource Manager when the workspace's ARM coordinates are
 * configured. Rows are mapped by the pure normalizers in `src/sources/normalize/sentinel.ts`.
 */

export interface SentinelSourceOptions {
  logAnalytics: LogAnalyticsQueryClient;
  /** Absent: no write-back (SENTINEL_SUBSCRIPTION_ID / _RESOURCE_GROUP / _WORKSPACE_NAME not set). */
  incidents?: SentinelIncidentWriter;
  logger?: Logger;
  defaultLookbackDays?: number;
  /** How far back `getAlert` / `getIncident` look for an id. */
  lookupDays?: number;
  clock?: () => Date;
}

const DEFAULT_LIMIT = 50;
const RECENT_SIGN_INS = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

export class SentinelSecurityDataSource implements SecurityDataSource {
  readonly name = 'sentinel';
  private readonly clock: () => Date;
  // Alert write-back does not exist in Sentinel (alerts are read-only there); incident write-back only when
  // the workspace's ARM coordinates are configured. A source without it simply lacks the methods.
  readonly updateIncident?: (id: string, update: IncidentUpdate) => Promise<Incident | undefined>;
  readonly addIncidentComment?: (id: string, comment: string) => Promise<boolean>;

  constructor(private readonly options: SentinelSourceOptions) {
    this.clock = options.clock ?? (() => new Date());
    const writer = options.incidents;
    if (writer !== undefined) {
      this.updateIncident = async (id, update) => {
        const parsed = parseOrBadInput(IncidentUpdateSchema, update, 'incident update');
        const name = await this.incidentName(id);
        return name === undefined ? undefined : writer.update(name, parsed);
      };
      this.addIncidentComment = async (id, comment) => {
        const message = parseOrBadInput(CommentSchema, comment, 'comment');
        const name = await this.incidentName(id);
        return name === undefined ? false : writer.addComment(name, message);
      };
    }
  }

  async listAlerts(query: AlertQuery = {}): Promise<Alert[]> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (limit <= 0) return [];
    const wantedValues = query.entityValues?.map((value) => value.trim()).filter((value) => value !== '');
    // Entities are a JSON string column; matching them is done on the mapped entities, over a wider batch.
    const take = wantedValues === undefined ? limit : Math.max(limit * 10, 500);
    const result = await this.options.logAnalytics.query(
      alertsQuery({
        since: this.since(query.since),
        minimumSeverity: query.minimumSeverity,
        status: query.status,
        take,
      }),
      { operation: 'list alerts', maxRows: take, timespan: this.timespanFor(query.since) },
    );
    const alerts = result.rows.map((row) => mapSentinelAlert(row));
    const matching =
      wantedValues === undefined
        ? alerts
        : alerts.filter((alert) =>
            alert.entities.some((entity) => wantedValues.some((value) => entityHasValue(entity, value))),
          );
    return matching.slice(0, limit);
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const wanted = sentinelId(id);
    if (wanted === undefined) return undefined;
    const since = new Date(this.clock().getTime() - (this.options.lookupDays ?? 90) * DAY_MS);
    const result = await this.options.logAnalytics.query(alertByIdQuery(wanted, since), {
      operation: 'get alert',
      maxRows: 1,
      timespan: `P${this.options.lookupDays ?? 90}D`,
    });
    return result.rows[0] === undefined ? undefined : mapSentinelAlert(result.rows[0]);
  }

  async listIncidents(query: IncidentQuery = {}): Promise<Incident[]> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (limit <= 0) return [];
    const result = await this.options.logAnalytics.query(
      incidentsQuery({ since: this.since(query.since), minimumSeverity: query.minimumSeverity, take: limit }),
      { operation: 'list incidents', maxRows: limit, timespan: this.timespanFor(query.since) },
    );
    return result.rows.map((row) => mapSentinelIncident(row));
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    const row = await this.incidentRow(id);
    return row === undefined ? undefined : mapSentinelIncident(row);
  }

  /**
   * IdentityInfo (UEBA) and SigninLogs (the Entra ID connector) exist only where those features are on: a
   * missing table is no context from it, not an error. Both missing or both empty is `undefined`.
   */
  async getUserContext(userPrincipalName: string): Promise<UserContext | undefined> {
    const upn = userPrincipalName.trim();
    if (!/^[^\s'"\\]{1,256}@[^\s'"\\]{1,256}$/.test(upn)) return undefined;
    const [identity, signIns] = await Promise.all([
      this.optionalTable(identityInfoQuery(upn), 'get user identity', 1),
      this.optionalTable(signInsQuery(upn, RECENT_SIGN_INS), 'list user sign-ins', RECENT_SIGN_INS),
    ]);
    const profile = identity[0];
    if (profile === undefined && signIns.length === 0) return undefined;
    const roles = toStringArray(parseMaybeJson(profile?.AssignedRoles));
    const risk = readString(profile, 'RiskLevel')?.toLowerCase();
    return UserContextSchema.parse({
      userPrincipalName: readString(profile, 'AccountUPN') ?? upn,
      displayName: readString(profile, 'AccountDisplayName'),
      department: readString(profile, 'Department'),
      jobTitle: readString(profile, 'JobTitle'),
      manager: readString(profile, 'Manager'),
      riskLevel: risk !== undefined && ['none', 'low', 'medium', 'high'].includes(risk) ? risk : 'unknown',
      isPrivileged: roles.some((role) => /admin|owner|privileged/i.test(role)),
      recentSignIns: signIns.map(mapSigninLogsRow).filter((signIn): signIn is SignIn => signIn !== undefined),
    });
  }

  async runHuntingQuery(query: string, options: HuntingQueryOptions): Promise<HuntingResult> {
    const result = await this.options.logAnalytics.query(query, {
      operation: 'run hunting query',
      timespan: options.timespan,
      maxRows: options.maxRows,
      signal: options.signal,
      timeoutMs: HUNTING_TIMEOUT_MS,
    });
    return { columns: result.columns, rows: result.rows, truncated: result.truncated };
  }

  async probe(signal?: AbortSignal): Promise<void> {
    // `print` touches no table: it proves the token, the workspace id and the query API, cheaply.
    const result = await this.options.logAnalytics.query('print probe = 1', { operation: 'probe', maxRows: 1 });
    if (signal?.aborted) throw signal.reason;
    if (result.rows.length !== 1) {
      throw new CopilotError('source_invalid_response', 'Log Analytics probe returned no row');
    }
  }

  health(): SourceHealth[] {
    const apis = [
      this.options.logAnalytics.health,
      ...(this.options.incidents ? [this.options.incidents.health()] : []),
    ];
    return apis.map(({ api, circuit }) => ({ api, circuit: circuit.state }));
  }

  /** ARM addresses incidents by name (a GUID); analysts use the number, which the table maps to it. */
  private async incidentName(id: string): Promise<string | undefined> {
    const wanted = id.trim().replace(/^#/, '');
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(wanted)) return wanted;
    const row = await this.incidentRow(wanted);
    return readString(row, 'IncidentName');
  }

  private async incidentRow(id: string): Promise<Record<string, unknown> | undefined> {
    const wanted = sentinelId(id.trim().replace(/^#/, ''));
    if (wanted === undefined) return undefined;
    const days = this.options.lookupDays ?? 90;
    const result = await this.options.logAnalytics.query(
      incidentByIdQuery(wanted, new Date(this.clock().getTime() - days * DAY_MS)),
      { operation: 'get incident', maxRows: 1, timespan: `P${days}D` },
    );
    return result.rows[0];
  }

  private async optionalTable(query: string, operation: string, maxRows: number) {
    try {
      return (await this.options.logAnalytics.query(query, { operation, maxRows, timespan: 'P14D' })).rows;
    } catch (error) {
      // A 400 naming a table it cannot resolve: this workspace does not collect it. Anything else is real.
      if (isSourceHttpError(error) && error.code === 'bad_input') {
        this.options.logger?.info({ operation, serviceCode: error.serviceCode }, 'Sentinel table not available');
        return [];
      }
      throw error;
    }
  }

  private since(since: Date | undefined): Date {
    return since ?? new Date(this.clock().getTime() - (this.options.defaultLookbackDays ?? 30) * DAY_MS);
  }

  /** The service-side window: wide enough for the query's own `where TimeGenerated >=`. */
  private timespanFor(since: Date | undefined): string {
    const start = this.since(since).getTime();
    const days = Math.max(1, Math.ceil((this.clock().getTime() - start) / DAY_MS) + 1);
    return `P${days}D`;
  }
}

function sentinelId(id: string): string | undefined {
  const trimmed = id.trim();
  return /^[\w.:-]{1,200}$/.test(trimmed) ? trimmed : undefined;
}

/** A SigninLogs row as our SignIn; ResultType "0" is success, anything else an Entra ID error code. */
export function mapSigninLogsRow(row: Record<string, unknown>): SignIn | undefined {
  const time = firstIsoTimestamp(row.TimeGenerated);
  if (time === undefined) return undefined;
  const location = asRecord(parseMaybeJson(row.Location));
  const resultType = readString(row, 'ResultType') ?? String(row.ResultType ?? '0');
  const succeeded = resultType === '0';
  return {
    time,
    ipAddress: readString(row, 'IPAddress'),
    location: readString(row, 'Location') ?? (location ? readString(location, 'countryOrRegion') : undefined),
    application: readString(row, 'AppDisplayName'),
    succeeded,
    failureReason: succeeded ? undefined : (readString(row, 'ResultDescription') ?? `error ${resultType}`),
  };
}
