import fc from 'fast-check';
import { decodeBlobName, encodeKey } from '../../../src/store/blob-store';

describe('Blob store key encoding', () => {
  it('escapes everything but letters, digits, "-" and "_", byte by byte', () => {
    expect(encodeKey('audit/2025-01-02/t_1')).toBe('audit%2F2025-01-02%2Ft_1');
    expect(encodeKey('a.b%c\\ é')).toBe('a%2Eb%25c%5C%20%C3%A9');
    expect(encodeKey('')).toBe('');
  });

  it('round-trips every well-formed key, never produces a trailing "/" or ".", and preserves prefixes', () => {
    const keyText = fc.string({ unit: 'grapheme', maxLength: 20 });
    fc.assert(
      fc.property(keyText, keyText, (prefix, rest) => {
        const key = prefix + rest;
        const name = encodeKey(key);
        expect(decodeBlobName(name)).toBe(key);
        expect(name).toMatch(/^[A-Za-z0-9_%-]*$/);
        expect(name.startsWith(encodeKey(prefix))).toBe(true);
      }),
    );
  });

  it('does not decode names it cannot have written', () => {
    for (const name of ['alert/1', 'a%2f', 'a%2', 'a%41', 'x.txt']) expect(decodeBlobName(name)).toBeUndefined();
  });
});
