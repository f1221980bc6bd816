import { StoreBackedStorage } from '../../../src/teams/storage';
import { MemoryStore } from '../../../src/store';

describe('StoreBackedStorage (Bot Framework Storage over our Store)', () => {
  it('reads back what it wrote, with an eTag, and returns nothing for unknown keys', async () => {
    const storage = new StoreBackedStorage(new MemoryStore());
    await storage.write({ 'msteams/conversations/c1': { lastAlertId: 'da-1' } });
    const items = await storage.read(['msteams/conversations/c1', 'missing']);
    expect(items['msteams/conversations/c1']).toMatchObject({ lastAlertId: 'da-1' });
    expect(typeof items['msteams/conversations/c1'].eTag).toBe('string');
    expect(items.missing).toBeUndefined();
  });

  it('detects a conflicting write from another instance by eTag', async () => {
    const store = new MemoryStore();
    const first = new StoreBackedStorage(store);
    const second = new StoreBackedStorage(store);
    await first.write({ key: { count: 1 } });
    const mine = (await first.read(['key'])).key;
    const theirs = (await second.read(['key'])).key;
    await second.write({ key: { ...theirs, count: 2 } });
    await expect(first.write({ key: { ...mine, count: 3 } })).rejects.toThrow(/eTag conflict/);
    expect((await first.read(['key'])).key.count).toBe(2);
  });

  it('writes unconditionally with eTag "*"', async () => {
    const storage = new StoreBackedStorage(new MemoryStore());
    await storage.write({ key: { count: 1 } });
    await storage.write({ key: { count: 5, eTag: '*' } });
    expect((await storage.read(['key'])).key.count).toBe(5);
  });

  it('deletes', async () => {
    const storage = new StoreBackedStorage(new MemoryStore());
    await storage.write({ key: { count: 1 } });
    await storage.delete(['key']);
    expect(await storage.read(['key'])).toEqual({});
  });
});
