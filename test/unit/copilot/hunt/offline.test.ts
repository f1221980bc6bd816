import { generateHuntingQuery, naturalLanguageToKql } from '../../../../src/copilot/hunt';
import { huntingTemplates } from '../../../../src/kql/templates';
import { validateKql } from '../../../../src/kql/validator';
import { fixedNow, huntDependencies } from './hunt-support';

const dependencies = huntDependencies();

describe('offline hunting engine', () => {
  it('answers "failed sign-ins from new countries last 24h" with the right template and a 24h bound', async () => {
    const answer = await naturalLanguageToKql(
      { question: 'failed sign-ins from new countries last 24h', platform: 'sentinel' },
      dependencies,
    );
    expect(answer.engine.kind).toBe('offline');
    expect(answer.capability).toBe('naturalLanguageToKql');
    expect(answer.generatedAt).toBe(fixedNow.toISOString());
    expect(answer.result.template).toBe('failed-signins-new-countries');
    expect(answer.result.query).toMatch(/^let lookback = 1d;/m);
    expect(answer.result.query).toContain('ago(lookback)');
    expect(answer.result.validation).toEqual({ status: 'validated', diagnostics: [] });
    expect(answer.result.techniques.map((technique) => technique.id)).toContain('T1110');
    expect(answer.result.explanation).toContain('24 hours');
  });

  it.each([
    ['hunt for encoded PowerShell commands', 'defender', 'encoded-powershell'],
    ['credential dumping from LSASS with mimikatz', 'defender', 'lsass-access'],
    ['users added to the local administrators group', 'sentinel', 'new-local-admin'],
    ['impossible travel sign-ins', 'sentinel', 'impossible-travel'],
    ['password spray against Entra ID', 'sentinel', 'password-spray'],
    ['MFA fatigue: push bombing until the user approves', 'sentinel', 'mfa-fatigue'],
    ['suspicious inbox rules forwarding mail externally', 'defender', 'inbox-forwarding-rules'],
    ['rare parent-child process pairs', 'sentinel', 'rare-parent-child'],
    ['C2 beaconing at regular intervals', 'defender', 'beaconing'],
    ['DNS tunnelling with long subdomains', 'sentinel', 'dns-tunnelling'],
    ['new scheduled task persistence', 'defender', 'scheduled-task-creation'],
    ['new service installed via psexec', 'sentinel', 'new-service-install'],
    ['kerberoasting with RC4 tickets', 'sentinel', 'kerberoasting'],
    ['DCSync replication from a workstation', 'defender', 'dcsync'],
    ['Word macro spawning a shell', 'defender', 'office-spawning-shells'],
    ['certutil used to download a payload', 'sentinel', 'lolbin-certutil'],
    ['ransomware mass file rename', 'defender', 'ransomware-mass-rename'],
    ['vssadmin shadow copy deletion', 'sentinel', 'shadow-copy-deletion'],
  ] as const)('%s (%s) → %s', async (threat, platform, expected) => {
    const answer = await generateHuntingQuery({ threat, platform }, dependencies);
    expect(answer.result.template).toBe(expected);
    expect(answer.result.validation.status).toBe('validated');
    expect(answer.result.query).toBe(
      huntingTemplates.find((template) => template.id === expected)?.platforms[platform],
    );
    expect(answer.result.expectedFalsePositives.length).toBeGreaterThan(0);
    expect(answer.result.tuning.length).toBeGreaterThan(0);
  });

  it('applies a 7-day window and keeps the query valid', async () => {
    const answer = await generateHuntingQuery(
      { threat: 'password spray in the last 7 days', platform: 'sentinel' },
      dependencies,
    );
    expect(answer.result.query).toMatch(/^let lookback = 7d;/m);
    expect(validateKql(answer.result.query ?? '', { platform: 'sentinel' }).valid).toBe(true);
  });

  it('says honestly when no template fits and writes no query', async () => {
    const answer = await naturalLanguageToKql(
      { question: 'which printers ran out of toner this week', platform: 'sentinel' },
      dependencies,
    );
    expect(answer.result.query).toBeUndefined();
    expect(answer.result.validation.status).toBe('unvalidated');
    expect(answer.result.explanation).toMatch(/No hunting template/);
  });

  it('says when the fitting template exists only for the other platform, and suggests it', async () => {
    const answer = await generateHuntingQuery({ threat: 'MFA fatigue', platform: 'defender' }, dependencies);
    expect(answer.result.query).toBeUndefined();
    expect(answer.result.explanation).toMatch(/exists only for Microsoft Sentinel/);
    expect(answer.result.closestTemplates?.[0]?.id).toBe('mfa-fatigue');
  });
});
