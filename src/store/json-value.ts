import { CopilotError } from '../errors';

/**
 * Values are stored as JSON text in every adapter, so they behave the same everywhere: a Date comes back as
 * its ISO string, object properties holding `undefined` disappear, and what a caller gets back is always a
 * fresh copy it may mutate freely.
 */
export function serializeValue(key: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    // Cycles and BigInt land here. The message names the key only: values may hold conversation content.
    throw new CopilotError('bad_input', `Value for store key "${key}" is not JSON-serialisable`, { cause: error });
  }
  // JSON.stringify returns undefined (not a string) for undefined, functions and symbols.
  if (typeof json !== 'string') {
    throw new CopilotError('bad_input', `Value for store key "${key}" is not JSON-serialisable (got ${typeof value})`);
  }
  return json;
}

export function parseValue<T>(key: string, json: string): T {
  try {
    return JSON.parse(json) as T;
  } catch (error) {
    throw new CopilotError('store_failure', `Stored value for key "${key}" is not valid JSON`, { cause: error });
  }
}
