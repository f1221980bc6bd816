import fc from 'fast-check';
import { defangDomain, defangEmailAddress, defangIpAddress, defangText, defangUrl } from '../../../src/intel/defang';

describe('defangText', () => {
  it.each([
    ['https://evil.com/path', 'hxxps://evil[.]com/path'],
    ['http://evil.com', 'hxxp://evil[.]com'],
    ['HTTPS://Login.Evil.COM/a', 'hxxps://Login[.]Evil[.]COM/a'],
    ['ftp://files.evil.ru/drop.bin', 'fxp://files[.]evil[.]ru/drop.bin'],
    ['http://intranet.corp/x', 'hxxp://intranet[.]corp/x'],
    ['http://10.1.2.3:8080/a', 'hxxp://10.1.2[.]3:8080/a'],
    ['http://user:secret@evil.com/', 'hxxp://user:secret@evil[.]com/'],
    ['http://[2001:db8::1]/x', 'hxxp://[2001:db8::1]/x'],
    ['hxxp://evil.com/half-defanged', 'hxxp://evil[.]com/half-defanged'],
    ['https://evil.com/r?u=https://other.org/y', 'hxxps://evil[.]com/r?u=hxxps://other[.]org/y'],
    ['https://evil.com/p?host=a.b.com', 'hxxps://evil[.]com/p?host=a[.]b[.]com'],
    ['https://evil.com/download/invoice.pdf', 'hxxps://evil[.]com/download/invoice.pdf'],
    ['https://evil.com/files/setup.py', 'hxxps://evil[.]com/files/setup.py'],
  ])('defangs the URL %s', (input, expected) => {
    expect(defangText(input)).toBe(expected);
  });

  it.each([
    ['evil.com', 'evil[.]com'],
    ['login.microsoftonline.evil.co.uk', 'login[.]microsoftonline[.]evil[.]co[.]uk'],
    ['www.evil.zip', 'www[.]evil[.]zip'],
    ['dl.evil.zip', 'dl[.]evil[.]zip'],
    ['cdn.payloads.mov', 'cdn[.]payloads[.]mov'],
    ['evil.example', 'evil[.]example'],
    ['c2.test', 'c2[.]test'],
    ['xn--80ak6aa92e.com', 'xn--80ak6aa92e[.]com'],
    ['аpple.com', 'аpple[.]com'],
    ['abc.onion', 'abc[.]onion'],
  ])('defangs the domain %s', (input, expected) => {
    expect(defangText(input)).toBe(expected);
  });

  it.each([
    ['10.0.0.1', '10.0.0[.]1'],
    ['192.168.100.254:3389', '192.168.100[.]254:3389'],
    ['255.255.255.255', '255.255.255[.]255'],
    ['10.0.0.1-10.0.0.5', '10.0.0[.]1-10.0.0[.]5'],
    ['2001:db8::1', '2001:db8:[:]1'],
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '2001:0db8:85a3:0000:0000:8a2e:0370[:]7334'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3[.]4'],
  ])('defangs the address %s', (input, expected) => {
    expect(defangText(input)).toBe(expected);
  });

  it.each([
    ['user@example.com', 'user[@]example[.]com'],
    ['john.smith@evil.com', 'john.smith[@]evil[.]com'],
    ['first.co@evil.com', 'first.co[@]evil[.]com'],
    ['alice@contoso.onmicrosoft.com', 'alice[@]contoso[.]onmicrosoft[.]com'],
    ['payroll@evil.zip', 'payroll[@]evil[.]zip'],
  ])('defangs the e-mail address %s', (input, expected) => {
    expect(defangText(input)).toBe(expected);
  });

  it.each([
    'invoice.pdf',
    'setup.py',
    'install.sh',
    'README.md',
    'invoice.zip',
    'backup.2024.zip',
    'clip.mov',
    'notes.one',
    'powershell.exe',
    'payload.ps1',
    'mimikatz.dll',
    'loader.js',
    'report.docx',
    'evil.com.exe',
    'C:\\Windows\\System32\\cmd.exe',
    'C:\\Users\\bob\\Downloads\\a.b.py',
    '/tmp/stage.two.sh',
    '/usr/lib/libc.so.6',
    'version 1.2.3',
    'build 10.0.19041.1',
    'T1059.001',
    'T1566.002 and TA0002',
    '12:30:45',
    '00:1a:2b:3c:4d:5e',
    'std::string',
    'fe80::1',
    'dc01.contoso.local',
    'bob@contoso.local',
    'Ratio 3.14 at 09.30',
    '010.001.000.001',
    '256.1.1.1',
    '',
  ])('leaves %s untouched', (input) => {
    expect(defangText(input)).toBe(input);
  });

  it('keeps sentence punctuation and closing brackets outside the URL', () => {
    expect(defangText('Blocked (see https://evil.com/a).')).toBe('Blocked (see hxxps://evil[.]com/a).');
    expect(defangText('Visit https://en.wikipedia.org/wiki/Foo_(bar), then')).toBe(
      'Visit hxxps://en[.]wikipedia[.]org/wiki/Foo_(bar), then',
    );
    expect(defangText('"http://evil.com"')).toBe('"hxxp://evil[.]com"');
    expect(defangText('**http://evil.com**')).toBe('**hxxp://evil[.]com**');
  });

  it('defangs the URL inside Markdown link syntax without eating the brackets', () => {
    expect(defangText('[click](http://evil.example)')).toBe('[click](hxxp://evil[.]example)');
  });

  it('defangs every indicator in a realistic alert description', () => {
    const description =
      'User alice@contoso.com opened invoice.zip from https://files.evil.com/inv?id=1, which ran ' +
      'powershell.exe -enc ... and connected to 203.0.113.7 and c2.evil.net (T1059.001).';
    expect(defangText(description)).toBe(
      'User alice[@]contoso[.]com opened invoice.zip from hxxps://files[.]evil[.]com/inv?id=1, which ran ' +
        'powershell.exe -enc ... and connected to 203.0.113[.]7 and c2[.]evil[.]net (T1059.001).',
    );
  });

  it.each([
    'hxxps://evil[.]com/path',
    'evil[.]com',
    '10.0.0[.]1',
    '2001:db8:[:]1',
    'user[@]example[.]com',
    'first.co[@]evil[.]com',
    'fxp://files[.]evil[.]ru/x',
  ])('does not change already-defanged %s', (input) => {
    expect(defangText(input)).toBe(input);
  });

  it('is idempotent on arbitrary mixes of indicator fragments', () => {
    const fragments = [
      'http://',
      'https://',
      'ftp://',
      'hxxp://',
      'evil',
      'com',
      'zip',
      'py',
      'co',
      'uk',
      'www',
      '.',
      '..',
      '[.]',
      '@',
      '[@]',
      ':',
      '::',
      '/',
      '\\',
      '?',
      '=',
      '(',
      ')',
      '[',
      ']',
      ' ',
      '10',
      '0',
      '255',
      '1',
      'db8',
      '2001',
      'T1059',
      '-',
      '_',
      '.exe',
      ',',
    ];
    const text = fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (input) => {
        const once = defangText(input);
        expect(defangText(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('never leaves a live http(s) scheme behind', () => {
    const text = fc
      .array(
        fc.constantFrom(
          'http://',
          'https://',
          'HTTP://',
          'evil',
          '.',
          'com',
          '/',
          ' ',
          '(',
          ')',
          '"',
          '@',
          ':',
          '[',
          ']',
          '1',
        ),
        { maxLength: 30 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (input) => {
        expect(defangText(input)).not.toMatch(/(?<![\p{L}\p{N}_])https?:\/\//iu);
      }),
      { numRuns: 2000 },
    );
  });

  it('stays fast on 200 KB of adversarial dotted text', () => {
    const hostile = 'a.'.repeat(50_000) + 'b'.repeat(50_000) + '1.'.repeat(25_000) + ':a'.repeat(20_000);
    const started = Date.now();
    defangText(hostile);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('defangUrl', () => {
  it('defangs the scheme and every dot of the host', () => {
    expect(defangUrl('https://a.b.evil.com/x.y?q=1#frag')).toBe('hxxps://a[.]b[.]evil[.]com/x.y?q=1#frag');
  });

  it('uses the last-dot convention for an IPv4 host', () => {
    expect(defangUrl('http://198.51.100.23/gate.php')).toBe('hxxp://198.51.100[.]23/gate.php');
  });

  it('re-normalises an already defanged URL to the same text', () => {
    const once = defangUrl('https://evil.com:8443/a?next=http://b.org');
    expect(once).toBe('hxxps://evil[.]com:8443/a?next=hxxp://b[.]org');
    expect(defangUrl(once)).toBe(once);
  });

  it('accepts the other bracket style for dots and normalises it', () => {
    expect(defangUrl('hxxp://evil(.)com/a')).toBe('hxxp://evil[.]com/a');
  });

  it('treats a value without a scheme as free text', () => {
    expect(defangUrl('evil.com/login.php')).toBe('evil[.]com/login.php');
    expect(defangUrl('not a url')).toBe('not a url');
  });
});

describe('defangText on hostile input', () => {
  it.each(['http://', 'http://a', 'a@', 'a.a@', '1.1.1.1.', 'f:f:', 'x.com.', 'a1-b.', '[.]', '%'])(
    'stays linear on 200 KB of %j',
    (unit) => {
      const input = unit.repeat(Math.ceil(200_000 / unit.length));
      const started = Date.now();
      const output = defangText(input);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(defangText(output)).toBe(output);
    },
  );
});

describe('defangText with the TLD list shared with IOC extraction', () => {
  it.each([
    ['stealer.kim', 'stealer[.]kim'],
    ['rev.in-addr.arpa', 'rev[.]in-addr[.]arpa'],
    ['wallet-sync.sbs', 'wallet-sync[.]sbs'],
  ])('defangs %s', (input, expected) => {
    expect(defangText(input)).toBe(expected);
  });

  it.each(['oem1.cat', 'Module.pm', 'subprocess.run', 'fs.watch'])('leaves %s untouched', (input) => {
    expect(defangText(input)).toBe(input);
  });
});

describe('defanging one known indicator', () => {
  it.each([
    ['evil.com', 'evil[.]com'],
    ['evil.zip', 'evil[.]zip'],
    ['dc01.contoso.local', 'dc01[.]contoso[.]local'],
    ['evil[.]com', 'evil[.]com'],
  ])('defangDomain(%s)', (input, expected) => {
    expect(defangDomain(input)).toBe(expected);
  });

  it.each([
    ['10.0.0.1', '10.0.0[.]1'],
    ['10.0.0.0/8', '10.0.0[.]0/8'],
    ['2001:db8::1', '2001:db8:[:]1'],
    ['fe80::1', 'fe80:[:]1'],
    ['::1', ':[:]1'],
    ['2001:db8::/32', '2001:db8:[:]/32'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3[.]4'],
    ['10.0.0[.]1', '10.0.0[.]1'],
    ['not an address', 'not an address'],
  ])('defangIpAddress(%s)', (input, expected) => {
    expect(defangIpAddress(input)).toBe(expected);
  });

  it.each([
    ['user@example.com', 'user[@]example[.]com'],
    ['payroll@evil.zip', 'payroll[@]evil[.]zip'],
    ['first.last@contoso.local', 'first.last[@]contoso[.]local'],
    ['no-at-sign', 'no-at-sign'],
  ])('defangEmailAddress(%s)', (input, expected) => {
    expect(defangEmailAddress(input)).toBe(expected);
  });

  it('writes values defangText would also recognise as defanged (idempotent together)', () => {
    for (const defanged of [defangDomain('evil.com'), defangIpAddress('10.0.0.1'), defangEmailAddress('a@evil.com')]) {
      expect(defangText(defanged)).toBe(defanged);
    }
  });
});
