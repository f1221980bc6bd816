export {
  BotMetrics,
  type BotMetricsOptions,
  type MetricsProbes,
  type Outcome,
  type TurnObservation,
} from './bot-metrics';
export { MeteredAuditScope } from './metered-audit-scope';
export { outboxDepth, scrapeAllowed } from './scrape';
