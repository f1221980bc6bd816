import { randomBytes } from 'node:crypto';
import type { CapabilityResult, EngineInfo } from '../copilot/result';
import type { Store } from '../store/port';

/**
 * Durable findings: every result the bot produced about an incident or an alert (an investigation, an
 * explanation, an analysis, a hunt, response guidance, a triage action), with who asked, when, which engine and
 * model, the ids of its inputs and a compact copy of the typed result. Reports are written from them, and
 * "show findings for incident 42" lists them. Keys sort by time: `findings/incident/<id>/<time>-<rand>` and
 * `findings/alert/<id>/<time>-<rand>`; writes are create-only, a finding is never changed.
 */

export const findingsPrefix = 'findings/';

/** The largest compact result kept (UTF-8 JSON); a bigger one is stored as its summary only. */
export const maximumResultBytes = 64 * 1024;

export interface FindingAuthor {
  /** Entra ID (AAD) object id. */
  aadObjectId?: string;
  name?: string;
}

export interface FindingEngine {
  kind: 'llm' | 'offline';
  provider?: string;
  model?: string;
}

export interface Finding {
  capability: string;
  by: FindingAuthor;
  at: string;
  engine: FindingEngine;
  incidentId?: string;
  alertIds: string[];
  /** One line for lists. */
  summary: string;
  /** The typed result JSON, when it fits `maximumResultBytes`. */
  result?: unknown;
  /** True when the result was too big to keep. */
  resultOmitted?: boolean;
}

export interface StoredFinding extends Finding {
  key: string;
}

export interface RecordFindingInput {
  capability: string;
  by: FindingAuthor;
  engine?: EngineInfo | FindingEngine;
  incidentId?: string;
  alertIds?: string[];
  summary: string;
  result?: unknown;
  /** Defaults to now. */
  at?: Date;
}

const encode = (id: string) => encodeURIComponent(id.slice(0, 200));

export function incidentFindingsPrefix(incidentId: string): string {
  return `${findingsPrefix}incident/${encode(incidentId)}/`;
}

export function alertFindingsPrefix(alertId: string): string {
  return `${findingsPrefix}alert/${encode(alertId)}/`;
}

function compactEngine(engine: RecordFindingInput['engine']): FindingEngine {
  if (engine === undefined) return { kind: 'offline' };
  if (engine.kind === 'llm') return { kind: 'llm', provider: engine.provider, model: engine.model };
  return { kind: 'offline' };
}

/**
 * Stores one finding under its incident (when it has one) and under each alert (at most 20), create-only.
 * Returns the keys written. Without an incident and alerts there is nothing to file it under: no key.
 */
export async function recordFinding(store: Store, input: RecordFindingInput): Promise<string[]> {
  const at = (input.at ?? new Date()).toISOString();
  const alertIds = [...new Set((input.alertIds ?? []).filter((id) => id !== ''))].slice(0, 20);
  const incidentId = input.incidentId === '' ? undefined : input.incidentId;
  const finding: Finding = {
    capability: input.capability,
    by: { aadObjectId: input.by.aadObjectId, name: input.by.name?.slice(0, 200) },
    at,
    engine: compactEngine(input.engine),
    incidentId,
    alertIds,
    summary: oneLine(input.summary, 300),
  };
  if (input.result !== undefined) {
    const json = JSON.stringify(input.result);
    if (json !== undefined && Buffer.byteLength(json, 'utf8') <= maximumResultBytes) finding.result = JSON.parse(json);
    else finding.resultOmitted = true;
  }
  const suffix = `${at}-${randomBytes(6).toString('hex')}`;
  const keys = [
    ...(incidentId !== undefined ? [incidentFindingsPrefix(incidentId) + suffix] : []),
    ...alertIds.map((id) => alertFindingsPrefix(id) + suffix),
  ];
  for (const key of keys) await store.put(key, finding, { ifNoneMatch: '*' });
  return keys;
}

/** Findings of an incident or an alert, newest first (at most `limit`, default 20). */
export async function listFindings(
  store: Store,
  query: { incidentId?: string; alertId?: string; limit?: number },
): Promise<StoredFinding[]> {
  const prefix =
    query.incidentId !== undefined
      ? incidentFindingsPrefix(query.incidentId)
      : query.alertId !== undefined
        ? alertFindingsPrefix(query.alertId)
        : undefined;
  if (prefix === undefined) return [];
  const limit = query.limit ?? 20;
  const keys = (await store.list(prefix)).reverse().slice(0, limit);
  const findings: StoredFinding[] = [];
  for (const key of keys) {
    const item = await store.get<Finding>(key);
    if (item) findings.push({ ...item.value, key });
  }
  return findings;
}

/**
 * Removes findings older than the retention (by the time in their key, no reads). Returns how many went.
 */
export async function cleanupFindings(store: Store, retentionDays: number, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000).toISOString();
  let removed = 0;
  for (const key of await store.list(findingsPrefix)) {
    const time = /\/(\d{4}-\d{2}-\d{2}T[\d:.]+Z)-[0-9a-f]+$/.exec(key)?.[1];
    if (time !== undefined && time < cutoff && (await store.delete(key))) removed += 1;
  }
  return removed;
}

/** The finding of a capability result: its subject, engine and typed result. */
export function findingFromResult(
  result: CapabilityResult<unknown>,
  details: { by: FindingAuthor; summary: string; alertIds?: string[]; incidentId?: string },
): RecordFindingInput {
  return {
    capability: result.capability,
    by: details.by,
    engine: result.engine,
    incidentId: details.incidentId ?? result.subject.incidentId,
    alertIds: [...(result.subject.alertId ? [result.subject.alertId] : []), ...(details.alertIds ?? [])],
    summary: details.summary,
    result: result.result,
    at: new Date(result.generatedAt),
  };
}

/** `text` on one line (whitespace runs become one space), cut to `maximum` characters with an ellipsis. */
export function oneLine(text: string, maximum: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > maximum ? `${flat.slice(0, maximum - 1)}…` : flat;
}
