import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { compareKeys, prefixUpperBound } from '../../../src/store/key-order';
import { MemoryStore } from '../../../src/store/memory-store';
import { SqliteStore } from '../../../src/store/sqlite-store';

// Characters at the edges that matter: the surrogate gap, the BMP end, the largest code point, and LIKE wildcards.
const edgeCharacter = fc.constantFrom('a', 'b', '%', '_', '/', '\uD7FF', '\uE000', '\uFFFF', '\u{10000}', '\u{10FFFF}');
const keyText = fc
  .array(fc.oneof(edgeCharacter, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), { maxLength: 6 })
  .map((characters) => characters.join(''));
// The stores refuse NUL in keys and prefixes (see validation.ts).
const storableKeyText = keyText.filter((text) => !text.includes('\u0000'));

describe('compareKeys', () => {
  it('orders by code point, so characters beyond U+FFFF sort after U+FFFF (unlike UTF-16 order)', () => {
    expect(compareKeys('\uFFFF', '\u{10000}')).toBeLessThan(0);
    expect('\uFFFF' < '\u{10000}').toBe(false);
    expect(compareKeys('a', 'a')).toBe(0);
    expect(compareKeys('a', 'ab')).toBeLessThan(0);
  });
});

describe('prefixUpperBound', () => {
  it('has no bound for an empty prefix or one made only of U+10FFFF', () => {
    expect(prefixUpperBound('')).toBeUndefined();
    expect(prefixUpperBound('\u{10FFFF}\u{10FFFF}')).toBeUndefined();
  });

  it('increments the last character, skipping the surrogate gap and carrying past U+10FFFF', () => {
    expect(prefixUpperBound('alert/')).toBe('alert0');
    expect(prefixUpperBound('a\uD7FF')).toBe('a\uE000');
    expect(prefixUpperBound('a\uFFFF')).toBe('a\u{10000}');
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
  });

  it('selects exactly the keys that start with the prefix: prefix <= key < bound', () => {
    fc.assert(
      fc.property(keyText, keyText, (prefix, suffixOrOther) => {
        for (const key of [prefix + suffixOrOther, suffixOrOther]) {
          const bound = prefixUpperBound(prefix);
          const inRange = compareKeys(prefix, key) <= 0 && (bound === undefined || compareKeys(key, bound) < 0);
          expect(inRange).toBe(key.startsWith(prefix));
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('list in SqliteStore and MemoryStore', () => {
  let temporaryRoot: string;

  beforeAll(() => {
    temporaryRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-copilot-keys-'));
  });

  afterAll(() => {
    fs.rmSync(temporaryRoot, { recursive: true, force: true });
  });

  it('agree with each other and with startsWith for arbitrary Unicode keys and prefixes', async () => {
    const sqlite = SqliteStore.open({ directory: temporaryRoot });
    const memory = new MemoryStore();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(
            storableKeyText.filter((key) => key.length > 0),
            { maxLength: 12 },
          ),
          storableKeyText,
          async (keys, prefix) => {
            for (const key of await sqlite.list('')) await sqlite.delete(key);
            for (const key of await memory.list('')) await memory.delete(key);
            for (const key of keys) {
              await sqlite.put(key, 1);
              await memory.put(key, 1);
            }
            const expected = keys.filter((key) => key.startsWith(prefix)).sort(compareKeys);
            expect(await sqlite.list(prefix)).toEqual(expected);
            expect(await memory.list(prefix)).toEqual(expected);
          },
        ),
        { numRuns: 100 },
      );
    } finally {
      await sqlite.close();
      await memory.close();
    }
  });
});
