import { isCopilotError } from '../errors';
import type { LlmClient, TokenUsage } from '../llm/port';
import type { Logger } from '../logger';

/** Which engine produced a result; shown in every card footer and kept in the audit trail. */
export type EngineInfo =
  | { kind: 'llm'; provider: string; model: string; usage: TokenUsage; durationMs: number }
  | { kind: 'offline'; durationMs: number };

/** A capability's typed result with how it was made. `notes` are shown to the analyst (e.g. fallbacks). */
export interface CapabilityResult<T> {
  capability: string;
  result: T;
  engine: EngineInfo;
  notes: string[];
  /** Ids of the inputs (alert, incident) the result is about. */
  subject: { alertId?: string; incidentId?: string };
  generatedAt: string;
}

/** What a capability's model path gives back: its checked result, the notes on it and the model's use. */
export interface ModelAnswer<T> {
  result: T;
  notes: string[];
  model: string;
  usage: TokenUsage;
}

export interface FallbackRequest<T> {
  capability: string;
  subject: CapabilityResult<T>['subject'];
  /** Date.now() when the capability started, for the engine's duration. */
  started: number;
  /** False when the model has nothing to add (e.g. a single alert to rank): the offline engine answers. */
  askModel?: boolean;
  /** Log message when the model fails; the fields are logged after the error code. */
  fallbackLog: string;
  logFields?: Record<string, unknown>;
  /** The sentence after the error's user message in the note that says the offline engine answered. */
  fallbackNote: string;
  /** Notes that lead the offline answer's notes (not the model's: `online` returns all of those). */
  notes?: readonly string[];
  online: (llm: LlmClient) => Promise<ModelAnswer<T>>;
  /** The offline answer, made after the model failed or was not asked; it may add notes after the fallback note. */
  offline: (notes: string[]) => T;
}

/**
 * Answers with the model when one is configured (and asked), or with the offline engine when there is none or
 * the model fails; the offline answer's notes then say why. Only the LLM's own failures (codes `llm_*`) have an
 * offline answer: anything else is a bug the caller must see, and a caller that cancelled wants no answer at all.
 */
export async function answerWithFallback<T>(
  request: FallbackRequest<T>,
  dependencies: { llm?: LlmClient; logger: Logger; clock?: () => Date },
  signal: AbortSignal | undefined,
): Promise<CapabilityResult<T>> {
  const { capability, subject, started } = request;
  const clock = dependencies.clock ?? (() => new Date());
  const notes = [...(request.notes ?? [])];
  const llm = dependencies.llm;
  if (llm && request.askModel !== false) {
    try {
      const answer = await request.online(llm);
      return {
        capability,
        result: answer.result,
        engine: {
          kind: 'llm',
          provider: llm.provider,
          model: answer.model,
          usage: answer.usage,
          durationMs: Date.now() - started,
        },
        notes: answer.notes,
        subject,
        generatedAt: clock().toISOString(),
      };
    } catch (error) {
      if (!isCopilotError(error) || !error.code.startsWith('llm_') || signal?.aborted) throw error;
      dependencies.logger.warn({ code: error.code, ...request.logFields }, request.fallbackLog);
      notes.push(`${error.userMessage} ${request.fallbackNote}`);
    }
  }
  const result = request.offline(notes);
  return {
    capability,
    result,
    engine: { kind: 'offline', durationMs: Date.now() - started },
    notes,
    subject,
    generatedAt: clock().toISOString(),
  };
}
