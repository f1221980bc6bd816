import { defangIoc, extractIocs, iocTypes, toPlainLists } from '../../../../src/intel/iocs';

describe('toPlainLists', () => {
  const text =
    'hxxps://evil[.]com/x from 1.2.3[.]4, fe80::1 and 2001:db8::5 in 10.0.0.0/8, mail user[@]example[.]com, ' +
    'payroll.zip via https://payroll.zip/a, \\\\files.evil.net\\share\\a.dll, md5 d41d8cd98f00b204e9800998ecf8427e, ' +
    'CVE-2021-44228, T1059.001, HKLM\\Software\\Evil';

  it('lists the refanged values, every type present, in the CLI key order', () => {
    const lists = toPlainLists(extractIocs(text));
    expect(Object.keys(lists)).toEqual([...iocTypes]);
    expect(lists).toEqual({
      ipv4: ['1.2.3.4'],
      ipv6: ['fe80::1', '2001:db8::5'],
      cidr: ['10.0.0.0/8'],
      domain: ['evil.com', 'example.com', 'payroll.zip', 'files.evil.net'],
      url: ['https://evil.com/x', 'https://payroll.zip/a'],
      email: ['user@example.com'],
      md5: ['d41d8cd98f00b204e9800998ecf8427e'],
      sha1: [],
      sha256: [],
      cve: ['CVE-2021-44228'],
      attackTechnique: ['T1059.001'],
      registryKey: ['HKLM\\Software\\Evil'],
      filePath: ['\\\\files.evil.net\\share\\a.dll'],
    });
  });

  it('defangs every network indicator in the SOC convention, including the ones bare text leaves alone', () => {
    expect(toPlainLists(extractIocs(text), { defang: true })).toEqual({
      ipv4: ['1.2.3[.]4'],
      ipv6: ['fe80:[:]1', '2001:db8:[:]5'],
      cidr: ['10.0.0[.]0/8'],
      domain: ['evil[.]com', 'example[.]com', 'payroll[.]zip', 'files[.]evil[.]net'],
      url: ['hxxps://evil[.]com/x', 'hxxps://payroll[.]zip/a'],
      email: ['user[@]example[.]com'],
      md5: ['d41d8cd98f00b204e9800998ecf8427e'],
      sha1: [],
      sha256: [],
      cve: ['CVE-2021-44228'],
      attackTechnique: ['T1059.001'],
      registryKey: ['HKLM\\Software\\Evil'],
      filePath: ['\\\\files[.]evil[.]net\\share\\a.dll'],
    });
  });
});

describe('defangIoc', () => {
  it.each([
    ['url', 'ftp://files.evil.ru/a', 'fxp://files[.]evil[.]ru/a'],
    ['url', 'http://[2001:db8::1]/x', 'hxxp://[2001:db8::1]/x'],
    ['domain', 'evil.zip', 'evil[.]zip'],
    ['ipv6', '::ffff:203.0.113.5', '::ffff:203.0.113[.]5'],
    ['ipv6', '::1', ':[:]1'],
    ['cidr', '2001:db8::/32', '2001:db8:[:]/32'],
    ['email', 'a.b@evil.co.uk', 'a.b[@]evil[.]co[.]uk'],
    [
      'sha256',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ],
    ['filePath', 'C:\\Users\\bob\\evil.com.exe', 'C:\\Users\\bob\\evil.com.exe'],
  ] as const)('defangs the %s %s', (type, value, expected) => {
    expect(defangIoc(type, value)).toBe(expected);
  });
});
