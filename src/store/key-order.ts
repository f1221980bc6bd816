/**
 * Key order shared by every Store adapter, so lists come back in the same order everywhere.
 *
 * Key order is Unicode code point order, which is also UTF-8 byte order: that is how SQLite compares TEXT
 * with its default BINARY collation. JavaScript's `<` compares UTF-16 code units instead, which disagrees for
 * characters above U+FFFF, so adapters sort with `compareKeys`, never with `<` or `localeCompare`.
 */
export function compareKeys(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'));
}

const maxCodePoint = 0x10ffff;

/**
 * The smallest string greater than every string that starts with `prefix`, so that
 * `prefix <= key < upperBound` selects exactly the keys with that prefix in a range scan.
 * Appending '\uffff' (the common trick) misses keys whose next character is above U+FFFF, because such
 * characters sort after U+FFFF in UTF-8. Returns undefined when no upper bound exists (empty prefix, or a
 * prefix made only of U+10FFFF): every key from `prefix` onwards then matches.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (character) => character.codePointAt(0) as number);
  while (codePoints.length > 0) {
    const last = codePoints.pop() as number;
    if (last === maxCodePoint) continue;
    // U+D800–U+DFFF are surrogates, not characters: the next character after U+D7FF is U+E000.
    const next = last === 0xd7ff ? 0xe000 : last + 1;
    return String.fromCodePoint(...codePoints, next);
  }
  return undefined;
}
