import type { ErrorCode } from '../errors';

/**
 * One audit record: who asked the copilot for what, where, how it was answered and how it ended. Ids and
 * metadata only — never an alert's payload or a message's text — and every string passes through
 * `redactSecrets` before it is stored.
 */
export interface AuditRecord {
  id: string;
  /** ISO time the request started. */
  at: string;
  kind: 'message' | 'invoke';
  /** The route intent (message) or card verb (invoke), e.g. "explainAlertById", "triageQueue", "analyzeAlert". */
  capability: string;
  actor: { aadObjectId?: string; name?: string; userId: string; tenantId?: string };
  where: { conversationKind: string; conversationId: string; teamId?: string; channelId?: string };
  /** Ids of what the request was about (alert, incident, indicators' count, audience, platform…). */
  inputs: Record<string, string | number | undefined>;
  engine?: { kind: 'llm' | 'offline'; provider?: string; model?: string };
  tokens?: { prompt: number; completion: number; total: number };
  /** Estimated from the tokens at LLM_PRICE_PER_1K_PROMPT_TOKENS / _COMPLETION_TOKENS, when both are set. */
  estimatedCostUsd?: number;
  dataSources?: string[];
  /** The KQL the request ran or produced, redacted. */
  kql?: string;
  resultId?: string;
  durationMs: number;
  outcome: 'ok' | 'error';
  errorCode?: ErrorCode;
  correlationId: string;
}

/** What a handler can tell the audit trail about its turn (`turn.audit?.(…)`): the engine behind its answer. */
export interface AuditReport {
  engine?:
    | {
        kind: 'llm';
        provider: string;
        model: string;
        usage?: { promptTokens: number; completionTokens: number; totalTokens: number };
      }
    | { kind: 'offline' };
  dataSources?: string[];
  kql?: string;
  resultId?: string;
  inputs?: Record<string, string | number | undefined>;
}
