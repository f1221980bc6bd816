import type { AuditSink } from './audit';
import type { AppConfig } from './config';
import type { AttackFacts } from './copilot/knowledge';
import type { AttackKnowledge } from './intel/attack';
import type { EnrichmentService } from './intel/enrichment';
import type { LlmClient } from './llm/port';
import type { Logger } from './logger';
import type { BotMetrics } from './metrics';
import type { CircuitState } from './http/circuit-breaker';
import type { SecurityDataSource, SourceHealth } from './sources/port';
import type { Store } from './store/port';

/**
 * Everything a handler or the CLI may use, built once at start-up (src/index.ts, src/cli) and passed
 * down. Nothing turn-scoped lives here.
 */
export interface Services {
  config: AppConfig;
  logger: Logger;
  dataSource: SecurityDataSource;
  store: Store;
  /** ATT&CK as capabilities need it (names, tactics, text mapping). */
  attack: AttackFacts;
  /** The full ATT&CK knowledge (lookups, search, details from the bundle when configured). */
  attackKnowledge: AttackKnowledge;
  /** Threat-intelligence lookups; with no provider configured every indicator is "unknown". */
  enrichment: EnrichmentService;
  /** Absent when no LLM is configured: the offline engines answer. */
  llm?: LlmClient;
  clock: () => Date;
  /** Prometheus metrics (GET /metrics); absent in the CLI and in tests that do not build the services. */
  metrics?: BotMetrics;
  /** Copies stored audit records to Log Analytics (AUDIT_LOGS_*); absent when not configured. */
  auditSink?: AuditSink;
  /** The model's circuit breaker (src/llm/circuit-client.ts); absent without an LLM or with it switched off. */
  llmCircuit?: () => CircuitState;
}

/**
 * The circuit breaker of every dependency that has one, for /readyz and /metrics: the security data source's
 * APIs, each threat-intelligence provider, and the language model.
 */
export function dependencyHealth(services: Services): SourceHealth[] {
  const enrichment = services.enrichment as Partial<Pick<EnrichmentService, 'health'>>;
  return [
    ...(services.dataSource.health?.() ?? []),
    ...(typeof enrichment.health === 'function' ? enrichment.health() : []),
    ...(services.llmCircuit ? [{ api: 'language model', circuit: services.llmCircuit() }] : []),
  ];
}
