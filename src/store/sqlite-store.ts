import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CopilotError, isCopilotError } from '../errors';
import { parseValue, serializeValue } from './json-value';
import { prefixUpperBound } from './key-order';
import { storeClosed, storeConflict } from './store-errors';
import type { Store, StoredItem, WriteOptions } from './port';
import { assertValidKey, assertValidLimit, assertValidPrefix, assertValidWriteOptions } from './validation';

export interface SqliteStoreOptions {
  /** Directory holding the database file; created if missing. Default `./data` (relative to the working directory). */
  directory?: string;
  /** Default `soc-copilot.db`. */
  fileName?: string;
  /**
   * How long a write waits for another connection (or process) holding the write lock before failing with a
   * retryable `store_failure`. Default 5000 ms.
   */
  busyTimeoutMs?: number;
}

export const defaultSqliteDirectory = './data';
export const defaultSqliteFileName = 'soc-copilot.db';
const defaultBusyTimeoutMs = 5000;

// WITHOUT ROWID: the key is the only lookup path, so the table is stored as the primary-key b-tree itself.
const schema = `
  CREATE TABLE IF NOT EXISTS items (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    etag TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID`;

interface ItemRow {
  value: string;
  etag: string;
}

interface WriteParameters {
  key: string;
  value: string;
  etag: string;
  updatedAt: number;
}

/**
 * The embedded default store: one SQLite file that survives restarts and can be shared by several processes
 * on the same machine. Every conditional write is a single SQL statement (`UPDATE … WHERE etag = ?`,
 * `INSERT … ON CONFLICT DO NOTHING`), so the etag comparison and the write are atomic without an explicit
 * transaction, and SQLite's busy handler applies to each of them.
 */
export class SqliteStore implements Store {
  private closed = false;
  private readonly statements: ReturnType<typeof prepareStatements>;

  private constructor(
    private readonly database: Database.Database,
    readonly filePath: string,
  ) {
    this.statements = prepareStatements(database);
  }

  static open(options: SqliteStoreOptions = {}): SqliteStore {
    const directory = path.resolve(options.directory ?? defaultSqliteDirectory);
    const filePath = path.join(directory, options.fileName ?? defaultSqliteFileName);
    let database: Database.Database | undefined;
    try {
      // 0o700: the database holds conversation references and investigation findings, not for other users.
      fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
      database = new Database(filePath, { timeout: options.busyTimeoutMs ?? defaultBusyTimeoutMs });
      configureWhenFree(database, options.busyTimeoutMs ?? defaultBusyTimeoutMs);
      return new SqliteStore(database, filePath);
    } catch (error) {
      if (database?.open) database.close();
      throw new CopilotError('store_failure', `Could not open the SQLite store at ${filePath}`, {
        cause: error,
        retryable: isBusyError(error),
      });
    }
  }

  async get<T>(key: string): Promise<StoredItem<T> | undefined> {
    assertValidKey(key);
    return this.run('get', key, () => {
      const row = this.statements.select.get(key);
      if (row === undefined) return undefined;
      return { value: parseValue<T>(key, row.value), etag: row.etag };
    });
  }

  async put<T>(key: string, value: T, options?: WriteOptions): Promise<{ etag: string }> {
    assertValidKey(key);
    assertValidWriteOptions(options);
    const parameters: WriteParameters = {
      key,
      value: serializeValue(key, value),
      etag: randomUUID(),
      updatedAt: Date.now(),
    };
    return this.run('put', key, () => {
      if (options?.ifMatch !== undefined) {
        const { changes } = this.statements.updateIfMatch.run({ ...parameters, ifMatch: options.ifMatch });
        if (changes === 0) throw storeConflict('put', key, 'its etag no longer matches or it does not exist');
      } else if (options?.ifNoneMatch === '*') {
        const { changes } = this.statements.insertIfAbsent.run(parameters);
        if (changes === 0) throw storeConflict('put', key, 'it already exists');
      } else {
        this.statements.upsert.run(parameters);
      }
      return { etag: parameters.etag };
    });
  }

  async delete(key: string, options?: { ifMatch?: string }): Promise<boolean> {
    assertValidKey(key);
    assertValidWriteOptions(options);
    return this.run('delete', key, () => {
      if (options?.ifMatch === undefined) return this.statements.delete.run(key).changes > 0;
      const { changes } = this.statements.deleteIfMatch.run(key, options.ifMatch);
      if (changes === 0) throw storeConflict('delete', key, 'its etag no longer matches or it does not exist');
      return true;
    });
  }

