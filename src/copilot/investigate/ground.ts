import { extractIocs } from '../../intel/iocs';
import type { IocType } from '../../intel/iocs';
import type { GatheredContext, IncidentContext } from '../context';
import { userEvidenceId } from '../context';
import { groundValues } from '../grounding';

/**
 * Checks on model output against the gathered context, shared by investigate and report: which evidence ids
 * exist, which values the context holds, and indicators in free text that the context does not hold (a model
 * that invents an IP address or a domain must not have it shown as a fact).
 */

/** Indicator types that name infrastructure or files; an invented one could send a responder the wrong way. */
const checkedTypes: IocType[] = ['ipv4', 'ipv6', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256'];

export const removedIndicatorMarker = '[unverified indicator removed]';

/** Every id a finding may cite: alerts (the incident's, related and recent), entities, users, intelligence. */
export function evidenceIdSet(context: GatheredContext): Set<string> {
  const ids = new Set<string>();
  for (const alert of context.alerts) ids.add(alert.id.toLowerCase());
  for (const related of context.relatedAlerts) ids.add(related.alert.id.toLowerCase());
  for (const alert of context.recentAlerts) ids.add(alert.id.toLowerCase());
  for (const item of context.evidence) ids.add(item.id.toLowerCase());
  for (const user of context.users) ids.add(userEvidenceId(user.userPrincipalName));
  for (const indicator of context.indicators) ids.add(`ti:${indicator.indicator.value.toLowerCase()}`);
  return ids;
}

/** Every text value of the context, for checking what a model copies from it. */
export function contextTexts(context: IncidentContext | GatheredContext): string[] {
  const texts: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect({
    incident: 'incident' in context ? context.incident : undefined,
    alerts: context.alerts,
    users: context.users,
    related: context.relatedAlerts,
    recent: context.recentAlerts,
    indicators: context.indicators.map((entry) => entry.indicator.value),
    threats: context.threats,
  });
  return texts;
}

/** What the context holds, indexed for the checks below. */
export interface GroundingIndex {
  haystack: string;
  indicators: Set<string>;
  evidenceIds: Set<string>;
}

export function groundingIndex(context: IncidentContext | GatheredContext): GroundingIndex {
  const haystack = contextTexts(context).join('\n');
  const indicators = new Set<string>();
  const report = extractIocs(haystack, { maxOccurrences: 1 });
  for (const type of checkedTypes) {
    for (const ioc of report[type]) {
      indicators.add(ioc.value.toLowerCase());
      if (type === 'email') indicators.add(ioc.value.slice(ioc.value.indexOf('@') + 1).toLowerCase());
      if (type === 'url') {
        try {
          indicators.add(new URL(ioc.value).hostname.toLowerCase());
        } catch {
          // A URL the extractor accepted but WHATWG does not parse has no host to add.
          continue;
        }
      }
    }
  }
  return { haystack: haystack.toLowerCase(), indicators, evidenceIds: evidenceIdSet(context) };
}

/**
 * Replaces indicators the context does not hold with a visible marker. Returns the text and what was removed
 * (refanged values, for the note).
 */
export function redactUngroundedIndicators(text: string, index: GroundingIndex): { text: string; removed: string[] } {
  const report = extractIocs(text);
  const spans: Array<{ start: number; end: number; value: string }> = [];
  for (const type of checkedTypes) {
    for (const ioc of report[type]) {
      const value = ioc.value.toLowerCase();
      if (index.indicators.has(value) || groundValues([{ value }], index.haystack).kept.length > 0) continue;
      for (const occurrence of ioc.occurrences)
        spans.push({ start: occurrence.start, end: occurrence.end, value: ioc.value });
    }
  }
  if (spans.length === 0) return { text, removed: [] };
  // A URL and the domain inside it overlap: the outermost span wins.
  spans.sort((left, right) => left.start - right.start || right.end - left.end);
  let result = '';
  let cursor = 0;
  const removed = new Set<string>();
  for (const span of spans) {
    if (span.start < cursor) continue;
    result += text.slice(cursor, span.start) + removedIndicatorMarker;
    cursor = span.end;
    removed.add(span.value);
  }
  return { text: result + text.slice(cursor), removed: [...removed] };
}

/** Keeps the evidence ids the context lists (case-insensitive, de-duplicated), in the given order. */
export function knownEvidenceIds(ids: readonly string[], index: GroundingIndex): { kept: string[]; dropped: string[] } {
  const kept: string[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const key = id.trim().toLowerCase();
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    if (index.evidenceIds.has(key)) kept.push(id.trim());
    else dropped.push(id.trim());
  }
  return { kept: kept.slice(0, 20), dropped };
}

/** Collects what the checks removed, for one note per kind rather than one per field. */
export class GroundingLedger {
  readonly indicators = new Set<string>();
  readonly evidenceIds = new Set<string>();
  readonly values = new Set<string>();
  readonly techniques = new Set<string>();
  readonly threats = new Set<string>();

  /** Redacts a free text and records what it removed; true when something was removed. */
  redact(text: string, index: GroundingIndex): { text: string; changed: boolean } {
    const redacted = redactUngroundedIndicators(text, index);
    for (const value of redacted.removed) this.indicators.add(value);
    return { text: redacted.text, changed: redacted.removed.length > 0 };
  }

  ids(ids: readonly string[], index: GroundingIndex): string[] {
    const checked = knownEvidenceIds(ids, index);
    for (const id of checked.dropped) this.evidenceIds.add(id);
    return checked.kept;
  }

  notes(): string[] {
    const notes: string[] = [];
    const list = (values: Set<string>) => {
      const shown = [...values].slice(0, 4).map((value) => (value.length > 60 ? `${value.slice(0, 59)}…` : value));
      return values.size > shown.length
        ? `${shown.join(', ')} and ${values.size - shown.length} more`
        : shown.join(', ');
    };
    if (this.techniques.size > 0)
      notes.push(`Removed ATT&CK IDs the model gave that do not exist: ${list(this.techniques)}.`);
    if (this.indicators.size > 0) {
      notes.push(
        `Removed indicators the model wrote that are not in the incident data (marked "${removedIndicatorMarker}"): ${list(this.indicators)}.`,
      );
    }
    if (this.values.size > 0)
      notes.push(`Removed entities the model gave that are not in the incident data: ${list(this.values)}.`);
    if (this.threats.size > 0) {
      notes.push(`Removed related threats that neither ATT&CK nor the incident data support: ${list(this.threats)}.`);
    }
    if (this.evidenceIds.size > 0) {
      notes.push(
        `Ignored evidence ids the model cited that do not exist: ${list(this.evidenceIds)}; findings left without evidence are marked unverified.`,
      );
    }
    return notes;
  }
}
