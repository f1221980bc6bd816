import { attackTechniqueUrl, canonicalTechniqueId, markdownLink, portalLink } from '../../../src/cards/links';

describe('attackTechniqueUrl', () => {
  it.each([
    ['T1059.001', 'https://attack.mitre.org/techniques/T1059/001/'],
    ['T1105', 'https://attack.mitre.org/techniques/T1105/'],
    [' t1566.002 ', 'https://attack.mitre.org/techniques/T1566/002/'],
  ])('links %s', (id, expected) => {
    expect(attackTechniqueUrl(id)).toBe(expected);
  });

  it.each(['TA0002', 'T105', 'T1059.01', 'T1059/001', 'T1059.001)', 'javascript:alert(1)', ''])('refuses %s', (id) => {
    expect(attackTechniqueUrl(id)).toBeUndefined();
  });

  it('canonicalises IDs', () => {
    expect(canonicalTechniqueId(' t1059.001')).toBe('T1059.001');
    expect(canonicalTechniqueId('T1059.1')).toBeUndefined();
  });
});

describe('portalLink', () => {
  it.each([
    'https://security.microsoft.com/alerts/da1234?tid=abc',
    'https://portal.azure.com/#blade/Microsoft_Azure_Security/AlertBlade/alertId/1',
    'https://ms.portal.azure.com/#view/Microsoft_Azure_Security',
    'https://portal.azure.us/#home',
    'HTTPS://SECURITY.MICROSOFT.COM/incidents/42',
  ])('accepts %s', (url) => {
    expect(portalLink(url)).toBe(new URL(url).href);
  });

  it.each([
    undefined,
    '',
    'not a url',
    'http://security.microsoft.com/alerts/1',
    'https://security.microsoft.com.evil.example/alerts/1',
    'https://portal.azure.com.evil.example/',
    'https://evilportal.azure.com/',
    'https://evil.example/?next=https://security.microsoft.com',
    'https://user:pass@security.microsoft.com/',
    'https://security.microsoft.com:8443/',
    'javascript:alert(1)//security.microsoft.com',
    'https://microsoft.com/',
  ])('refuses %s', (url) => {
    expect(portalLink(url)).toBeUndefined();
  });
});

describe('markdownLink', () => {
  it('builds a Markdown link with a sanitised label', () => {
    const url = attackTechniqueUrl('T1059.001');
    if (url === undefined) throw new Error('expected a technique URL');
    expect(markdownLink('T1059.001 Command and Scripting Interpreter: PowerShell', url)).toBe(
      '[T1059.001 Command and Scripting Interpreter: PowerShell](https://attack.mitre.org/techniques/T1059/001/)',
    );
    expect(markdownLink('x](http://evil.example) [y\\', url)).toBe(
      '[x) (hxxp://evil(.)example) (y/](https://attack.mitre.org/techniques/T1059/001/)',
    );
  });
});
