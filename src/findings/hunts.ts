import { redactSecrets } from '../security/redact';
import type { HuntRunResult } from '../copilot/hunt/run';
import type { HuntingQueryResult } from '../copilot/hunt/schema';
import type { CapabilityResult } from '../copilot/result';
import { oneLine, type FindingAuthor, type RecordFindingInput } from './findings';

/**
 * Hunts as findings: a hunting query the bot wrote (or an indicator sweep), and a query it ran with a summary of
 * what came back, filed under the incident or alert the thread was about. Only ids, the query and a few key values
 * of the first rows are kept (redacted like the audit trail), never the whole result set.
 */

/** The incident or alert a hunt was about: from the button that started it, else from the thread's memory. */
export interface HuntSubject {
  incidentId?: string;
  alertId?: string;
}

export const HUNT_FINDING = 'hunt';
export const QUERY_RUN_FINDING = 'runHuntingQuery';

/** The compact result of a `hunt` finding. */
export interface HuntFindingResult {
  /** The capability that wrote it: generateHuntingQuery, naturalLanguageToKql or huntIndicator. */
  kind: string;
  /** What the analyst asked for (a threat, a question), redacted and cut short. */
  request?: string;
  platform: 'sentinel' | 'defender';
  query: string;
  validation: 'validated' | 'unvalidated';
  detects?: string;
  techniques: string[];
}

/** The compact result of a `runHuntingQuery` finding. */
export interface QueryRunFindingResult {
  query: string;
  platform: 'sentinel' | 'defender';
  /** The data source that ran it (demo, graph, sentinel). */
  source: string;
  rowCount: number;
  truncated: boolean;
  columns: string[];
  /** Key values of the first rows (time, account, device, address, file… columns first). */
  sampleRows: Array<Record<string, string>>;
  durationMs: number;
}

const MAXIMUM_SAMPLE_ROWS = 3;
const MAXIMUM_SAMPLE_COLUMNS = 6;
const MAXIMUM_VALUE_LENGTH = 120;
const keyColumn =
  /time|timestamp|account|user|upn|device|computer|host|ip|address|url|domain|file|sha|md5|process|command|alert|incident|action|result/i;

function hasSubject(subject: HuntSubject | undefined): subject is HuntSubject {
  return subject !== undefined && (Boolean(subject.incidentId) || Boolean(subject.alertId));
}

function subjectFields(subject: HuntSubject): Pick<RecordFindingInput, 'incidentId' | 'alertIds'> {
  return { incidentId: subject.incidentId || undefined, alertIds: subject.alertId ? [subject.alertId] : [] };
}

function platformLabel(platform: 'sentinel' | 'defender'): string {
  return platform === 'defender' ? 'Defender advanced hunting' : 'Microsoft Sentinel';
}

/**
 * The finding of a hunting query the bot wrote, or undefined when there is nothing to file: no query (no template
 * fitted offline), or no incident or alert it was about. A hunt outside any incident or alert is not a finding of
 * anything; the audit trail still records who asked for it and the KQL.
 */
export function huntFinding(
  hunt: CapabilityResult<HuntingQueryResult>,
  details: { by: FindingAuthor; subject: HuntSubject | undefined; request?: string },
): RecordFindingInput | undefined {
  const query = hunt.result.query;
  if (query === undefined || query.trim() === '' || !hasSubject(details.subject)) return undefined;
  const result: HuntFindingResult = {
    kind: hunt.capability,
    request: details.request ? oneLine(redactSecrets(details.request), 300) : undefined,
    platform: hunt.result.platform,
    query: redactSecrets(query),
    validation: hunt.result.validation.status,
    detects: hunt.result.detects ? oneLine(hunt.result.detects, 600) : undefined,
    techniques: hunt.result.techniques.map((technique) => technique.id).slice(0, 10),
  };
  const what = result.detects ?? result.request ?? 'a hunting query';
  return {
    capability: HUNT_FINDING,
    by: details.by,
    engine: hunt.engine,
    ...subjectFields(details.subject),
    summary: `Hunting query for ${platformLabel(result.platform)} (${result.validation}): ${what}`,
    result,
    at: new Date(hunt.generatedAt),
  };
}

/**
 * The finding of a query the bot ran, with a summary of its results; undefined when the query was not run (it
 * failed validation) or the thread has no incident or alert (see huntFinding).
 */
export function queryRunFinding(
  run: CapabilityResult<HuntRunResult>,
  details: { by: FindingAuthor; subject: HuntSubject | undefined },
): RecordFindingInput | undefined {
  if (run.result.status !== 'completed' || !hasSubject(details.subject)) return undefined;
  const columns = run.result.columns.map((column) => column.name);
  const result: QueryRunFindingResult = {
    query: redactSecrets(run.result.query),
    platform: run.result.platform,
    source: run.result.source,
    rowCount: run.result.rowCount,
    truncated: run.result.truncated,
    columns: columns.slice(0, 50),
    sampleRows: sampleRows(run.result.rows, columns),
    durationMs: run.engine.durationMs,
  };
  const rows = `${result.rowCount}${result.truncated ? '+' : ''} row${result.rowCount === 1 ? '' : 's'}`;
  return {
    capability: QUERY_RUN_FINDING,
    by: details.by,
    engine: run.engine,
    ...subjectFields(details.subject),
    summary: `Query run on ${platformLabel(result.platform)} (${result.source}): ${rows} in ${result.durationMs} ms`,
    result,
    at: new Date(run.generatedAt),
  };
}

function sampleRows(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]) {
  const preferred = columns.filter((name) => keyColumn.test(name));
  const chosen = [...preferred, ...columns.filter((name) => !preferred.includes(name))].slice(
    0,
    MAXIMUM_SAMPLE_COLUMNS,
  );
  return rows.slice(0, MAXIMUM_SAMPLE_ROWS).map((row) => {
    const sample: Record<string, string> = {};
    for (const name of chosen) {
      const value = row[name];
      if (value === undefined || value === null || value === '') continue;
      const textValue = typeof value === 'string' ? value : JSON.stringify(value);
      sample[name] = oneLine(redactSecrets(textValue), MAXIMUM_VALUE_LENGTH);
    }
    return sample;
  });
}
