import type { ErrorCode } from '../../src/errors';
import { CopilotError, isCopilotError } from '../../src/errors';
import type { Store } from '../../src/store/port';

/**
 * The behaviour every Store adapter must share, written against the port only so the same suite runs for the
 * in-memory, SQLite and (later) Azure Blob adapters. `makeStore` must return an empty store that no other
 * test uses; the suite closes it after each test.
 */
export function describeStoreContract(name: string, makeStore: () => Store | Promise<Store>): void {
  describe(`${name} (Store contract)`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await makeStore();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('get and put', () => {
      it('returns undefined for a key never written', async () => {
        expect(await store.get('conversation/missing')).toBeUndefined();
      });

      it('returns the written value with the etag the write returned', async () => {
        const { etag } = await store.put('conversation/1', { reference: { id: 'abc' } });
        expect(await store.get('conversation/1')).toEqual({ value: { reference: { id: 'abc' } }, etag });
      });

      it.each([
        ['an object', { nested: { list: [1, 'two', null, true] } }],
        ['an array', [{ id: 1 }, { id: 2 }]],
        ['a string', 'plain text with ünïcödé and 🛡️'],
        ['an empty string', ''],
        ['zero', 0],
        ['a negative fraction', -1.5],
        ['false', false],
        ['null', null],
      ])('round-trips %s', async (_label, value) => {
        await store.put('value/1', value);
        expect((await store.get('value/1'))?.value).toEqual(value);
      });

      it('stores values as JSON, so a Date comes back as its ISO string', async () => {
        await store.put('value/date', { at: new Date('2025-01-02T03:04:05.000Z') });
        expect((await store.get('value/date'))?.value).toEqual({ at: '2025-01-02T03:04:05.000Z' });
      });

      it('overwrites without conditions and gives a new etag on every write, even of the same value', async () => {
        const etags = new Set<string>();
        for (let write = 0; write < 5; write += 1) {
          etags.add((await store.put('alert/1', { same: true })).etag);
        }
        expect(etags.size).toBe(5);
        expect((await store.get('alert/1'))?.etag).toBe([...etags].pop());
      });

      it('accepts keys with slashes, spaces, punctuation and characters beyond the BMP', async () => {
        const keys = ['a/b/c', 'with space', 'pct%_under', 'emoji/🛡️', 'quote"and\'apostrophe'];
        for (const key of keys) await store.put(key, key);
        for (const key of keys) expect((await store.get(key))?.value).toBe(key);
      });

      it.each([
        ['undefined', undefined],
        ['a function', () => 1],
        ['a symbol', Symbol('value')],
        ['a bigint', BigInt(1)],
        ['a cyclic object', cyclicObject()],
      ])('rejects %s as bad_input and stores nothing', async (_label, value) => {
        await expectCopilotError(store.put('value/bad', value), 'bad_input');
        expect(await store.get('value/bad')).toBeUndefined();
      });

      it.each([
        ['an empty key', ''],
        ['a key with a lone surrogate', 'broken\uD800key'],
        ['a key with NUL', 'nul\u0000key'],
      ])('rejects %s as bad_input', async (_label, key) => {
        await expectCopilotError(store.put(key, 1), 'bad_input');
        await expectCopilotError(store.get(key), 'bad_input');
        await expectCopilotError(store.delete(key), 'bad_input');
      });

      it('rejects ifMatch together with ifNoneMatch as bad_input', async () => {
        await expectCopilotError(store.put('both', 1, { ifMatch: 'etag', ifNoneMatch: '*' }), 'bad_input');
      });
    });

    describe('conditional writes', () => {
      it('writes with ifMatch when the etag is current, and returns a new etag', async () => {
        const first = await store.put('investigation/1', { step: 1 });
        const second = await store.put('investigation/1', { step: 2 }, { ifMatch: first.etag });
        expect(second.etag).not.toBe(first.etag);
        expect(await store.get('investigation/1')).toEqual({ value: { step: 2 }, etag: second.etag });
      });

      it('refuses ifMatch with a stale etag as a retryable store_conflict and keeps the stored value', async () => {
        const first = await store.put('investigation/1', { step: 1 });
        const second = await store.put('investigation/1', { step: 2 });
        await expectCopilotError(
          store.put('investigation/1', { step: 3 }, { ifMatch: first.etag }),
          'store_conflict',
          true,
        );
        expect(await store.get('investigation/1')).toEqual({ value: { step: 2 }, etag: second.etag });
      });

      it('refuses ifMatch on a missing key as store_conflict and creates nothing', async () => {
        await expectCopilotError(store.put('investigation/none', 1, { ifMatch: 'any-etag' }), 'store_conflict', true);
        expect(await store.get('investigation/none')).toBeUndefined();
      });

      it('never reuses an etag: one from before a delete and re-create is stale', async () => {
        const old = await store.put('card/1', 'first life');
        await store.delete('card/1');
        await store.put('card/1', 'second life');
        await expectCopilotError(store.put('card/1', 'stale', { ifMatch: old.etag }), 'store_conflict', true);
      });

      it("creates with ifNoneMatch '*' when the key is absent", async () => {
        const { etag } = await store.put('dedupe/activity-1', { seen: true }, { ifNoneMatch: '*' });
        expect(await store.get('dedupe/activity-1')).toEqual({ value: { seen: true }, etag });
      });

      it("refuses ifNoneMatch '*' when the key exists, as store_conflict, keeping the first value", async () => {
        const { etag } = await store.put('dedupe/activity-1', 'first');
        await expectCopilotError(
          store.put('dedupe/activity-1', 'second', { ifNoneMatch: '*' }),
          'store_conflict',
          true,
        );
        expect(await store.get('dedupe/activity-1')).toEqual({ value: 'first', etag });
      });

      it("lets exactly one of many concurrent ifNoneMatch '*' creates win", async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_unused, writer) => store.put('dedupe/race', writer, { ifNoneMatch: '*' })),
        );
        const winners = results.filter((result) => result.status === 'fulfilled');
        expect(winners).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'store_conflict' });
        }
      });
    });

    describe('delete', () => {
      it('deletes an existing key and returns true', async () => {
        await store.put('conversation/1', 1);
        expect(await store.delete('conversation/1')).toBe(true);
        expect(await store.get('conversation/1')).toBeUndefined();
      });

      it('returns false for a missing key', async () => {
        expect(await store.delete('conversation/missing')).toBe(false);
      });

      it('deletes with the current etag', async () => {
        const { etag } = await store.put('conversation/1', 1);
        expect(await store.delete('conversation/1', { ifMatch: etag })).toBe(true);
        expect(await store.get('conversation/1')).toBeUndefined();
      });

      it('refuses a delete with a stale etag as store_conflict and keeps the item', async () => {
        const stale = await store.put('conversation/1', 1);
        const current = await store.put('conversation/1', 2);
        await expectCopilotError(store.delete('conversation/1', { ifMatch: stale.etag }), 'store_conflict', true);
        expect(await store.get('conversation/1')).toEqual({ value: 2, etag: current.etag });
      });

      it('refuses a delete with ifMatch on a missing key as store_conflict', async () => {
        await expectCopilotError(store.delete('conversation/missing', { ifMatch: 'any-etag' }), 'store_conflict', true);
      });
    });

    describe('list', () => {
      beforeEach(async () => {
        for (const key of ['conversation/b', 'alert/2', 'conversation/a', 'alert/1', 'alerts/x', 'conversation/c']) {
          await store.put(key, key);
        }
      });

      it('lists the keys that start with the prefix, in key order', async () => {
        expect(await store.list('conversation/')).toEqual(['conversation/a', 'conversation/b', 'conversation/c']);
        expect(await store.list('alert/')).toEqual(['alert/1', 'alert/2']);
        expect(await store.list('alert')).toEqual(['alert/1', 'alert/2', 'alerts/x']);
      });

      it('lists every key for an empty prefix and nothing for an unknown one', async () => {
        expect(await store.list('')).toHaveLength(6);
        expect(await store.list('nothing/')).toEqual([]);
      });

      it('returns at most limit keys, the first ones in key order', async () => {
        expect(await store.list('conversation/', 2)).toEqual(['conversation/a', 'conversation/b']);
        expect(await store.list('conversation/', 0)).toEqual([]);
        expect(await store.list('conversation/', 100)).toHaveLength(3);
      });

      it('rejects a negative or fractional limit as bad_input', async () => {
        await expectCopilotError(store.list('conversation/', -1), 'bad_input');
        await expectCopilotError(store.list('conversation/', 1.5), 'bad_input');
      });

      it('does not list deleted keys', async () => {
        await store.delete('conversation/b');
        expect(await store.list('conversation/')).toEqual(['conversation/a', 'conversation/c']);
      });

      it('treats % and _ in the prefix literally, not as wildcards', async () => {
        for (const key of ['a%b/1', 'axb/1', 'a_c/1', 'ayc/1', 'A%B/1']) await store.put(key, key);
        expect(await store.list('a%b')).toEqual(['a%b/1']);
        expect(await store.list('a_c')).toEqual(['a_c/1']);
        expect(await store.list('a%')).toEqual(['a%b/1']);
      });

      it('is case-sensitive', async () => {
        await store.put('Conversation/Z', 1);
        expect(await store.list('Conversation/')).toEqual(['Conversation/Z']);
        expect(await store.list('conversation/')).not.toContain('Conversation/Z');
      });

      it('lists keys whose next character is beyond U+FFFF, and orders them after U+FFFF', async () => {
        await store.put('unicode/\uffff', 1);
        await store.put('unicode/🛡️', 2);
        await store.put('unicode/a', 3);
        expect(await store.list('unicode/')).toEqual(['unicode/a', 'unicode/\uffff', 'unicode/🛡️']);
      });
    });

    describe('isolation from callers', () => {
      it('is not changed when the caller mutates the object it wrote', async () => {
        const value = { list: [1, 2], nested: { flag: true } };
        await store.put('isolated/1', value);
        value.list.push(3);
        value.nested.flag = false;
        expect((await store.get('isolated/1'))?.value).toEqual({ list: [1, 2], nested: { flag: true } });
      });

      it('is not changed when the caller mutates the object it read', async () => {
        await store.put('isolated/1', { list: [1, 2] });
        const read = await store.get<{ list: number[] }>('isolated/1');
        read?.value.list.push(3);
        expect((await store.get('isolated/1'))?.value).toEqual({ list: [1, 2] });
      });
    });

    describe('concurrent read-modify-write', () => {
      it('loses no increment when 20 writers add 10 each, retrying on store_conflict', async () => {
        const writers = 20;
        const incrementsPerWriter = 10;
        const conflictCounts = await Promise.all(
          Array.from({ length: writers }, async () => {
            let conflicts = 0;
            for (let increment = 0; increment < incrementsPerWriter; increment += 1) {
              conflicts += await incrementCounter(store, 'counter/shared');
            }
            return conflicts;
          }),
        );
        expect((await store.get('counter/shared'))?.value).toEqual({ count: writers * incrementsPerWriter });
        // Proves the writers really raced: without conflicts this test would not exercise ifMatch at all.
        expect(conflictCounts.reduce((sum, conflicts) => sum + conflicts, 0)).toBeGreaterThan(0);
      });
    });

    describe('close', () => {
      it('fails every operation after close with store_failure, and tolerates a second close', async () => {
        await store.put('conversation/1', 1);
        await store.close();
        await expectCopilotError(store.get('conversation/1'), 'store_failure');
        await expectCopilotError(store.put('conversation/1', 2), 'store_failure');
        await expectCopilotError(store.delete('conversation/1'), 'store_failure');
        await expectCopilotError(store.list('conversation/'), 'store_failure');
        await expect(store.close()).resolves.toBeUndefined();
      });
    });
  });
}

/** Adds one to `{ count }` at the key with optimistic concurrency; returns how many conflicts it retried. */
export async function incrementCounter(store: Store, key: string, maxAttempts = 1000): Promise<number> {
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const current = await store.get<{ count: number }>(key);
    try {
      if (current === undefined) await store.put(key, { count: 1 }, { ifNoneMatch: '*' });
      else await store.put(key, { count: current.value.count + 1 }, { ifMatch: current.etag });
      return attempt;
    } catch (error) {
      // A conflict means another writer got in between our read and our write: read again and retry.
      if (!isCopilotError(error) || error.code !== 'store_conflict') throw error;
    }
  }
  throw new Error(`Gave up incrementing ${key} after ${maxAttempts} conflicting attempts`);
}

export async function expectCopilotError(operation: Promise<unknown>, code: ErrorCode, retryable?: boolean) {
  const error = await operation.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(CopilotError);
  expect(error).toMatchObject(retryable === undefined ? { code } : { code, retryable });
}

function cyclicObject(): unknown {
  const value: { self?: unknown } = {};
  value.self = value;
  return value;
}
