import type { TokenCredential } from '@azure/identity';
import { CopilotError } from '../errors';
import { JsonHttpClient, type FetchFunction, type Sleep } from '../http';
import type { Logger } from '../logger';
import { CompositeSecurityDataSource } from './composite';
import { DemoSecurityDataSource } from './demo';
import { GRAPH_BASE_URL, GraphSecurityDataSource } from './graph/graph-source';
import { LazyAzureCredential, scopeFor } from './http/lazy-credential';
import type { SecurityDataSource } from './port';
import { ARM_BASE_URL, SentinelIncidentWriter } from './sentinel/arm';
import { LOG_ANALYTICS_BASE_URL, LogAnalyticsQueryClient } from './sentinel/log-analytics';
import { SentinelSecurityDataSource } from './sentinel/sentinel-source';
import { securitySourceKinds, type SecuritySourceSettings } from './settings';

export * from './normalize';
export * from './demo';
export type {
  AlertQuery,
  AlertUpdate,
  HuntingQueryOptions,
  IncidentQuery,
  IncidentUpdate,
  SecurityDataSource,
  SourceHealth,
} from './port';
export { AlertUpdateSchema, CommentSchema, IncidentUpdateSchema } from './port';
export { CompositeSecurityDataSource } from './composite';
export { GraphSecurityDataSource } from './graph/graph-source';
export { SentinelSecurityDataSource } from './sentinel/sentinel-source';
export { circuitChecks, probeSecurityDataSource } from './probe';
export type { AzureCredentialSettings, SecuritySourceKind, SecuritySourceSettings, SentinelSettings } from './settings';

export const securityDataSourceNames = securitySourceKinds;
export type SecurityDataSourceName = (typeof securityDataSourceNames)[number];

export interface SecurityDataSourceOptions {
  /** The clock the source treats as "now"; the demo builds its stories relative to it. */
  clock?: () => Date;
  logger?: Logger;
  /** Tests pass a fake; otherwise the one the settings describe, loaded on first use. */
  credential?: TokenCredential;
  fetch?: FetchFunction;
  /** Tests pass one that does not wait. */
  sleep?: Sleep;
}

/**
 * The configured security data source: `demo`, `graph`, `sentinel`, or several (`graph,sentinel`) behind a
 * composite. A bare name is accepted for `demo`; the real sources need their settings (from loadConfig), and
 * asking for one without them is a configuration error rather than a silent fallback to demo data.
 */
export function createSecurityDataSource(
  selection: string | SecuritySourceSettings,
  options: SecurityDataSourceOptions = {},
): SecurityDataSource {
  if (typeof selection === 'string') {
    if (selection === 'demo') return new DemoSecurityDataSource({ clock: options.clock });
    throw new CopilotError(
      'config_invalid',
      `SECURITY_SOURCE "${selection}" needs its settings (see the README's configuration section); supported sources: ${securityDataSourceNames.join(', ')}.`,
      { userMessage: 'The bot is configured with a security data source it cannot use.' },
    );
  }
  const sources = selection.sources.map((kind) => {
    switch (kind) {
      case 'demo':
        return new DemoSecurityDataSource({ clock: options.clock });
      case 'graph':
        return createGraphSource(selection, options);
      case 'sentinel':
        return createSentinelSource(selection, options);
    }
  });
  if (sources.length === 0) return new DemoSecurityDataSource({ clock: options.clock });
  return sources.length === 1 ? sources[0] : new CompositeSecurityDataSource(sources);
}

function clientFor(api: string, baseUrl: string, settings: SecuritySourceSettings, options: SecurityDataSourceOptions) {
  return new JsonHttpClient({
    api,
    baseUrl,
    scope: scopeFor(baseUrl),
    credential: options.credential ?? sharedCredential(settings),
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    fetch: options.fetch,
    sleep: options.sleep,
    logger: options.logger,
  });
}

const credentials = new WeakMap<SecuritySourceSettings, TokenCredential>();

/** One credential per configuration, so Graph, Log Analytics and ARM share its token cache. */
function sharedCredential(settings: SecuritySourceSettings): TokenCredential {
  let credential = credentials.get(settings);
  if (credential === undefined) {
    credential = new LazyAzureCredential(settings.credential);
    credentials.set(settings, credential);
  }
  return credential;
}

function createGraphSource(settings: SecuritySourceSettings, options: SecurityDataSourceOptions) {
  return new GraphSecurityDataSource({
    http: clientFor('Microsoft Graph', settings.graphBaseUrl ?? GRAPH_BASE_URL, settings, options),
    logger: options.logger,
    clock: options.clock,
  });
}

function createSentinelSource(settings: SecuritySourceSettings, options: SecurityDataSourceOptions) {
  if (settings.sentinel === undefined) {
    throw new CopilotError('config_invalid', 'SENTINEL_WORKSPACE_ID is required for SECURITY_SOURCE=sentinel');
  }
  const { workspaceId, arm } = settings.sentinel;
  const logAnalytics = new LogAnalyticsQueryClient(
    clientFor('Log Analytics', settings.logAnalyticsBaseUrl ?? LOG_ANALYTICS_BASE_URL, settings, options),
    workspaceId,
    options.logger,
  );
  const incidents =
    arm === undefined
      ? undefined
      : new SentinelIncidentWriter(
          clientFor('Azure Resource Manager', settings.armBaseUrl ?? ARM_BASE_URL, settings, options),
          arm,
        );
  return new SentinelSecurityDataSource({ logAnalytics, incidents, logger: options.logger, clock: options.clock });
}
