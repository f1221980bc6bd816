import { CopilotError } from '../../errors';
import type { LlmClient, LlmMessage } from '../../llm/port';
import type { Logger } from '../../logger';
import type { Alert, Incident, Severity } from '../../sources/model';
import { severityAtLeast } from '../../sources/normalize/severity-status';
import type { SecurityDataSource } from '../../sources/port';
import { accountNames, lookup, sharedEntityValues, userContexts } from '../analyze-alert/surroundings';
import type { AttackFacts } from '../knowledge';
import { answerWithFallback, type CapabilityResult } from '../result';
import { fenceUntrusted, untrustedDataRule } from '../untrusted';
import {
  TriageModelSchema,
  TriageSchema,
  type RankedItem,
  type ScoreFactor,
  type Triage,
  type TriageModelOutput,
} from './schema';
import { reasonFor, scoreAlert, triageWeights, type ScoredAlert } from './scoring';

export { TriageSchema, type Triage, type RankedItem } from './schema';
export { triageWeights } from './scoring';

export interface TriageDependencies {
  dataSource: SecurityDataSource;
  attack: AttackFacts;
  llm?: LlmClient;
  logger: Logger;
  clock?: () => Date;
  sourceTimeoutMs?: number;
}

export interface TriageRequest {
  /** How many alerts to show (default 10, at most 25). */
  top?: number;
  minimumSeverity?: Severity;
}

export const defaultTop = 10;
export const maximumTop = 25;
/** How far the LLM may move an alert from its score rank: it can argue, not overrule. */
export const maximumLlmShift = 3;
const maximumAlertsRead = 500;
const maximumIncidentsShown = 5;
const maximumUsersLookedUp = 25;

/**
 * Ranks the open alerts (new, in progress) and open incidents by a transparent score (src/copilot/triage/
 * scoring.ts). With an LLM, the model may move an alert up to three places and writes the rationale; the
 * scores and factors are always the deterministic ones.
 */
export async function triageQueue(
  request: TriageRequest,
  dependencies: TriageDependencies,
  options: { signal?: AbortSignal } = {},
): Promise<CapabilityResult<Triage>> {
  const started = Date.now();
  const top = Math.max(1, Math.min(maximumTop, Math.trunc(request.top ?? defaultTop)));
  const offline = await triageOffline(request, top, dependencies, options.signal);
  return answerWithFallback(
    {
      capability: 'triage',
      subject: {},
      started,
      askModel: offline.alerts.length > 1,
      fallbackLog: 'LLM failed; triaging with the scores alone',
      fallbackNote: 'This ranking comes from the scores alone.',
      online: async (llm) => {
        const answer = await llm.generateStructured({
          schemaName: 'alert_triage',
          schema: TriageModelSchema,
          messages: buildTriageMessages(offline),
          temperature: 0.2,
          maxOutputTokens: 900,
          signal: options.signal,
        });
        const notes: string[] = [];
        const result = TriageSchema.parse(applyModelOrder(offline, answer.value, notes));
        return { result, notes, model: answer.model, usage: answer.usage };
      },
      offline: () => TriageSchema.parse(offline),
    },
    dependencies,
    options.signal,
  );
}

const openAlertStatuses = new Set<Alert['status']>(['new', 'inProgress']);
const openIncidentStatuses = new Set<Incident['status']>(['active', 'inProgress']);

