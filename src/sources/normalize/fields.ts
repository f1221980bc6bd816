/**
 * Tolerant readers for vendor payloads. A recognised shape with a missing, null or oddly typed field
 * must still map, so every reader returns `undefined` instead of throwing and callers pick defaults.
 */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): JsonRecord | undefined {
  return isRecord(value) ? value : undefined;
}

/** A non-empty trimmed string; numbers and booleans are accepted because some APIs send ids as numbers. */
export function readString(record: JsonRecord | undefined, key: string): string | undefined {
  if (record === undefined) return undefined;
  return toText(record[key]);
}

export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** The first key that holds usable text; vendors rename columns between API versions. */
export function readFirstString(record: JsonRecord | undefined, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = readString(record, key);
    if (value !== undefined) return value;
  }
  return undefined;
}

export function readRecord(record: JsonRecord | undefined, key: string): JsonRecord | undefined {
  return record === undefined ? undefined : asRecord(record[key]);
}

/** The non-empty strings of an array field; anything that is not an array reads as empty. */
export function readStringArray(record: JsonRecord | undefined, key: string): string[] {
  if (record === undefined) return [];
  return toStringArray(record[key]);
}

export function toStringArray(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map(toText).filter((item): item is string => item !== undefined);
}

export function readArray(record: JsonRecord | undefined, key: string): unknown[] {
  if (record === undefined) return [];
  const value = record[key];
  return Array.isArray(value) ? value : [];
}

/**
 * Log Analytics returns `dynamic` columns (Entities, ExtendedProperties, AlertIds, Owner…) as JSON text,
 * while exports and other clients hand them over already parsed. Both must read the same.
 * Text that is not JSON comes back as the original string so callers can treat it as a plain list.
 */
export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const looksLikeJson = trimmed.startsWith('{') || trimmed.startsWith('[') || trimmed.startsWith('"');
  if (!looksLikeJson) return trimmed;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    // Truncated or hand-edited JSON: keep the raw text rather than lose the field; callers treat it as a list.
    return trimmed;
  }
}

/**
 * A list field that may be a JSON array, a JSON array in a string, or a comma separated string
 * ("InitialAccess, Persistence" as Sentinel writes Tactics).
 */
export function readFlexibleList(value: unknown): string[] {
  const parsed = parseMaybeJson(value);
  if (Array.isArray(parsed)) return toStringArray(parsed);
  if (typeof parsed === 'string') {
    return parsed
      .split(/[,;]/)
      .map((part) => part.trim())
      .filter((part) => part !== '');
  }
  return [];
}

export function uniqueStrings(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/**
 * A table lookup by a vendor-supplied key that only sees the table's own entries: a plain `table[key]` would
 * return Object.prototype members for keys like "constructor" or "valueOf".
 */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
