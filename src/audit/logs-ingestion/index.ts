import type { TokenCredential } from '@azure/identity';
import type { FetchFunction, Sleep } from '../../http';
import { LazyAzureCredential } from '../../sources/http/lazy-credential';
import type { AzureCredentialSettings } from '../../sources/settings';
import { LogsIngestionClient, type LogsIngestionSettings } from './client';
import { BatchingAuditSink, type BatchingAuditSinkOptions } from './sink';

export { auditTableColumns, toAuditTableRow, type AuditColumnName, type AuditTableRow } from './columns';
export {
  LOGS_INGESTION_API,
  LOGS_INGESTION_API_VERSION,
  LogsIngestionClient,
  logsIngestionScope,
  type LogsIngestionSettings,
} from './client';
export { BatchingAuditSink, batchingDefaults, type AuditSinkOutcome, type UploadRows } from './sink';

export interface LogsIngestionSinkOptions extends Omit<BatchingAuditSinkOptions, 'upload'> {
  /** How the bot signs in (the same settings as the security sources); tests pass `credential` instead. */
  credentialSettings?: AzureCredentialSettings;
  credential?: TokenCredential;
  fetch?: FetchFunction;
  sleep?: Sleep;
  timeoutMs?: number;
  maxRetries?: number;
}

/**
 * The audit sink that copies every stored audit record to a Log Analytics custom table (AUDIT_LOGS_*). The
 * credential is the bot's Azure identity (managed identity on Azure), which needs the Monitoring Metrics
 * Publisher role on the data collection rule.
 */
export function createLogsIngestionAuditSink(
  settings: LogsIngestionSettings,
  options: LogsIngestionSinkOptions,
): BatchingAuditSink {
  const credential = options.credential ?? new LazyAzureCredential(options.credentialSettings ?? { kind: 'default' });
  const client = new LogsIngestionClient(settings, {
    credential,
    logger: options.logger,
    fetch: options.fetch,
    sleep: options.sleep,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
  return new BatchingAuditSink({ ...options, upload: (rows, signal) => client.upload(rows, signal) });
}
