import fc from 'fast-check';
import { StixFormatError, StixObjectScanner } from '../../../../src/intel/attack/stix-stream';

/** Feeds `text` to a scanner in pieces cut at `cuts` (byte offsets) and returns what it saw. */
function scan(text: string, cuts: number[] = []) {
  const bytes = Buffer.from(text, 'utf8');
  const objects: unknown[] = [];
  const scanner = new StixObjectScanner((stixObject) => objects.push(stixObject));
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((left, right) => left - right)) {
    if (cut <= start || cut >= bytes.length) continue;
    scanner.push(bytes.subarray(start, cut));
    start = cut;
  }
  scanner.push(bytes.subarray(start));
  return { ...scanner.end(), objects };
}

function scanError(text: string): string {
  try {
    scan(text);
  } catch (error) {
    expect(error).toBeInstanceOf(StixFormatError);
    return (error as Error).message;
  }
  throw new Error(`no error for ${text}`);
}

// Strings full of what a byte scanner can get wrong: quotes, backslashes, brackets and multi-byte characters.
const trickyString = fc.string({
  unit: fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', 'é', '€', '😀', 'a', ' ', '\n', '\u0000'),
  maxLength: 12,
});
const trickyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    trickyString,
    fc.integer(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(trickyString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('StixObjectScanner', () => {
  test('yields every element of "objects" and keeps the rest as the envelope, however the bytes are cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(trickyString, trickyValue, { maxKeys: 4 }), { maxLength: 6 }),
        fc.dictionary(fc.constantFrom('id', 'spec_version', 'x', 'list'), trickyValue),
        fc.constantFrom(undefined, 2, 4),
        fc.array(fc.nat(), { maxLength: 8 }),
        (objects, otherMembers, indent, cutSeeds) => {
          const bundle = { ...otherMembers, type: 'bundle', objects };
          const text = JSON.stringify(bundle, null, indent);
          const length = Buffer.byteLength(text);
          const result = scan(
            text,
            cutSeeds.map((seed) => seed % length),
          );
          expect(result.objects).toEqual(objects);
          expect(result.objectCount).toBe(objects.length);
          expect(result.envelope).toEqual({ ...bundle, objects: [] });
        },
      ),
      { numRuns: 300 },
    );
  });

  test('cuts on every byte of a small bundle give the same answer', () => {
    const text = '{"type":"bundle","objects":[{"a":"x\\"]}\\\\"},{"b":["é",{"c":"\\\\\\""}]}],"id":"b"}';
    const expected = JSON.parse(text) as { objects: unknown[] };
    for (let cut = 1; cut < Buffer.byteLength(text); cut += 1) {
      expect(scan(text, [cut]).objects).toEqual(expected.objects);
    }
  });

  test.each([
    ['{"type":"bundle","objects":[{"a":1},]}', 'a "," before "]" in "objects"'],
    ['{"type":"bundle","objects":[{"a":1} {"b":1}]}', 'a missing "," between objects'],
    ['{"type":"bundle","objects":[,{"a":1}]}', 'a misplaced "," in "objects"'],
    ['{"type":"bundle","objects":[1]}', '"objects" must hold only STIX objects'],
    ['{"type":"bundle","objects":["x"]}', '"objects" must hold only STIX objects'],
    ['{"type":"bundle","objects":[{"a":1},{"b":', 'the JSON ends early'],
    ['{"type":"bundle","objects":[{"a":1,}]}', 'object 1 is not valid JSON'],
    ['{"type":"bundle","objects":[]}}', 'unexpected "}"'],
    ['{"type":"bundle" "objects":[]}', 'it is not valid JSON'],
    ['not json at all', 'it is not valid JSON'],
  ])('%s is rejected: %s', (text, reason) => {
    expect(scanError(text)).toContain(reason);
  });

  test('a top-level value that is not a bundle comes back as the envelope for the caller to judge', () => {
    expect(scan('[1, 2, 3]')).toMatchObject({ envelope: [1, 2, 3], objectCount: 0 });
    expect(scan('{"type":"bundle","objects":[]}')).toMatchObject({ envelope: { type: 'bundle', objects: [] } });
  });

  test('a huge value outside "objects" is refused instead of buffered', () => {
    const huge = `{"type":"bundle","padding":"${'x'.repeat(1_100_000)}","objects":[]}`;
    expect(scanError(huge)).toContain('not a STIX bundle');
  });
});
