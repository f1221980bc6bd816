import type { AuditRecord } from '../record';
import { redactDeep } from '../../security/redact';

/**
 * The columns of the Log Analytics custom table the audit sink writes (`SocCopilotAudit_CL`), in the order the
 * table, the data collection rule's stream declaration (infra/main.bicep) and docs/deploy.md list them. One flat
 * row per audit record, so analysts hunt with plain KQL (`SocCopilotAudit_CL | where Outcome == "error"`).
 * `TenantId` is a reserved column name in Log Analytics, hence `ActorTenantId`.
 */
export const auditTableColumns = [
  { name: 'TimeGenerated', type: 'datetime', description: 'When the request started (UTC)' },
  { name: 'RecordId', type: 'string', description: 'The audit record id (also its key in the store)' },
  { name: 'Kind', type: 'string', description: 'message or invoke (a card button)' },
  { name: 'Capability', type: 'string', description: 'The routed intent or card verb, e.g. huntForThreat' },
  { name: 'Outcome', type: 'string', description: 'ok or error' },
  { name: 'ErrorCode', type: 'string', description: 'The error code when Outcome is error' },
  { name: 'ActorObjectId', type: 'string', description: 'Entra ID object id of who asked' },
  { name: 'ActorName', type: 'string', description: 'Display name of who asked' },
  { name: 'ActorUserId', type: 'string', description: 'Teams user id of who asked' },
  { name: 'ActorTenantId', type: 'string', description: 'Tenant of who asked' },
  { name: 'ConversationKind', type: 'string', description: 'personal, groupChat or channel' },
  { name: 'ConversationId', type: 'string', description: 'Teams conversation id' },
  { name: 'TeamId', type: 'string', description: 'Team id (channel requests)' },
  { name: 'ChannelId', type: 'string', description: 'Channel id (channel requests)' },
  { name: 'Inputs', type: 'dynamic', description: 'Ids of what was asked about (alertId, incidentId, platform…)' },
  { name: 'Engine', type: 'string', description: 'llm or offline' },
  { name: 'LlmProvider', type: 'string', description: 'openai, azure-openai, openai-compatible' },
  { name: 'Model', type: 'string', description: 'The model or deployment that answered' },
  { name: 'PromptTokens', type: 'int', description: 'LLM prompt tokens' },
  { name: 'CompletionTokens', type: 'int', description: 'LLM completion tokens' },
  { name: 'TotalTokens', type: 'int', description: 'LLM tokens in all' },
  { name: 'EstimatedCostUsd', type: 'real', description: 'Estimated LLM cost (LLM_PRICE_PER_1K_*)' },
  { name: 'Sources', type: 'dynamic', description: 'Security data sources read (array)' },
  { name: 'Kql', type: 'string', description: 'The KQL the request ran or produced (redacted)' },
  { name: 'ResultId', type: 'string', description: 'Id of the stored result, when there is one' },
  { name: 'DurationMs', type: 'long', description: 'From the request to its last answer' },
  { name: 'CorrelationId', type: 'string', description: 'Correlation id of the logs and error cards' },
] as const;

export type AuditColumnName = (typeof auditTableColumns)[number]['name'];

/** One row of the custom table; absent values are left out (Log Analytics stores them as empty). */
export type AuditTableRow = Partial<Record<AuditColumnName, string | number | string[] | Record<string, unknown>>>;

/**
 * An audit record as a row of the custom table. The record was redacted when it was stored; the row is passed
 * through the same redaction once more, so whatever reaches Log Analytics is never less redacted than the store.
 */
export function toAuditTableRow(record: AuditRecord): AuditTableRow {
  const inputs = Object.fromEntries(Object.entries(record.inputs ?? {}).filter(([, value]) => value !== undefined));
  const row: AuditTableRow = {
    TimeGenerated: new Date(record.at).toISOString(),
    RecordId: record.id,
    Kind: record.kind,
    Capability: record.capability,
    Outcome: record.outcome,
    ErrorCode: record.errorCode,
    ActorObjectId: record.actor.aadObjectId,
    ActorName: record.actor.name,
    ActorUserId: record.actor.userId,
    ActorTenantId: record.actor.tenantId,
    ConversationKind: record.where.conversationKind,
    ConversationId: record.where.conversationId,
    TeamId: record.where.teamId,
    ChannelId: record.where.channelId,
    Inputs: Object.keys(inputs).length > 0 ? inputs : undefined,
    Engine: record.engine?.kind,
    LlmProvider: record.engine?.provider,
    Model: record.engine?.model,
    PromptTokens: record.tokens?.prompt,
    CompletionTokens: record.tokens?.completion,
    TotalTokens: record.tokens?.total,
    EstimatedCostUsd: record.estimatedCostUsd,
    Sources: record.dataSources && record.dataSources.length > 0 ? [...record.dataSources] : undefined,
    Kql: record.kql,
    ResultId: record.resultId,
    DurationMs: record.durationMs,
    CorrelationId: record.correlationId,
  };
  const present = Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined));
  return redactDeep(present) as AuditTableRow;
}
