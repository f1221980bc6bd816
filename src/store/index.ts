import { BlobStore } from './blob-store';
import { MemoryStore } from './memory-store';
import type { Store } from './port';
import { SqliteStore } from './sqlite-store';

export type { Store, StoredItem, WriteOptions } from './port';
export { MemoryStore } from './memory-store';
export { BlobStore, defaultBlobContainer } from './blob-store';
export type { BlobStoreOptions } from './blob-store';
export { SqliteStore, defaultSqliteDirectory, defaultSqliteFileName } from './sqlite-store';
export type { SqliteStoreOptions } from './sqlite-store';

/** Mirrors `AppConfig['store']` (src/config.ts). */
export type StoreConfig =
  | { kind: 'sqlite'; directory: string }
  | { kind: 'memory' }
  | { kind: 'blob'; container: string; connectionString?: string; accountUrl?: string };

/** The store the configuration asks for. Async: the Azure Blob adapter creates its container before first use. */
export async function createStore(config: StoreConfig): Promise<Store> {
  switch (config.kind) {
    case 'sqlite':
      return SqliteStore.open({ directory: config.directory });
    case 'memory':
      return new MemoryStore();
    case 'blob':
      return BlobStore.open(config);
  }
}
