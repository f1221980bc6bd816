import type { TokenUsage } from '../llm/port';

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