async function triageOffline(
  request: TriageRequest,
  top: number,
  dependencies: TriageDependencies,
  signal: AbortSignal | undefined,
): Promise<Triage> {
  const lookupOptions = { timeoutMs: dependencies.sourceTimeoutMs, signal };
  const now = (dependencies.clock ?? (() => new Date()))();
  const gaps: string[] = [];
  const [alertsAnswer, incidentsAnswer] = await Promise.all([
    lookup('Alerts', () => dependencies.dataSource.listAlerts({ limit: maximumAlertsRead }), lookupOptions),
    lookup('Incidents', () => dependencies.dataSource.listIncidents({ limit: maximumAlertsRead }), lookupOptions),
  ]);
  if (!alertsAnswer.ok) {
    throw new CopilotError('source_unavailable', 'alerts could not be listed for triage', {
      retryable: true,
      userMessage: `I could not read the alert queue from the ${dependencies.dataSource.name} data source (${alertsAnswer.gap}). Try again in a minute.`,
    });
  }
  if (!incidentsAnswer.ok) gaps.push(incidentsAnswer.gap);

  const open = alertsAnswer.value.filter((alert) => openAlertStatuses.has(alert.status));
  const wanted = open.filter(
    (alert) => request.minimumSeverity === undefined || severityAtLeast(alert.severity, request.minimumSeverity),
  );
  const people = await userContexts(dependencies.dataSource, accountNames(wanted), {
    ...lookupOptions,
    maximum: maximumUsersLookedUp,
  });
  gaps.push(...people.gaps);

  const scored = wanted
    .map((alert) =>
      scoreAlert(alert, {
        attack: dependencies.attack,
        users: people.users,
        correlated: open.filter((other) => other.id !== alert.id && correlates(alert, other)),
        now,
      }),
    )
    .sort(byScore);

  const alerts = scored.slice(0, top).map((entry, index) => rankedAlert(entry, index + 1));
  const openIncidents = incidentsAnswer.ok
    ? incidentsAnswer.value.filter((incident) => openIncidentStatuses.has(incident.status))
    : [];
  const incidents = openIncidents
    .map((incident) => scoreIncident(incident, scored))
    .filter((entry) => entry !== undefined)
    .sort((left, right) => right.score - left.score || right.createdAt.localeCompare(left.createdAt))
    .slice(0, maximumIncidentsShown)
    .map((entry, index) => ({ ...entry, rank: index + 1, scoreRank: index + 1 }));

  return {
    alerts,
    incidents,
    rationale:
      alerts.length === 0
        ? `No open alerts${request.minimumSeverity ? ` of ${request.minimumSeverity} severity or above` : ''} in the ${dependencies.dataSource.name} data source.`
        : `${wanted.length} open alert(s) ranked by severity, user and device risk, ATT&CK stage, correlation, age and status; the top ${alerts.length} are shown.`,
    considered: { openAlerts: wanted.length, openIncidents: openIncidents.length },
    filter: request.minimumSeverity === undefined ? { top } : { top, minimumSeverity: request.minimumSeverity },
    gaps,
  };
}

function correlates(alert: Alert, other: Alert): boolean {
  if (alert.incidentId !== undefined && alert.incidentId === other.incidentId) return true;
  return sharedEntityValues(alert, other).length > 0;
}

function byScore(left: ScoredAlert, right: ScoredAlert): number {
  return (
    right.score - left.score ||
    right.alert.createdAt.localeCompare(left.alert.createdAt) ||
    left.alert.id.localeCompare(right.alert.id)
  );
}

function rankedAlert(entry: ScoredAlert, rank: number): RankedItem {
  const item: RankedItem = {
    kind: 'alert',
    id: entry.alert.id,
    title: entry.alert.title,
    severity: entry.alert.severity,
    status: entry.alert.status,
    alertIds: [entry.alert.id],
    createdAt: entry.alert.createdAt,
    score: entry.score,
    rank,
    scoreRank: rank,
    factors: entry.factors,
    reason: reasonFor(entry.factors),
  };
  if (entry.alert.incidentId !== undefined) item.incidentId = entry.alert.incidentId;
  if (entry.stage !== undefined) item.stage = entry.stage;
  return item;
}

/** An incident's score: its highest-scoring open alert (its factors) plus the correlation of its open alerts. */
function scoreIncident(
  incident: Incident,
  scored: readonly ScoredAlert[],
): Omit<RankedItem, 'rank' | 'scoreRank'> | undefined {
  const members = scored.filter(
    (entry) => entry.alert.incidentId === incident.id || incident.alertIds.includes(entry.alert.id),
  );
  if (members.length === 0) return undefined;
  const lead = members[0];
  const factors: ScoreFactor[] = lead.factors
    .filter((factor) => factor.factor !== 'correlation')
    .map((factor) => ({ ...factor, detail: `${factor.detail} (alert ${lead.alert.id})` }));
  if (members.length > 1) {
    factors.push({
      factor: 'correlation',
      points: Math.min(triageWeights.maximumCorrelation, (members.length - 1) * triageWeights.perCorrelatedAlert),
      detail: `${members.length} open alerts in the incident`,
    });
  }
  const item: Omit<RankedItem, 'rank' | 'scoreRank'> = {
    kind: 'incident',
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    alertIds: members.map((entry) => entry.alert.id),
    createdAt: incident.createdAt,
    score: factors.reduce((total, factor) => total + factor.points, 0),
    factors,
    reason: reasonFor(factors),
  };
  if (lead.stage !== undefined) item.stage = lead.stage;
  return item;
}

