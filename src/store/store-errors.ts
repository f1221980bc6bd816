import { CopilotError } from '../errors';

/** Errors every Store adapter raises the same way, so callers can rely on code and retryable alone. */

/** Retryable: the caller re-reads the item and tries again with the fresh etag. */
export function storeConflict(operation: string, key: string, reason: string): CopilotError {
  return new CopilotError('store_conflict', `Store ${operation} of "${key}" refused: ${reason}`, { retryable: true });
}

export function storeClosed(operation: string, key: string): CopilotError {
  return new CopilotError('store_failure', `Store ${operation} of "${key}" after the store was closed`);
}