  async list(prefix: string, limit?: number): Promise<string[]> {
    assertValidPrefix(prefix);
    assertValidLimit(limit);
    // A range scan on the primary key rather than LIKE: LIKE would treat % and _ in keys as wildcards and is
    // case-insensitive for ASCII. SQLite reads a negative LIMIT as "no limit".
    const sqlLimit = limit ?? -1;
    return this.run('list', prefix, () => {
      const upperBound = prefixUpperBound(prefix);
      return upperBound === undefined
        ? this.statements.listFrom.all(prefix, sqlLimit)
        : this.statements.listRange.all(prefix, upperBound, sqlLimit);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.database.close();
    } catch (error) {
      throw new CopilotError('store_failure', `Could not close the SQLite store at ${this.filePath}`, { cause: error });
    }
  }

  /** Runs one operation, translating driver errors once, here at the adapter (the design's error rule). */
  private run<Result>(operation: string, key: string, action: () => Result): Result {
    if (this.closed) throw storeClosed(operation, key);
    try {
      return action();
    } catch (error) {
      if (isCopilotError(error)) throw error;
      // The message names the operation and key, never the value: values may hold conversation content.
      throw new CopilotError('store_failure', `Store ${operation} of "${key}" failed in SQLite`, {
        cause: error,
        retryable: isBusyError(error),
      });
    }
  }
}

/**
 * Two processes opening a new database file at the same moment race to switch it to WAL, and SQLite answers the
 * loser SQLITE_BUSY at once (the busy timeout does not cover a journal-mode change). The loser waits and tries
 * again, within the same busy timeout.
 */
function configureWhenFree(database: Database.Database, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      configure(database);
      return;
    } catch (error) {
      if (!isBusyError(error) || Date.now() >= deadline) throw error;
      // open() is synchronous (the store is opened once at start-up); a short blocking pause is fine here.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(20 * attempt, 200));
    }
  }
}

function configure(database: Database.Database): void {
  // WAL lets readers proceed while one writer commits, and lets several processes share the file.
  const journalMode = database.pragma('journal_mode = WAL', { simple: true });
  if (journalMode !== 'wal') {
    // Happens on file systems without shared memory (network shares); the concurrency promises would not hold.
    throw new Error(`SQLite refused WAL journal mode (got ${String(journalMode)})`);
  }
  // FULL rather than NORMAL: in WAL mode both survive a killed process with a consistent database, but NORMAL
  // can lose the last commits on power loss or an OS crash (a hard-stopped VM). Our writes are few (one or two
  // per Teams turn) and FULL costs ≈ 0.3 ms per write here, so we take "acknowledged means durable" — a lost
  // dedupe record or alert-card id would otherwise mean a duplicate reply or an orphaned card after a reboot.
  database.pragma('synchronous = FULL');
  database.exec(schema);
}

function prepareStatements(database: Database.Database) {
  return {
    select: database.prepare<[string], ItemRow>('SELECT value, etag FROM items WHERE key = ?'),
    upsert: database.prepare<WriteParameters>(
      `INSERT INTO items (key, value, etag, updated_at) VALUES (@key, @value, @etag, @updatedAt)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at`,
    ),
    insertIfAbsent: database.prepare<WriteParameters>(
      `INSERT INTO items (key, value, etag, updated_at) VALUES (@key, @value, @etag, @updatedAt)
       ON CONFLICT (key) DO NOTHING`,
    ),
    updateIfMatch: database.prepare<WriteParameters & { ifMatch: string }>(
      'UPDATE items SET value = @value, etag = @etag, updated_at = @updatedAt WHERE key = @key AND etag = @ifMatch',
    ),
    delete: database.prepare<[string]>('DELETE FROM items WHERE key = ?'),
    deleteIfMatch: database.prepare<[string, string]>('DELETE FROM items WHERE key = ? AND etag = ?'),
    listRange: database
      .prepare<[string, string, number], string>(
        'SELECT key FROM items WHERE key >= ? AND key < ? ORDER BY key LIMIT ?',
      )
      .pluck(),
    listFrom: database
      .prepare<[string, number], string>('SELECT key FROM items WHERE key >= ? ORDER BY key LIMIT ?')
      .pluck(),
  };
}

function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