const triageSystemPrompt = [
  'You are a senior SOC analyst deciding which open alerts to look at first.',
  'You get alerts already ranked by a transparent score with its factors. You may re-order them where the facts justify it (e.g. a correlated chain, a privileged user), and write a short rationale.',
  'Use only the ids and facts given; never add alerts, never change scores or facts.',
  untrustedDataRule,
  'Answer with JSON that matches the given schema.',
].join('\n');

function buildTriageMessages(triage: Triage): LlmMessage[] {
  const rows = triage.alerts.map((item) => ({
    id: item.id,
    title: item.title.slice(0, 200),
    severity: item.severity,
    status: item.status,
    incidentId: item.incidentId,
    stage: item.stage,
    score: item.score,
    factors: item.factors.map((factor) => `${factor.factor} +${factor.points}: ${factor.detail.slice(0, 160)}`),
  }));
  return [
    { role: 'system', content: triageSystemPrompt },
    {
      role: 'user',
      content: [
        `Order these ${rows.length} alerts, most urgent first. Each may move at most ${maximumLlmShift} places from its score rank.`,
        '',
        fenceUntrusted('ranked alerts', JSON.stringify(rows, null, 1)),
      ].join('\n'),
    },
  ];
}

/**
 * Applies the model's order within limits: unknown ids are ignored, every alert stays within
 * `maximumLlmShift` places of its score rank, and ones the model left out keep their place.
 */
export function applyModelOrder(triage: Triage, model: TriageModelOutput, notes: string[]): Triage {
  const known = new Map(triage.alerts.map((item) => [item.id.toLowerCase(), item]));
  const unknown = model.order.filter((id) => !known.has(id.trim().toLowerCase()));
  if (unknown.length > 0) notes.push(`Ignored ${unknown.length} id(s) the model gave that are not in the queue.`);
  const modelPosition = new Map<string, number>();
  model.order.forEach((id, index) => {
    const item = known.get(id.trim().toLowerCase());
    if (item !== undefined && !modelPosition.has(item.id)) modelPosition.set(item.id, index + 1);
  });
  // Place position by position: an alert whose last allowed place has come goes there; otherwise the eligible
  // alert (not more than maximumLlmShift above its score rank) the model put first. No alert moves further.
  const remaining = [...triage.alerts];
  const placed: typeof remaining = [];
  let clamped = false;
  for (let position = 1; remaining.length > 0; position += 1) {
    const due = remaining.find((item) => item.scoreRank + maximumLlmShift <= position);
    const eligible = remaining.filter((item) => item.scoreRank - maximumLlmShift <= position);
    const preferred = [...eligible].sort(
      (left, right) =>
        (modelPosition.get(left.id) ?? left.scoreRank) - (modelPosition.get(right.id) ?? right.scoreRank) ||
        left.scoreRank - right.scoreRank,
    )[0];
    const next = due ?? preferred ?? remaining[0];
    const wanted = modelPosition.get(next.id);
    if (wanted !== undefined && Math.abs(wanted - position) > maximumLlmShift) clamped = true;
    placed.push(next);
    remaining.splice(remaining.indexOf(next), 1);
  }
  if (clamped)
    notes.push(
      `The model moved some alerts more than ${maximumLlmShift} places from their score; they were kept within ${maximumLlmShift}.`,
    );
  const modelNotes = new Map<string, string>();
  for (const note of model.notes) {
    const item = known.get(note.id.trim().toLowerCase());
    if (item !== undefined && note.note.trim() !== '')
      modelNotes.set(item.id, note.note.replace(/\s+/g, ' ').trim().slice(0, 300));
  }
  const alerts = placed.map((item, index) => ({
    ...item,
    rank: index + 1,
    reason: modelNotes.get(item.id) ?? item.reason,
  }));
  const rationale = model.rationale.replace(/\s+/g, ' ').trim().slice(0, 800);
  return { ...triage, alerts, rationale: rationale === '' ? triage.rationale : rationale };
}
