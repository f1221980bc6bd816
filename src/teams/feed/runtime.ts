import type { TeamsAdapter } from '@microsoft/teams-ai';
import { AlertFeed } from '../../feed/alert-feed';
import { feedAlertCard } from '../../feed/card';
import { AlertPoller } from '../../feed/poller';
import { FeedWorker, type FeedWorkerOptions } from '../../feed/worker';
import { createAlertWebhookHandler } from '../../server/alert-webhook';
import type { Services } from '../../services';
import { DemoSecurityDataSource } from '../../sources/demo';
import { createTeamsMessenger } from './messenger';

export interface AlertFeedRuntimeOptions {
  /** Tests and the benchmark: tiny backoffs, other rate limits, a fake messenger. */
  worker?: Partial<Omit<FeedWorkerOptions, 'feed' | 'logger' | 'render'>>;
  /** false: the worker is built but not started (a "crash" between store and post). */
  startWorker?: boolean;
}

export interface AlertFeedRuntime {
  feed: AlertFeed;
  worker: FeedWorker;
  poller?: AlertPoller;
  webhook: ReturnType<typeof createAlertWebhookHandler>;
  start(): void;
  /** Stops polling and lets the worker finish its current pass; pending jobs stay in the store. */
  stop(): Promise<void>;
}

/** The alert feed's moving parts, wired from configuration (bootstrap starts and stops them). */
export function createAlertFeedRuntime(
  services: Services,
  adapter: TeamsAdapter,
  options: AlertFeedRuntimeOptions = {},
): AlertFeedRuntime {
  const { config, logger } = services;
  const feed = new AlertFeed(services.store, services.clock, logger);
  const worker = new FeedWorker({
    feed,
    logger,
    messenger: createTeamsMessenger(adapter, config.bot?.appId ?? ''),
    render: (record) => feedAlertCard(record, { techniqueName: (id) => services.attack.technique(id)?.fullName }),
    ...options.worker,
  });
  const pollSeconds = config.alertFeed.pollIntervalSeconds;
  if (config.alertFeed.demoAlertIntervalSeconds > 0 && services.dataSource instanceof DemoSecurityDataSource) {
    services.dataSource.enableLiveAlerts(config.alertFeed.demoAlertIntervalSeconds * 1000);
  }
  const poller =
    pollSeconds > 0
      ? new AlertPoller({
          source: services.dataSource,
          feed,
          store: services.store,
          logger,
          clock: services.clock,
          intervalMs: pollSeconds * 1000,
        })
      : undefined;
  const webhook = createAlertWebhookHandler({ secret: config.alertFeed.webhookSecret, feed, logger });
  return {
    feed,
    worker,
    poller,
    webhook,
    start() {
      if (options.startWorker !== false) worker.start();
      poller?.start();
    },
    async stop() {
      await poller?.stop();
      await worker.stop();
    },
  };
}
