import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryStore, SqliteStore, createStore } from '../../../src/store';

describe('createStore', () => {
  it('opens a SqliteStore in the configured directory', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-copilot-create-'));
    try {
      const store = await createStore({ kind: 'sqlite', directory });
      expect(store).toBeInstanceOf(SqliteStore);
      await store.put('conversation/1', 1);
      await store.close();
      expect(fs.existsSync(path.join(directory, 'soc-copilot.db'))).toBe(true);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('creates a MemoryStore', async () => {
    const store = await createStore({ kind: 'memory' });
    expect(store).toBeInstanceOf(MemoryStore);
    await store.close();
  });
});
