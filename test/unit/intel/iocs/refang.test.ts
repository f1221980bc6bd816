import { readFileSync } from 'node:fs';
import { refang, refangWithOffsets } from '../../../../src/intel/iocs';
import { describeWithSharedData, sharedDataPath } from '../../../support/shared-data';

describe('refang', () => {
  it.each([
    // dots
    ['evil[.]com', 'evil.com'],
    ['evil(.)com', 'evil.com'],
    ['evil{.}com', 'evil.com'],
    ['evil[dot]com', 'evil.com'],
    ['evil(dot)com', 'evil.com'],
    ['evil{dot}com', 'evil.com'],
    ['evil[DOT]com', 'evil.com'],
    ['evil[,]com', 'evil.com'],
    ['evil[.)com', 'evil.com'],
    ['evil [.] com', 'evil.com'],
    ['evil [ . ] com', 'evil.com'],
    ['evil[.com', 'evil.com'],
    ['evil.]com', 'evil.com'],
    ['evil\\.com', 'evil.com'],
    ['cdn\\.evil\\.org', 'cdn.evil.org'],
    ['evil。com', 'evil.com'],
    ['evil．com', 'evil.com'],
    ['evil dot com', 'evil.com'],
    ['evil DOT com', 'evil.com'],
    ['10 dot 0 dot 0 dot 1', '10.0.0.1'],
    ['1.2.3[.]4', '1.2.3.4'],
    ['45[.]32[.]89[.]112', '45.32.89.112'],
    // schemes and separators
    ['hxxp://evil.com', 'http://evil.com'],
    ['hxxps://evil.com', 'https://evil.com'],
    ['hXXp://evil.com', 'http://evil.com'],
    ['hXXps://evil.com', 'https://evil.com'],
    ['HXXPS://evil.com', 'https://evil.com'],
    ['h**p://evil.com', 'http://evil.com'],
    ['h__ps://evil.com', 'https://evil.com'],
    ['hxtp://evil.com', 'http://evil.com'],
    ['htxp://evil.com', 'http://evil.com'],
    ['meow://evil.com', 'http://evil.com'],
    ['fxp://evil.com', 'ftp://evil.com'],
    ['fxps://evil.com', 'ftps://evil.com'],
    ['sfxp://evil.com', 'sftp://evil.com'],
    ['http[:]//evil.com', 'http://evil.com'],
    ['hxxp[:]//evil.com', 'http://evil.com'],
    ['hxxps[://]evil.com', 'https://evil.com'],
    ['http(:)//evil.com', 'http://evil.com'],
    ['http:[//]evil.com', 'http://evil.com'],
    ['http:[/][/]evil.com', 'http://evil.com'],
    ['https:\\/\\/evil.com\\/a', 'https://evil.com/a'],
    ['hxxp://evil[.]com[/]gate[.]php', 'http://evil.com/gate.php'],
    ['evil[.]com[:]8443', 'evil.com:8443'],
    ['2001:db8:[:]1', '2001:db8::1'],
    // at
    ['user[@]evil.com', 'user@evil.com'],
    ['user(@)evil.com', 'user@evil.com'],
    ['user{@}evil.com', 'user@evil.com'],
    ['user[at]evil.com', 'user@evil.com'],
    ['user(at)evil.com', 'user@evil.com'],
    ['user[AT]evil.com', 'user@evil.com'],
    ['user [at] evil [dot] com', 'user@evil.com'],
    ['jsmith at evil dot com', 'jsmith@evil.com'],
    ['john.smith at evil[.]com', 'john.smith@evil.com'],
    // combinations
    ['hxxps[:]//test\\.example[.)com[/]path', 'https://test.example.com/path'],
    ['hXXp://a(.)b{.}c[dot]d(dot)com', 'http://a.b.c.d.com'],
  ])('refangs %s', (defanged, fanged) => {
    expect(refang(defanged)).toBe(fanged);
  });

  it.each([
    'the dot com bubble',
    'a dot on the map',
    'payload hosted at evil.com',
    'meet at 10:00 at the office',
    'Look at this',
    'C:\\Users\\bob\\.ssh\\id_rsa',
    'HKLM\\Software\\.NET',
    'see below.',
    'Buy milk (and eggs).',
    'HTTP://EVIL.COM',
    'https://evil.com/a',
    'plain text without indicators',
    '',
  ])('leaves %j as it is', (text) => {
    expect(refang(text)).toBe(text);
  });

  it('keeps prose around a refanged indicator intact', () => {
    expect(refang('Blocked hxxps://evil[.]com/x (see ticket [123]).')).toBe(
      'Blocked https://evil.com/x (see ticket [123]).',
    );
  });

  it('maps offsets in the refanged text back to the input', () => {
    const input = 'go hxxps://evil[.]com/x now';
    const result = refangWithOffsets(input);
    expect(result.text).toBe('go https://evil.com/x now');
    const start = result.text.indexOf('https');
    const end = result.text.indexOf(' now');
    expect(input.slice(result.originalOffset(start, 'start'), result.originalOffset(end, 'end'))).toBe(
      'hxxps://evil[.]com/x',
    );
    // Inside a replacement: the start of what it replaced, or its end.
    const dot = result.text.indexOf('.com');
    expect(result.originalOffset(dot + 1, 'start')).toBe(input.indexOf('[.]') + 3);
    expect(result.originalOffset(dot, 'start')).toBe(input.indexOf('[.]'));
  });

  it('maps offsets one to one when nothing changes', () => {
    const result = refangWithOffsets('nothing here');
    expect(result.originalOffset(7, 'end')).toBe(7);
  });

  it.each(['[.]', ' dot ', 'a dot ', 'x at ', ' at a.b', 'a\\.', 'hxxp[:]//', '(.)', 'a[.', 'x.y at a dot '])(
    'stays linear on 200 KB of %j',
    (unit) => {
      const input = unit.repeat(Math.ceil(200_000 / unit.length));
      const started = Date.now();
      refang(input);
      expect(Date.now() - started).toBeLessThan(1500);
    },
  );
});

const pairsFile = sharedDataPath('iocs', 'refang-pairs.dev.jsonl');

describeWithSharedData('refang on the shared answer key (refang-pairs.dev.jsonl)', pairsFile, () => {
  const pairs = readFileSync(pairsFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { defanged: string; fanged: string });

  it('holds hundreds of pairs', () => {
    expect(pairs.length).toBeGreaterThan(400);
  });

  it('refangs every pair exactly', () => {
    const wrong = pairs.filter((pair) => refang(pair.defanged) !== pair.fanged);
    expect(wrong.map((pair) => ({ ...pair, got: refang(pair.defanged) }))).toEqual([]);
  });

  it('leaves every fanged value as it is', () => {
    expect(pairs.filter((pair) => refang(pair.fanged) !== pair.fanged)).toEqual([]);
  });
});
