import type { TokenCredential } from '@azure/identity';
import { z } from 'zod';
import { JsonHttpClient, type FetchFunction, type Sleep } from '../../http';
import type { Logger } from '../../logger';
import type { AuditTableRow } from './columns';

/**
 * The Azure Monitor Logs Ingestion API (https://learn.microsoft.com/azure/azure-monitor/logs/logs-ingestion-api-overview):
 * `POST {data collection endpoint}/dataCollectionRules/{immutable id}/streams/{stream}?api-version=2023-01-01` with a
 * JSON array of rows and a bearer token for Azure Monitor; 204 when accepted. It goes through the shared JSON
 * client: token cache and one refresh after a 401, Retry-After honoured on 429 and 503, a circuit breaker, no
 * redirects, and errors that carry no token, header or body.
 */

export const LOGS_INGESTION_API_VERSION = '2023-01-01';
export const LOGS_INGESTION_API = 'Azure Monitor Logs Ingestion';

export interface LogsIngestionSettings {
  /** The data collection endpoint's logs ingestion URL, e.g. https://soc-dce-abcd.westeurope-1.ingest.monitor.azure.com. */
  endpoint: string;
  /** The data collection rule's immutable id, dcr-<32 hex>. */
  dcrImmutableId: string;
  /** The DCR's input stream, e.g. Custom-SocCopilotAudit_CL. */
  stream: string;
}

/** The token audience of Azure Monitor in the cloud the endpoint is in (public, US Government, China). */
export function logsIngestionScope(endpoint: string): string {
  const host = new URL(endpoint).hostname.toLowerCase();
  if (host.endsWith('.azure.us')) return 'https://monitor.azure.us/.default';
  if (host.endsWith('.azure.cn')) return 'https://monitor.azure.cn/.default';
  return 'https://monitor.azure.com/.default';
}

export interface LogsIngestionClientOptions {
  credential: TokenCredential;
  logger?: Logger;
  fetch?: FetchFunction;
  sleep?: Sleep;
  timeoutMs?: number;
  maxRetries?: number;
}

export class LogsIngestionClient {
  private readonly http: JsonHttpClient;
  private readonly path: string;

  constructor(settings: LogsIngestionSettings, options: LogsIngestionClientOptions) {
    this.http = new JsonHttpClient({
      api: LOGS_INGESTION_API,
      baseUrl: settings.endpoint,
      credential: options.credential,
      scope: logsIngestionScope(settings.endpoint),
      fetch: options.fetch,
      sleep: options.sleep,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 3,
      // The answer is an empty 204, or a small error object.
      maxBodyBytes: 64 * 1024,
      logger: options.logger,
    });
    this.path = `dataCollectionRules/${encodeURIComponent(settings.dcrImmutableId)}/streams/${encodeURIComponent(settings.stream)}`;
  }

  async upload(rows: AuditTableRow[], signal?: AbortSignal): Promise<void> {
    if (rows.length === 0) return;
    await this.http.send({
      operation: 'upload audit records',
      method: 'POST',
      path: this.path,
      query: { 'api-version': LOGS_INGESTION_API_VERSION },
      body: rows,
      schema: z.unknown(),
      signal,
      // Each row carries its RecordId, so a batch sent twice after a time-out is told apart in KQL; losing it is worse.
      idempotent: true,
    });
  }

  health() {
    return this.http.health();
  }
}
