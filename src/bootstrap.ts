import { redactSecrets } from './security/redact';
import { RedactingLlmClient, redactForModel } from './llm/redacting-client';
import type { LlmClient } from './llm/port';
import { MeteredLlmClient } from './llm/metered-client';
import { PseudonymisingLlmClient } from './llm/pseudonymising-client';
import { withLlmCircuit } from './llm/circuit-client';
import { BotMetrics, outboxDepth } from './metrics';
import { withLlmLimits } from './llm/limits';
import type { AppConfig } from './config';
import { describeConfig } from './config';
import { AttackKnowledge, attackKnowledge } from './intel/attack';
import { attackFactsView } from './intel/attack/facts';
import { createEnrichmentService } from './intel/enrichment';
import { createLlmFromConfig } from './llm';
import type { Logger } from './logger';
import { createHttpServer, type ReadinessReport, type RunningServer } from './server/http-server';
import { reportDownloadHandler } from './server/report-downloads';
import { startFindingsRetention } from './findings';
import { dependencyHealth, type Services } from './services';
import { circuitChecks, createSecurityDataSource, probeSecurityDataSource } from './sources';
import { createStore } from './store';
import { AuditTrail, startAuditRetention, type AuditSink } from './audit';
import { createLogsIngestionAuditSink } from './audit/logs-ingestion';
import { createBotAdapter } from './teams/adapter';
import { validateKql } from './kql/validator';
import { createTeamsBot } from './teams/bot';
import { startTracing, withLlmTracing } from './telemetry';
import { createAlertFeedRuntime, type AlertFeedRuntime, type AlertFeedRuntimeOptions } from './teams/feed/runtime';

function withSecretRedaction(llm: LlmClient | undefined): LlmClient | undefined {
  return llm === undefined ? undefined : new RedactingLlmClient(llm, redactForModel(redactSecrets));
}

function withPseudonyms(llm: LlmClient | undefined, enabled: boolean): LlmClient | undefined {
  return llm === undefined || !enabled ? llm : new PseudonymisingLlmClient(llm);
}

function withMetering(llm: LlmClient | undefined, metrics: BotMetrics): LlmClient | undefined {
  return llm === undefined ? undefined : new MeteredLlmClient(llm, metrics);
}

/** AUDIT_LOGS_*: stored audit records are also sent to Log Analytics, counted in the metrics. */
function createAuditSink(config: AppConfig, logger: Logger, metrics: BotMetrics): AuditSink | undefined {
  const target = config.audit.logsIngestion;
  if (target === undefined) return undefined;
  return createLogsIngestionAuditSink(target, {
    credentialSettings: config.securitySources.credential,
    logger,
    onOutcome: (outcome, records) => metrics.observeAuditSink(outcome, records),
  });
}

/** Builds the services from configuration; tests pass overrides (a fake LLM, a memory store, a clock). */
export async function createServices(
  config: AppConfig,
  logger: Logger,
  overrides: Partial<Omit<Services, 'config' | 'logger'>> = {},
): Promise<Services> {
  const clock = overrides.clock ?? (() => new Date());
  const store = overrides.store ?? (await createStore(config.store));
  const knowledge =
    overrides.attackKnowledge ??
    (config.attackStixPath ? new AttackKnowledge({ stixPath: config.attackStixPath }) : attackKnowledge());
  // One registry per process (never prom-client's global one): GET /metrics.
  const metrics = overrides.metrics ?? new BotMetrics();
  // Every prompt passes the secret redaction on its way out, whichever client answers (tests' fakes included).
  // With LLM_PSEUDONYMIZE, users and hosts go out as pseudonyms and come back as names. The circuit breaker turns
  // a provider that keeps failing into fast offline answers (LLM_CIRCUIT_*).
  const model = withLlmCircuit(
    withPseudonyms(
      withSecretRedaction(
        withMetering('llm' in overrides ? overrides.llm : createLlmFromConfig(config.llm, logger), metrics),
      ),
      config.llmPseudonymize,
    ),
    config.llmCircuit,
    () => clock().getTime(),
  );
  return {
    config,
    logger,
    clock,
    store,
    dataSource: overrides.dataSource ?? createSecurityDataSource(config.securitySources, { clock, logger }),
    attackKnowledge: knowledge,
    attack: overrides.attack ?? attackFactsView(knowledge),
    enrichment:
      overrides.enrichment ??
      createEnrichmentService(config.enrichment, { store, logger, clock: () => clock().getTime() }),
    // The concurrency cap and the daily token budget wrap the client too (src/llm/limits.ts). With tracing on, the
    // outermost span covers a request's wait for a slot and a refusal by the limits as well.
    llm: withLlmTracing(
      withLlmLimits(model.llm, config.llmLimits, { store, clock, logger }),
      config.tracing !== undefined,
    ),
    llmCircuit: model.circuit,
    metrics,
    auditSink: 'auditSink' in overrides ? overrides.auditSink : createAuditSink(config, logger, metrics),
  };
}

export interface RunningBot {
  server: RunningServer;
  services: Services;
  /** The alert feed (webhook, poller, outbox worker). */
  alertFeed: AlertFeedRuntime;
  /** Stop accepting, finish in-flight turns, close the store. */
  shutdown(gracePeriodMs?: number): Promise<void>;
}

