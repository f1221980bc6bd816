import { addressRestriction, lookupRestriction, nameRestriction } from '../../../../src/intel/enrichment/address-scope';
import {
  detectIndicatorType,
  normalizeIndicator,
  parseIndicator,
  refang,
} from '../../../../src/intel/enrichment/indicator';

describe('refang', () => {
  it.each([
    ['hxxps://evil[.]com/path', 'https://evil.com/path'],
    ['hXXp://evil(.)com', 'http://evil.com'],
    ['hxxps[://]evil[.]com', 'https://evil.com'],
    ['fxp://files[.]evil[.]com', 'ftp://files.evil.com'],
    ['10.0.0[.]1', '10.0.0.1'],
    ['evil[dot]com', 'evil.com'],
    ['2001:db8:[:]1', '2001:db8::1'],
    ['user[@]evil[.]com', 'user@evil.com'],
    ['  plain.example  ', 'plain.example'],
  ])('%s → %s', (input, expected) => {
    expect(refang(input)).toBe(expected);
  });
});

describe('detectIndicatorType / parseIndicator', () => {
  it.each([
    ['91.240.118.172', 'ipv4', '91.240.118.172'],
    ['91.240.118[.]172', 'ipv4', '91.240.118.172'],
    ['2001:DB8:0:0::1', 'ipv6', '2001:db8::1'],
    ['[2606:4700::1111]', 'ipv6', '2606:4700::1111'],
    ['Login-Contoso-Verify.TOP.', 'domain', 'login-contoso-verify.top'],
    ['xn--80ak6aa92e.com', 'domain', 'xn--80ak6aa92e.com'],
    ['hxxps://login-contoso-verify[.]top/owa/Auth.php?x=1', 'url', 'https://login-contoso-verify.top/owa/Auth.php?x=1'],
    ['HTTP://Example.com/A', 'url', 'http://Example.com/A'],
    ['44D88612FEA8A8F36DE82E1278ABB02F', 'md5', '44d88612fea8a8f36de82e1278abb02f'],
    ['3395856ce81f2b7382dee72602f798b642f14140', 'sha1', '3395856ce81f2b7382dee72602f798b642f14140'],
    [
      '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
      'sha256',
      '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
    ],
  ])('%s is %s (%s)', (input, type, value) => {
    expect(parseIndicator(input)).toEqual({ type, value });
    expect(detectIndicatorType(input)).toBe(type);
  });

  it.each([
    '',
    'WS-0142',
    'localhost',
    'stage2.ps1',
    'T1059.001',
    '1.2.3',
    '300.1.1.1',
    'not a domain.com',
    '44d88612fea8a8f36de82e1278abb02', // 31 hex digits
    'https://',
    'mailto:user@example.com',
  ])('%j is not an indicator', (input) => {
    expect(parseIndicator(input)).toBeUndefined();
  });

  it('normalises a typed indicator only when the value matches its type', () => {
    expect(normalizeIndicator({ type: 'domain', value: 'EVIL[.]com' })).toEqual({ type: 'domain', value: 'evil.com' });
    expect(normalizeIndicator({ type: 'domain', value: '91.240.118.172' })).toBeUndefined();
    expect(normalizeIndicator({ type: 'sha256', value: '44d88612fea8a8f36de82e1278abb02f' })).toBeUndefined();
  });
});

describe('lookup restrictions', () => {
  it('allows global unicast addresses and public names', () => {
    expect(addressRestriction('91.240.118.172')).toBeUndefined();
    expect(addressRestriction('2606:4700::1111')).toBeUndefined();
    expect(nameRestriction('login-contoso-verify.top')).toBeUndefined();
    expect(lookupRestriction({ type: 'url', value: 'https://91.240.118.172/a' })).toBeUndefined();
    expect(lookupRestriction({ type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' })).toBeUndefined();
  });

  it.each([
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fc00::5', 'private'],
    ['2001:db8::1', 'documentation or reserved'],
    ['ff02::1', 'multicast'],
    ['::ffff:192.168.0.1', 'private'],
    ['2002:c000:0204::1', 'special-purpose'],
  ])('refuses %s (%s)', (address, label) => {
    expect(addressRestriction(address)).toEqual({
      reason: 'non-public-address',
      message: `not looked up: private/documentation address (${label})`,
    });
  });

  it.each(['dc01.contoso.local', 'printer.lan', 'api.internal', 'evil.example', 'router.home.arpa', 'localhost'])(
    'refuses the internal or documentation name %s',
    (name) => {
      expect(nameRestriction(name)?.reason).toBe('reserved-name');
    },
  );

  it('judges a URL by its host, including IPv6 literals and numeric forms normalised by the URL parser', () => {
    expect(lookupRestriction({ type: 'url', value: 'http://[::1]:8080/' })?.reason).toBe('non-public-address');
    expect(lookupRestriction({ type: 'url', value: 'http://2130706433/' })?.message).toContain('loopback');
    expect(lookupRestriction({ type: 'url', value: 'https://sso.contoso.corp/login' })?.reason).toBe('reserved-name');
  });
});
