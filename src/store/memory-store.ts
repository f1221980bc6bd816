import { randomUUID } from 'node:crypto';
import { parseValue, serializeValue } from './json-value';
import { compareKeys } from './key-order';
import { storeClosed, storeConflict } from './store-errors';
import type { Store, StoredItem, WriteOptions } from './port';
import { assertValidKey, assertValidLimit, assertValidPrefix, assertValidWriteOptions } from './validation';

interface MemoryItem {
  json: string;
  etag: string;
}

/**
 * A Store for tests and throwaway runs, with the same semantics as the SQLite store. It keeps values as JSON
 * text rather than as objects: that gives callers a deep copy in and out for free, and makes values behave
 * exactly as they do in the adapters that persist them (a Date comes back as a string in both).
 */
export class MemoryStore implements Store {
  private readonly items = new Map<string, MemoryItem>();
  private closed = false;

  async get<T>(key: string): Promise<StoredItem<T> | undefined> {
    assertValidKey(key);
    this.assertOpen('get', key);
    const item = this.items.get(key);
    if (item === undefined) return undefined;
    return { value: parseValue<T>(key, item.json), etag: item.etag };
  }

  async put<T>(key: string, value: T, options?: WriteOptions): Promise<{ etag: string }> {
    assertValidKey(key);
    assertValidWriteOptions(options);
    const json = serializeValue(key, value);
    this.assertOpen('put', key);
    const existing = this.items.get(key);
    if (options?.ifMatch !== undefined && existing?.etag !== options.ifMatch) {
      throw storeConflict('put', key, 'its etag no longer matches or it does not exist');
    }
    if (options?.ifNoneMatch === '*' && existing !== undefined) throw storeConflict('put', key, 'it already exists');
    const etag = randomUUID();
    this.items.set(key, { json, etag });
    return { etag };
  }

  async delete(key: string, options?: { ifMatch?: string }): Promise<boolean> {
    assertValidKey(key);
    assertValidWriteOptions(options);
    this.assertOpen('delete', key);
    const existing = this.items.get(key);
    if (options?.ifMatch !== undefined && existing?.etag !== options.ifMatch) {
      throw storeConflict('delete', key, 'its etag no longer matches or it does not exist');
    }
    return this.items.delete(key);
  }

  async list(prefix: string, limit?: number): Promise<string[]> {
    assertValidPrefix(prefix);
    assertValidLimit(limit);
    this.assertOpen('list', prefix);
    const keys = [...this.items.keys()].filter((key) => key.startsWith(prefix)).sort(compareKeys);
    return limit === undefined ? keys : keys.slice(0, limit);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.items.clear();
  }

  private assertOpen(operation: string, key: string): void {
    if (this.closed) throw storeClosed(operation, key);
  }
}
