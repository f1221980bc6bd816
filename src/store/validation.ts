import { CopilotError } from '../errors';
import type { WriteOptions } from './port';

/**
 * Input rules shared by every Store adapter, so that what one adapter accepts, all accept, and a caller's
 * mistake is reported as `bad_input` before any I/O happens.
 */

// A lone surrogate cannot be encoded as UTF-8: the driver would replace it with U+FFFD and two different
// keys would silently become the same stored key.
const loneSurrogate = /[\uD800-\uDFFF]/u;

export function assertValidKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new CopilotError('bad_input', 'Store key must be a non-empty string');
  }
  assertEncodable(key, 'key');
}

export function assertValidPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string') throw new CopilotError('bad_input', 'Store list prefix must be a string');
  assertEncodable(prefix, 'list prefix');
}

/** `undefined` means no limit; 0 is allowed and lists nothing. */
export function assertValidLimit(limit: unknown): asserts limit is number | undefined {
  if (limit === undefined) return;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    throw new CopilotError('bad_input', 'Store list limit must be a non-negative integer');
  }
}

/** Callers from plain JavaScript can pass anything; asking for both conditions at once is a bug, not a race. */
export function assertValidWriteOptions(options: WriteOptions | undefined): void {
  if (options === undefined) return;
  if (options.ifMatch !== undefined && typeof options.ifMatch !== 'string') {
    throw new CopilotError('bad_input', 'Store ifMatch must be an etag string');
  }
  if (options.ifNoneMatch !== undefined && options.ifNoneMatch !== '*') {
    throw new CopilotError('bad_input', "Store ifNoneMatch only supports '*'");
  }
  if (options.ifMatch !== undefined && options.ifNoneMatch !== undefined) {
    throw new CopilotError('bad_input', 'Store write cannot use ifMatch and ifNoneMatch together');
  }
}

function assertEncodable(text: string, what: string): void {
  // SQLite treats NUL as a string terminator in several functions; keys must mean the same in every adapter.
  if (text.includes('\u0000')) throw new CopilotError('bad_input', `Store ${what} must not contain NUL`);
  if (loneSurrogate.test(text)) throw new CopilotError('bad_input', `Store ${what} must be well-formed Unicode`);
}
