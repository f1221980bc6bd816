export {
  BotMetrics,
  circuitStates,
  latencyBuckets,
  postLagBuckets,
  type BotMetricsOptions,
  type CircuitState,
  type MetricsProbes,
  type Outcome,
  type TurnObservation,
} from './bot-metrics';
export { MeteredAuditScope } from './metered-audit-scope';
export { outboxDepth, outboxDepthCap, scrapeAllowed } from './scrape';
