import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { describeStoreContract, expectCopilotError } from '../../support/store-contract';

let temporaryRoot: string;
let storeCount = 0;

beforeAll(() => {
  temporaryRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-copilot-sqlite-'));
});

afterAll(() => {
  fs.rmSync(temporaryRoot, { recursive: true, force: true });
});

/** A fresh directory per store, so every test starts from an empty database file. */
function freshDirectory(): string {
  storeCount += 1;
  return path.join(temporaryRoot, `store-${storeCount}`);
}

describeStoreContract('SqliteStore', () => SqliteStore.open({ directory: freshDirectory() }));

describe('SqliteStore on disk', () => {
  it('creates missing directories and the default file name inside them', async () => {
    const directory = path.join(freshDirectory(), 'nested', 'deeper');
    const store = SqliteStore.open({ directory });
    await store.close();
    expect(store.filePath).toBe(path.join(directory, 'soc-copilot.db'));
    expect(fs.existsSync(store.filePath)).toBe(true);
  });

  it('survives a close and reopen with values and etags intact', async () => {
    const directory = freshDirectory();
    const first = SqliteStore.open({ directory });
    const { etag } = await first.put('conversation/1', { reference: { id: 'abc' } });
    await first.put('conversation/2', 'second');
    await first.delete('conversation/2');
    await first.close();

    const reopened = SqliteStore.open({ directory });
    expect(await reopened.get('conversation/1')).toEqual({ value: { reference: { id: 'abc' } }, etag });
    expect(await reopened.list('conversation/')).toEqual(['conversation/1']);
    await expect(reopened.put('conversation/1', 'next', { ifMatch: etag })).resolves.toHaveProperty('etag');
    await reopened.close();
  });

  it('uses WAL journal mode and the one items table', async () => {
    const store = SqliteStore.open({ directory: freshDirectory(), fileName: 'pragmas.db' });
    await store.put('conversation/1', 1);
    const inspector = new Database(store.filePath);
    try {
      expect(inspector.pragma('journal_mode', { simple: true })).toBe('wal');
      const columns = inspector.prepare('SELECT name, type FROM pragma_table_info(?)').all('items');
      expect(columns).toEqual([
        { name: 'key', type: 'TEXT' },
        { name: 'value', type: 'TEXT' },
        { name: 'etag', type: 'TEXT' },
        { name: 'updated_at', type: 'INTEGER' },
      ]);
      const row = inspector.prepare('SELECT value, updated_at AS updatedAt FROM items').get() as {
        value: string;
        updatedAt: number;
      };
      expect(row.value).toBe('1');
      expect(Math.abs(row.updatedAt - Date.now())).toBeLessThan(60_000);
    } finally {
      inspector.close();
      await store.close();
    }
  });

  it('reports a value that is not valid JSON on disk as store_failure', async () => {
    const store = SqliteStore.open({ directory: freshDirectory() });
    await store.put('conversation/1', 1);
    const tamperer = new Database(store.filePath);
    tamperer.prepare('UPDATE items SET value = ? WHERE key = ?').run('{not json', 'conversation/1');
    tamperer.close();
    await expectCopilotError(store.get('conversation/1'), 'store_failure');
    await store.close();
  });

  it('translates SQLite errors into store_failure carrying the driver error as cause', async () => {
    const store = SqliteStore.open({ directory: freshDirectory() });
    const saboteur = new Database(store.filePath);
    saboteur.exec('DROP TABLE items');
    saboteur.close();
    const error = await store.get('conversation/1').catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'store_failure', retryable: false });
    expect((error as Error).cause).toMatchObject({ code: 'SQLITE_ERROR' });
    await store.close();
  });

  it('fails a write as retryable store_failure when another connection holds the lock past the busy timeout', async () => {
    const store = SqliteStore.open({ directory: freshDirectory(), busyTimeoutMs: 50 });
    const blocker = new Database(store.filePath);
    blocker.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const error = await store.put('conversation/1', 1).catch((reason: unknown) => reason);
      expect(error).toMatchObject({ code: 'store_failure', retryable: true });
      expect((error as Error).cause).toMatchObject({ code: 'SQLITE_BUSY' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    // Once the lock is released the same store writes normally.
    await expect(store.put('conversation/1', 1)).resolves.toHaveProperty('etag');
    await store.close();
  });

  it('fails to open as store_failure when the directory cannot be created', async () => {
    const blockingFile = path.join(freshDirectory() + '-file');
    fs.writeFileSync(blockingFile, 'not a directory');
    expect(() => SqliteStore.open({ directory: path.join(blockingFile, 'inside') })).toThrow(
      expect.objectContaining({ code: 'store_failure' }),
    );
  });

  it('names the key but never the value in error messages', async () => {
    const store = SqliteStore.open({ directory: freshDirectory() });
    await store.put('secret/1', 'first');
    const conflict = await store.put('secret/1', 'the-secret-value', { ifMatch: 'stale' }).then(
      () => 'no error',
      (reason: unknown) => String(reason),
    );
    expect(conflict).toMatch(/^CopilotError: .*secret\/1/);
    expect(conflict).not.toContain('the-secret-value');
    await store.close();
  });
});
