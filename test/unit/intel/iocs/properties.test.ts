import fc from 'fast-check';
import { defangDomain, defangEmailAddress, defangIpAddress, defangText, defangUrl } from '../../../../src/intel/defang';
import { extractIocs, refang, toPlainLists, KNOWN_TLDS } from '../../../../src/intel/iocs';

/**
 * Generators for indicators as they appear in alerts. They stay inside what refanging can invert: a local part or
 * path that itself contains `[.]` or `(.)` cannot be told apart from a defanged one, by us or by anyone.
 */
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const tld = fc.constantFrom(...[...KNOWN_TLDS].filter((name) => /^[a-z]+$/.test(name)));
const domain = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld)
  .map(([labels, top]) => [...labels, top].join('.'));
const pathSegment = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}(?:\.[a-z]{2,4})?$/);
const query = fc.stringMatching(/^[a-z]{1,6}=[A-Za-z0-9]{0,8}$/);
const url = fc
  .record({
    scheme: fc.constantFrom('http', 'https', 'ftp'),
    host: fc.oneof(domain, fc.ipV4()),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    path: fc.array(pathSegment, { maxLength: 4 }),
    query: fc.option(query, { nil: undefined }),
  })
  .map(
    ({ scheme, host, port, path, query: search }) =>
      `${scheme}://${host}${port === undefined ? '' : `:${port}`}/${path.join('/')}${search === undefined ? '' : `?${search}`}`,
  );
const email = fc
  .tuple(fc.stringMatching(/^[a-z0-9](?:[a-z0-9._+-]{0,14}[a-z0-9])?$/), domain)
  .filter(([local]) => !local.includes('..'))
  .map(([local, host]) => `${local}@${host}`);

const ipv6 = fc.ipV6();

const indicator = fc.oneof(
  url.map((value) => ({ value, defanged: defangUrl(value) })),
  domain.map((value) => ({ value, defanged: defangDomain(value) })),
  fc.ipV4().map((value) => ({ value, defanged: defangIpAddress(value) })),
  ipv6.map((value) => ({ value, defanged: defangIpAddress(value) })),
  email.map((value) => ({ value, defanged: defangEmailAddress(value) })),
);

/**
 * Indicators that must always be found, whatever surrounds them: a bare domain only on a TLD that is not also a
 * file extension or an identifier (`a.sh`, `user.name` are not domains, by design), and not starting like a
 * reverse-DNS identifier (`com.example.app`); an IPv6 address with two groups and a digit (`::a` is not one).
 */
const ordinaryDomain = fc
  .tuple(
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.constantFrom('com', 'net', 'org', 'ru', 'io', 'xyz', 'top', 'info', 'de', 'co.uk'),
  )
  .filter(([labels]) => !['com', 'org', 'net', 'edu', 'gov'].includes(labels[0]))
  .map(([labels, top]) => [...labels, top].join('.'));
const alwaysFound = fc.oneof(
  url.map((value) => ({ value, defanged: defangUrl(value) })),
  ordinaryDomain.map((value) => ({ value, defanged: defangDomain(value) })),
  fc.ipV4().map((value) => ({ value, defanged: defangIpAddress(value) })),
  ipv6
    .filter((value) => /\d/.test(value) && value.split(/:+/).filter(Boolean).length >= 2)
    .map((value) => ({ value: value.toLowerCase(), defanged: defangIpAddress(value) })),
  email.map((value) => ({ value, defanged: defangEmailAddress(value) })),
);

const sentence = fc.constantFrom(
  (ioc: string) => `Indicator: ${ioc}`,
  (ioc: string) => `The host contacted ${ioc} twice.`,
  (ioc: string) => `(${ioc})`,
  (ioc: string) => `"${ioc}", then nothing`,
  (ioc: string) => `${ioc}`,
);

describe('defang and refang', () => {
  it('refang undoes the defanging of every generated URL, domain, address and e-mail address', () => {
    fc.assert(
      fc.property(indicator, ({ value, defanged }) => {
        expect(defanged).not.toBe(value);
        expect(refang(defanged)).toBe(value);
      }),
      { numRuns: 3000 },
    );
  });

  it('refang undoes defangText on text made of generated indicators', () => {
    fc.assert(
      fc.property(fc.array(indicator, { minLength: 1, maxLength: 5 }), sentence, (iocs, wrap) => {
        const text = iocs.map(({ value }) => wrap(value)).join(' ');
        expect(refang(defangText(text))).toBe(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('extracts the same indicators from the defanged text as from the fanged one', () => {
    fc.assert(
      fc.property(fc.array(indicator, { minLength: 1, maxLength: 5 }), sentence, (iocs, wrap) => {
        const fanged = iocs.map(({ value }) => wrap(value)).join(' ');
        const defanged = iocs.map(({ defanged: written }) => wrap(written)).join(' ');
        expect(toPlainLists(extractIocs(defanged))).toEqual(toPlainLists(extractIocs(fanged)));
      }),
      { numRuns: 1500 },
    );
  });

  it('finds every generated URL, domain, address and e-mail address, defanged, in any sentence', () => {
    fc.assert(
      fc.property(alwaysFound, sentence, ({ value, defanged }, wrap) => {
        const found = Object.values(toPlainLists(extractIocs(wrap(defanged)))).flat();
        expect(found).toContain(value);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('extraction on arbitrary input', () => {
  const fragments = [
    'http://',
    'hxxps[:]//',
    'evil',
    'com',
    'zip',
    '.',
    '[.]',
    '(dot)',
    ' dot ',
    ' at ',
    '@',
    '[@]',
    ':',
    '::',
    '/',
    '\\',
    '\\\\',
    'C:',
    'HKLM',
    '%TEMP%',
    '~',
    'tmp',
    '10',
    '255',
    '1',
    'ff',
    'd41d8cd98f00b204e9800998ecf8427e',
    'T1059',
    '.001',
    'CVE-2021-',
    '44228',
    ' ',
    '"',
    "'",
    '(',
    ')',
    '[',
    ']',
    '\n',
    '/24',
    '%eth0',
    'é',
    '😀',
  ];

  it('never throws on random strings, and every occurrence lies inside the input', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (input) => {
        const report = extractIocs(input);
        for (const iocs of Object.values(report)) {
          for (const ioc of iocs) {
            expect(ioc.value.length).toBeGreaterThan(0);
            for (const occurrence of ioc.occurrences) {
              if (!('start' in occurrence)) continue;
              expect(occurrence.start).toBeGreaterThanOrEqual(0);
              expect(occurrence.end).toBeGreaterThan(occurrence.start);
              expect(occurrence.end).toBeLessThanOrEqual(input.length);
            }
          }
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('is idempotent through refang on realistic text: extracting from refanged text changes nothing', () => {
    // Refanging is one pass: on adversarial fragments a replacement can complete a second defang style
    // (`T1059[.]]10` → `T1059.]10`), which a second pass would refang again. Real text holds one level of defanging.
    const realistic = fc
      .array(fc.tuple(indicator, sentence), { minLength: 1, maxLength: 6 })
      .map((parts) => parts.map(([{ defanged }, wrap]) => wrap(defanged)).join(' '));
    fc.assert(
      fc.property(realistic, (input) => {
        expect(refang(refang(input))).toBe(refang(input));
        expect(toPlainLists(extractIocs(refang(input)))).toEqual(toPlainLists(extractIocs(input)));
      }),
      { numRuns: 1500 },
    );
  });
});
