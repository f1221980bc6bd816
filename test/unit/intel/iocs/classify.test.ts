import fc from 'fast-check';
import { canonicalIp, classifyIp } from '../../../../src/intel/iocs';
import { classifyIpv4WithIpaddr } from '../../../../src/intel/iocs/classify';

describe('classifyIp', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['185.220.101.45', 'public'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.10.20', 'linkLocal'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.250', 'documentation'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
  ])('classifies the IPv4 address %s as %s', (address, expected) => {
    expect(classifyIp(address)).toBe(expected);
  });

  it.each([
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:82b::200e', 'public'],
    ['2002:c000:0204::1', 'public'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'public'],
    ['fd12:3456:789a::1', 'private'],
    ['fc00::1', 'private'],
    ['::1', 'loopback'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['2001:db8::1', 'documentation'],
    ['2001:db8:ffff::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['ff02::1', 'multicast'],
    ['::', 'unspecified'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:203.0.113.5', 'documentation'],
    ['::ffff:8.8.8.8', 'public'],
    ['2001:2::1', 'reserved'],
  ])('classifies the IPv6 address %s as %s', (address, expected) => {
    expect(classifyIp(address)).toBe(expected);
  });

  it.each([
    ['10.0.0.0/8', 'private'],
    ['203.0.113.0/24', 'documentation'],
    ['2001:db8::/32', 'documentation'],
    ['fe80::/10', 'linkLocal'],
  ])('classifies the block %s by its network address', (block, expected) => {
    expect(classifyIp(block)).toBe(expected);
  });

  it.each(['', 'evil.com', '256.1.1.1', '1.2.3', '12:30:45', 'not an address'])('does not classify %j', (text) => {
    expect(classifyIp(text)).toBeUndefined();
  });

  it('gives the same IPv4 answer as ipaddr.js on random addresses (the fast path against its reference)', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        expect(classifyIp(address)).toBe(classifyIpv4WithIpaddr(address));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('canonicalIp', () => {
  it('writes an address the same way however it was written', () => {
    expect(canonicalIp('2001:DB8:0:0::1')).toBe(canonicalIp('2001:db8::1'));
    expect(canonicalIp('2001:db8::/32')).toBe(canonicalIp('2001:0db8::/32'));
    expect(canonicalIp('10.0.0.1')).toBe('10.0.0.1');
  });
});
