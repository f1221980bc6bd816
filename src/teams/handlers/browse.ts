import { alertListCard, incidentListCard, LIST_ROWS } from '../../cards/list-cards';
import type { Severity } from '../../sources/model';
import type { MessageHandler } from './types';

export interface ListRequest {
  minimumSeverity?: Severity;
  /** Look-back in milliseconds. */
  windowMs?: number;
  /** In words, for the card's title. */
  description: string;
}

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * The filter words after "alerts"/"incidents": a minimum severity ("high", "medium and above"), and a window
 * ("last 24h", "past 7 days", "today"). Unknown words are ignored rather than refused: the list is a view.
 */
export function parseListRequest(words: string | undefined, now: Date): ListRequest {
  const said = (words ?? '').toLowerCase();
  const severityWord = /\b(critical|high|medium|low|informational)\b/.exec(said)?.[1];
  const minimumSeverity: Severity | undefined =
    severityWord === undefined ? undefined : severityWord === 'critical' ? 'high' : (severityWord as Severity);
  let windowMs: number | undefined;
  let windowText: string | undefined;
  const window = /(\d{1,4})\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\b/.exec(said);
  if (window) {
    windowMs = Number(window[1]) * units[window[2][0]];
    windowText = `last ${window[1]}${window[2][0]}`;
  } else if (/\btoday\b/.test(said)) {
    const midnight = new Date(now);
    midnight.setUTCHours(0, 0, 0, 0);
    windowMs = now.getTime() - midnight.getTime();
    windowText = 'today (UTC)';
  }
  const parts: string[] = [];
  // The port filters by minimum severity, so "medium" lists medium and high, and the title says so.
  if (minimumSeverity !== undefined) parts.push(minimumSeverity === 'high' ? 'high' : `${minimumSeverity} and above`);
  if (windowText !== undefined) parts.push(windowText);
  return { minimumSeverity, windowMs, description: parts.length > 0 ? parts.join(', ') : 'newest' };
}

/** "incidents", "incidents high last 7d": the newest incidents from the configured source. */
export const listIncidents: MessageHandler = async (turn) => {
  const { dataSource, clock } = turn.services;
  const request = parseListRequest(turn.groups.filter, clock());
  const incidents = await dataSource.listIncidents({
    minimumSeverity: request.minimumSeverity,
    since: request.windowMs === undefined ? undefined : new Date(clock().getTime() - request.windowMs),
    limit: LIST_ROWS * 5,
  });
  await turn.responder.sendCard(
    incidentListCard({ incidents, filter: { description: request.description }, source: dataSource.name }),
  );
};

/** "alerts", "alerts high last 24h": the newest alerts from the configured source. */
export const listAlerts: MessageHandler = async (turn) => {
  const { dataSource, clock } = turn.services;
  const request = parseListRequest(turn.groups.filter, clock());
  const alerts = await dataSource.listAlerts({
    minimumSeverity: request.minimumSeverity,
    since: request.windowMs === undefined ? undefined : new Date(clock().getTime() - request.windowMs),
    limit: LIST_ROWS * 5,
  });
  await turn.responder.sendCard(
    alertListCard({ alerts, filter: { description: request.description }, source: dataSource.name }),
  );
};
