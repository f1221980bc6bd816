import { THREAD_MEMORY_TTL_MS, ThreadMemory, threadKey } from '../../../../src/copilot/memory/thread-memory';
import { CopilotError } from '../../../../src/errors';
import { MemoryStore } from '../../../../src/store';

describe('ThreadMemory', () => {
  let now: Date;
  let store: MemoryStore;
  let memory: ThreadMemory;
  beforeEach(() => {
    now = new Date('2026-11-27T10:00:00.000Z');
    store = new MemoryStore();
    memory = new ThreadMemory(store, () => now);
  });

  it('remembers per conversation (thread) and merges patches', async () => {
    await memory.remember('19:c@thread.tacv2;messageid=1', { incidentId: '42' });
    await memory.remember('19:c@thread.tacv2;messageid=1', { query: { query: 'T | take 1', platform: 'sentinel' } });
    await memory.remember('19:c@thread.tacv2;messageid=2', { alertId: 'da-1' });
    expect(await memory.recall('19:c@thread.tacv2;messageid=1')).toEqual({
      incidentId: '42',
      query: { query: 'T | take 1', platform: 'sentinel' },
      updatedAt: now.toISOString(),
    });
    expect(await memory.recall('19:c@thread.tacv2;messageid=2')).toMatchObject({ alertId: 'da-1' });
    expect(await memory.recall(undefined)).toBeUndefined();
  });

  it('a new alert replaces the old alert and incident; a new incident drops an alert of another incident', async () => {
    await memory.remember('c', { alertId: 'a1', incidentId: '42' });
    await memory.remember('c', { alertId: 'a2' });
    expect(await memory.recall('c')).toMatchObject({ alertId: 'a2' });
    expect((await memory.recall('c'))?.incidentId).toBeUndefined();
    await memory.remember('c', { alertId: 'a3', incidentId: '43' });
    await memory.remember('c', { incidentId: '43' });
    expect(await memory.recall('c')).toMatchObject({ alertId: 'a3', incidentId: '43' });
    await memory.remember('c', { incidentId: '44' });
    const latest = await memory.recall('c');
    expect(latest?.incidentId).toBe('44');
    expect(latest?.alertId).toBeUndefined();
  });

  it('forgets a thread after the time-to-live', async () => {
    await memory.remember('c', { incidentId: '42' });
    now = new Date(now.getTime() + THREAD_MEMORY_TTL_MS + 1);
    expect(await memory.recall('c')).toBeUndefined();
    await memory.remember('c', { alertId: 'a9' });
    expect(await memory.recall('c')).toEqual({ alertId: 'a9', updatedAt: now.toISOString() });
  });

  it('ignores empty patches and keeps only ids and the query (no message text)', async () => {
    await memory.remember('c', {});
    expect(await store.get(threadKey('c'))).toBeUndefined();
    await memory.remember('c', { query: { query: 'x'.repeat(30000), platform: 'sentinel' } });
    expect((await memory.recall('c'))?.query).toBeUndefined();
  });

  it('applies its patch once more when another turn wrote the thread at the same moment', async () => {
    await memory.remember('c', { incidentId: '42' });
    const put = store.put.bind(store);
    let conflicts = 1;
    jest.spyOn(store, 'put').mockImplementation(async (key, value, options) => {
      if (conflicts-- > 0) throw new CopilotError('store_conflict', 'etag changed');
      return put(key, value, options);
    });
    await memory.remember('c', { query: { query: 'T | take 1', platform: 'sentinel' } });
    expect(await memory.recall('c')).toMatchObject({ incidentId: '42', query: { query: 'T | take 1' } });
  });
});
