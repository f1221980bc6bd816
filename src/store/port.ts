/**
 * Key-value persistence with etags (optimistic concurrency). Adapters: an embedded SQLite store that
 * survives restarts (the default), Azure Blob Storage for several instances (blob-store.ts), and an in-memory
 * one for tests.
 * Keys are strings like "conversation/<id>"; values are JSON-serialisable.
 */
export interface StoredItem<T> {
  value: T;
  etag: string;
}

export interface WriteOptions {
  /** Write only if the stored etag still equals this one; otherwise throw `store_conflict`. */
  ifMatch?: string;
  /** '*' = create only; throw `store_conflict` if the key exists. */
  ifNoneMatch?: '*';
}

export interface Store {
  get<T>(key: string): Promise<StoredItem<T> | undefined>;
  put<T>(key: string, value: T, options?: WriteOptions): Promise<{ etag: string }>;
  delete(key: string, options?: { ifMatch?: string }): Promise<boolean>;
  /** Keys starting with the prefix, in key order. */
  list(prefix: string, limit?: number): Promise<string[]>;
  close(): Promise<void>;
}
