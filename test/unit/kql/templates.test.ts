import { validateKql } from '../../../src/kql/validator';
import {
  applyLookback,
  huntPlatforms,
  huntingTemplates,
  lookbackFromText,
  lookbackOfQuery,
} from '../../../src/kql/templates';
import { attackKnowledge } from '../../../src/intel/attack';

const timeBoundWarning = (message: string, code: string): boolean =>
  code === 'SOC001' || /time[\s-]*(bound|filter|range|window)/i.test(message);

const cases = huntingTemplates.flatMap((template) =>
  huntPlatforms
    .filter((platform) => template.platforms[platform] !== undefined)
    .map((platform) => [template.id, platform, template.platforms[platform] as string] as const),
);

describe('hunting templates', () => {
  it.each(cases)('%s (%s) passes the Kusto validator with a time bound', (_id, platform, query) => {
    const validation = validateKql(query, { platform });
    const problems = validation.diagnostics.filter(
      (diagnostic) => diagnostic.severity === 'error' || timeBoundWarning(diagnostic.message, diagnostic.code),
    );
    expect(problems).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(query).toMatch(/ago\(lookback\)/);
  });

  it('has unique ids, real ATT&CK techniques and the advice fields filled', () => {
    const attack = attackKnowledge();
    expect(new Set(huntingTemplates.map((template) => template.id)).size).toBe(huntingTemplates.length);
    for (const template of huntingTemplates) {
      for (const id of template.techniques) expect(attack.technique(id)?.id).toBe(id);
      expect(template.keywords.length).toBeGreaterThan(0);
      expect(template.expectedFalsePositives.length).toBeGreaterThan(0);
      expect(template.tuning.length).toBeGreaterThan(0);
      expect(Object.keys(template.platforms).length).toBeGreaterThan(0);
      for (const keyword of template.keywords) expect(keyword).toBe(keyword.toLowerCase());
    }
  });

  it('covers the threat families the issue lists', () => {
    expect(huntingTemplates.map((template) => template.id).sort()).toEqual(
      [
        'beaconing',
        'dcsync',
        'dns-tunnelling',
        'encoded-powershell',
        'failed-signins-new-countries',
        'impossible-travel',
        'inbox-forwarding-rules',
        'kerberoasting',
        'lolbin-certutil',
        'lsass-access',
        'mfa-fatigue',
        'new-local-admin',
        'new-service-install',
        'office-spawning-shells',
        'password-spray',
        'ransomware-mass-rename',
        'rare-parent-child',
        'scheduled-task-creation',
        'shadow-copy-deletion',
      ].sort(),
    );
  });
});

describe('lookback', () => {
  it.each([
    ['failed sign-ins from new countries last 24h', '1d'],
    ['in the last 7 days', '7d'],
    ['past 12 hours', '12h'],
    ['over the last week', '7d'],
    ['last hour', '1h'],
    ['last 30 minutes', '30m'],
    ['anything today', '1d'],
  ])('reads %j as %s', (request, expected) => {
    expect(lookbackFromText(request)?.kql).toBe(expected);
  });

  it('finds no window when none is named', () => {
    expect(lookbackFromText('password spray against our tenant')).toBeUndefined();
  });

  it('applies the window and keeps a baseline longer than it', () => {
    const template = huntingTemplates.find((candidate) => candidate.id === 'failed-signins-new-countries');
    const query = applyLookback(template?.platforms.sentinel ?? '', { kql: '30d', hours: 720, description: '30 days' });
    expect(lookbackOfQuery(query)).toBe('30d');
    expect(query).toMatch(/^let baseline = 44d;/m);
    expect(validateKql(query, { platform: 'sentinel' }).valid).toBe(true);
  });
});