export async function startBot(
  config: AppConfig,
  logger: Logger,
  overrides: Partial<Omit<Services, 'config' | 'logger'>> = {},
  feedOptions: AlertFeedRuntimeOptions = {},
): Promise<RunningBot> {
  const checks: ReadinessReport['checks'] = { store: 'starting', dataSource: 'starting', attack: 'starting' };
  // OpenTelemetry first, so every request is traced; with no OTLP endpoint nothing of the SDK is loaded.
  const tracing = await startTracing(config.tracing, logger);
  const services = await createServices(config, logger, overrides);
  checks.store = 'ok';
  // Gauges read at scrape time: the data source's circuit breakers and the alert feed's pending posts.
  services.metrics?.enableProcessMetrics();
  services.metrics?.setProbes({
    circuits: () => dependencyHealth(services),
    outboxDepth: () => outboxDepth(services.store),
  });
  // One cheap call per configured source, in the background: the bot answers meanwhile, and /readyz shows
  // "degraded" for a source whose credentials or API fail (per source as dataSource:<name>).
  checks.dataSource = services.dataSource.probe ? 'starting' : 'ok';
  if (services.dataSource.probe) {
    void probeSecurityDataSource(services.dataSource, { logger }).then((states) => {
      if (Object.keys(states).length > 1) {
        for (const [name, state] of Object.entries(states)) checks[`dataSource:${name}`] = state;
      }
      checks.dataSource = Object.values(states).every((state) => state === 'ok') ? 'ok' : 'degraded';
    });
  }
  checks.attack = services.attack.technique('T1059') ? 'ok' : 'degraded';
  if (services.attackKnowledge.detailsConfigured) {
    // A wrong ATTACK_STIX_PATH is reported now, not on the first question; the compact facts keep working.
    try {
      const summary = await services.attackKnowledge.loadDetails();
      logger.info(
        { techniques: summary?.techniques, loadMilliseconds: summary?.loadMilliseconds },
        'ATT&CK bundle loaded',
      );
    } catch (error) {
      checks.attack = 'degraded';
      logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'ATT&CK bundle not loaded');
    }
  }
  checks.llm = services.llm ? 'ok' : 'degraded';

  const adapter = createBotAdapter(config.bot, logger);
  const alertFeed = createAlertFeedRuntime(services, adapter, {
    ...feedOptions,
    worker: {
      onPosted: (job) => services.metrics?.observeAlertPosted((Date.now() - job.enqueuedAt) / 1000),
      ...feedOptions.worker,
    },
  });
  const bot = createTeamsBot(services, adapter, alertFeed.feed);
  const http = createHttpServer({
    logger,
    messages: bot,
    alerts: alertFeed.webhook,
    reports: reportDownloadHandler({ store: services.store, settings: config.reports, clock: services.clock, logger }),
    metrics: services.metrics && { registry: services.metrics, token: config.metrics.token },
    readiness: () => ({
      // A degraded source does not take the bot out of rotation: it still answers what needs no data source.
      ready: checks.store === 'ok' && checks.dataSource !== 'down',
      checks: { ...checks, ...circuitChecks(dependencyHealth(services)) },
    }),
  });
  const server = await http.listen(config.port, config.host);
  // Pending posts from before a restart or crash resume now.
  alertFeed.start();
  // The Kusto language service takes seconds to load and to analyse its first query. Do it now, once,
  // rather than in an analyst's first hunting turn; /readyz shows "starting" for kql until it is done.
  checks.kql = config.kqlWarmUp ? 'starting' : 'ok';
  const warmUp = setTimeout(() => {
    if (!config.kqlWarmUp) return;
    try {
      for (const platform of ['sentinel', 'defender'] as const) {
        validateKql('SecurityAlert | where TimeGenerated > ago(1h) | take 1', { platform });
      }
      checks.kql = 'ok';
    } catch (error) {
      checks.kql = 'degraded';
      logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'KQL validator warm-up failed');
    }
  }, 0);
  // Audit retention: records older than AUDIT_RETENTION_DAYS go, a minute after start and then daily.
  const stopAuditRetention = startAuditRetention(
    new AuditTrail(services.store, services.clock),
    config.audit.retentionDays,
    (result) => {
      if ('error' in result) logger.warn({ err: result.error }, 'audit retention cleanup failed');
      else if (result.removed > 0) logger.info({ removed: result.removed }, 'audit retention: old records removed');
    },
  );
  // Findings older than FINDINGS_RETENTION_DAYS and expired stored reports go, a minute after start, then hourly.
  if (config.reports.linkSecret === undefined) {
    logger.warn(
      'REPORT_LINK_SECRET is not set: report download links use a per-process key and stop working on restart',
    );
  }
  const stopFindingsRetention = startFindingsRetention(
    services.store,
    { retentionDays: config.reports.findingsRetentionDays, clock: services.clock },
    (result) => {
      if ('error' in result) logger.warn({ err: result.error }, 'findings retention cleanup failed');
      else if (result.removed > 0) logger.info({ removed: result.removed }, 'findings retention: old entries removed');
    },
  );
  logger.info({ ...describeConfig(config), url: server.url }, `${config.botName} is listening`);
  return {
    server,
    services,
    alertFeed,
    async shutdown(gracePeriodMs = 10_000) {
      clearTimeout(warmUp);
      stopFindingsRetention();
      stopAuditRetention();
      await server.stop(gracePeriodMs);
      await bot.drain(gracePeriodMs);
      await alertFeed.stop();
      // The last turns' audit records go to Log Analytics within a short deadline; the store has them regardless.
      await services.auditSink?.close(Math.min(5_000, gracePeriodMs));
      await services.store.close();
      // Last, so the spans of the turns that just finished are exported before the process exits.
      await tracing?.shutdown();
    },
  };
}
