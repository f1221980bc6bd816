import type { AuditRecord } from './record';

export const csvColumns = [
  'at',
  'kind',
  'capability',
  'outcome',
  'errorCode',
  'actorAadObjectId',
  'actorName',
  'tenantId',
  'conversationKind',
  'teamId',
  'channelId',
  'conversationId',
  'inputs',
  'engine',
  'model',
  'promptTokens',
  'completionTokens',
  'totalTokens',
  'dataSources',
  'kql',
  'resultId',
  'durationMs',
  'correlationId',
  'id',
] as const;

export function toJsonLine(record: AuditRecord): string {
  return JSON.stringify(record);
}

export function csvHeader(): string {
  return csvColumns.join(',');
}

export function toCsvLine(record: AuditRecord): string {
  const values: Record<(typeof csvColumns)[number], unknown> = {
    at: record.at,
    kind: record.kind,
    capability: record.capability,
    outcome: record.outcome,
    errorCode: record.errorCode,
    actorAadObjectId: record.actor.aadObjectId,
    actorName: record.actor.name,
    tenantId: record.actor.tenantId,
    conversationKind: record.where.conversationKind,
    teamId: record.where.teamId,
    channelId: record.where.channelId,
    conversationId: record.where.conversationId,
    inputs: Object.keys(record.inputs).length > 0 ? JSON.stringify(record.inputs) : undefined,
    engine: record.engine?.kind,
    model: record.engine?.model,
    promptTokens: record.tokens?.prompt,
    completionTokens: record.tokens?.completion,
    totalTokens: record.tokens?.total,
    dataSources: record.dataSources?.join(';'),
    kql: record.kql,
    resultId: record.resultId,
    durationMs: record.durationMs,
    correlationId: record.correlationId,
    id: record.id,
  };
  return csvColumns.map((column) => csvCell(values[column])).join(',');
}

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet does not run it as a formula. */
function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** "7d", "24h", "30m" or an ISO date → the start time. */
export function parseSince(text: string, now: Date): Date | undefined {
  const relative = /^(\d{1,5})([dhm])$/i.exec(text.trim());
  if (relative) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[relative[2].toLowerCase() as 'd' | 'h' | 'm'];
    return new Date(now.getTime() - Number(relative[1]) * unit);
  }
  const absolute = Date.parse(text);
  return Number.isNaN(absolute) ? undefined : new Date(absolute);
}
