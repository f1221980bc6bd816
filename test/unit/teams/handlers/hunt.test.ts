import { platformOf, soleIndicator } from '../../../../src/teams/handlers/hunt';

describe('soleIndicator', () => {
  it.each([
    ['203.0.113[.]7', { type: 'ipv4', value: '203.0.113.7' }],
    ['the IP 198.51.100.23', { type: 'ipv4', value: '198.51.100.23' }],
    ['evil[.]example', { type: 'domain', value: 'evil.example' }],
    ['hxxps://evil[.]example/a.ps1', { type: 'url', value: 'https://evil.example/a.ps1' }],
    [
      'hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      { type: 'sha256', value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
    ],
  ])('%j is one indicator to sweep for', (threat, expected) => {
    expect(soleIndicator(threat)).toMatchObject(expected);
  });

  it.each(['encoded PowerShell', 'beaconing to 203.0.113.7', '203.0.113.7 and 198.51.100.23', 'LSASS access'])(
    '%j is a threat description, not a sweep',
    (threat) => {
      expect(soleIndicator(threat)).toBeUndefined();
    },
  );
});

describe('platformOf', () => {
  it('picks Defender only when asked', () => {
    expect(platformOf('defender')).toBe('defender');
    expect(platformOf('advanced hunting')).toBe('defender');
    expect(platformOf(undefined)).toBe('sentinel');
  });
});
