import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CircuitState } from '../http/circuit-breaker';

/** Seconds: a help card answers in milliseconds, an LLM investigation in tens of seconds. */
const latencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30];
/** Seconds from an alert's outbox job to its card in the channel (rate limits and retries stretch it). */
const postLagBuckets = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];

export type Outcome = 'ok' | 'error';
const circuitStates: readonly CircuitState[] = ['closed', 'half-open', 'open'];

export interface TurnObservation {
  /** A message (typed text or a clarifying card's command) or a card action. */
  kind: 'message' | 'invoke';
  /** The routed intent for a message, the card verb for an invoke. */
  capability: string;
  outcome: Outcome;
  seconds: number;
}

/** What the gauges read when Prometheus scrapes (nothing is polled in between). */
export interface MetricsProbes {
  /** The circuit breaker of each dependency that has one (src/services.ts dependencyHealth). */
  circuits?: () => Array<{ api: string; circuit: CircuitState }>;
  /** Pending alert-feed posts and card updates. */
  outboxDepth?: () => Promise<number>;
}

export interface BotMetricsOptions {
  /** Process metrics (CPU, memory, event loop lag, GC, handles) on this registry. Default false. */
  processMetrics?: boolean;
  /** Labels on every series, e.g. { instance: 'soc-copilot-1' }. */
  defaultLabels?: Record<string, string>;
}

const prefix = 'soc_copilot_';

/**
 * The bot's Prometheus metrics on a registry of its own (never prom-client's global one), so each process,
 * and each test, has exactly its own series. Label values are bounded: capabilities, card verbs, error codes,
 * API names and model names, never user input.
 */
export class BotMetrics {
  readonly registry = new Registry();
  private probes: MetricsProbes = {};
  private processMetricsOn = false;

  private readonly turns = new Counter({
    name: `${prefix}turns_total`,
    help: 'Messages handled, by capability (the routed intent) and outcome.',
    labelNames: ['capability', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly invokes = new Counter({
    name: `${prefix}invokes_total`,
    help: 'Card actions (Action.Execute invokes) handled, by verb and outcome.',
    labelNames: ['verb', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly latency = new Histogram({
    name: `${prefix}request_duration_seconds`,
    help: 'Time from a message or card action to its last answer (work deferred past the turn included).',
    labelNames: ['kind', 'capability'] as const,
    buckets: latencyBuckets,
    registers: [this.registry],
  });

  private readonly llmRequests = new Counter({
    name: `${prefix}llm_requests_total`,
    help: 'Structured LLM requests, by provider, model and outcome.',
    labelNames: ['provider', 'model', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly llmTokens = new Counter({
    name: `${prefix}llm_tokens_total`,
    help: 'LLM tokens used, by provider, model and type (prompt or completion).',
    labelNames: ['provider', 'model', 'type'] as const,
    registers: [this.registry],
  });

  private readonly llmErrors = new Counter({
    name: `${prefix}llm_errors_total`,
    help: 'Failed LLM requests, by error code (llm_timeout, llm_rate_limited, llm_invalid_output, ...).',
    labelNames: ['provider', 'code'] as const,
    registers: [this.registry],
  });

  private readonly postLag = new Histogram({
    name: `${prefix}alert_post_lag_seconds`,
    help: 'Time from an alert being queued for a channel to its card being posted there.',
    buckets: postLagBuckets,
    registers: [this.registry],
  });

  private readonly auditSinkRecords = new Counter({
    name: `${prefix}audit_sink_records_total`,
    help: 'Audit records copied to Log Analytics (AUDIT_LOGS_*), by outcome: sent, failed, or dropped from a full queue.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(options: BotMetricsOptions = {}) {
    if (options.defaultLabels) this.registry.setDefaultLabels(options.defaultLabels);
    const probes = () => this.probes;
    new Gauge({
      name: `${prefix}alert_outbox_depth`,
      help: 'Alert-feed posts and card updates waiting in the outbox.',
      registers: [this.registry],
      async collect() {
        const read = probes().outboxDepth;
        if (read) this.set(await read());
      },
    });
    new Gauge({
      name: `${prefix}dependency_circuit_state`,
      help: 'Circuit breaker of each dependency (security APIs, threat intelligence, LLM): 1 for its state, 0 otherwise.',
      labelNames: ['api', 'state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { api, circuit } of probes().circuits?.() ?? []) {
          for (const state of circuitStates) this.set({ api, state }, state === circuit ? 1 : 0);
        }
      },
    });
    if (options.processMetrics) this.enableProcessMetrics();
  }

  /** CPU, memory, event loop lag, GC and handles (prom-client's default metrics) on this registry, once. */
  enableProcessMetrics(): void {
    if (this.processMetricsOn) return;
    this.processMetricsOn = true;
    collectDefaultMetrics({ register: this.registry });
  }

  setProbes(probes: MetricsProbes): void {
    this.probes = { ...this.probes, ...probes };
  }

  observeTurn(turn: TurnObservation): void {
    if (turn.kind === 'invoke') this.invokes.inc({ verb: turn.capability, outcome: turn.outcome });
    else this.turns.inc({ capability: turn.capability, outcome: turn.outcome });
    this.latency.observe({ kind: turn.kind, capability: turn.capability }, Math.max(0, turn.seconds));
  }

  observeLlm(request: {
    provider: string;
    model: string;
    usage?: { promptTokens: number; completionTokens: number };
    errorCode?: string;
  }): void {
    const { provider, model } = request;
    this.llmRequests.inc({ provider, model, outcome: request.errorCode === undefined ? 'ok' : 'error' });
    if (request.errorCode !== undefined) this.llmErrors.inc({ provider, code: request.errorCode });
    const usage = request.usage;
    if (usage) {
      if (usage.promptTokens > 0) this.llmTokens.inc({ provider, model, type: 'prompt' }, usage.promptTokens);
      if (usage.completionTokens > 0) {
        this.llmTokens.inc({ provider, model, type: 'completion' }, usage.completionTokens);
      }
    }
  }

  observeAuditSink(outcome: 'sent' | 'failed' | 'dropped', records: number): void {
    if (records > 0) this.auditSinkRecords.inc({ outcome }, records);
  }

  observeAlertPosted(lagSeconds: number): void {
    this.postLag.observe(Math.max(0, lagSeconds));
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every series. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
