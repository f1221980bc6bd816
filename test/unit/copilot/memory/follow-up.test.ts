import { isFollowUp, resolveFollowUp } from '../../../../src/copilot/memory/follow-up';
import type { ThreadSubject } from '../../../../src/copilot/memory/thread-memory';
import { matchMessageRoute } from '../../../../src/teams/routes';

const subject: ThreadSubject = {
  alertId: 'da-1004',
  incidentId: '43',
  indicators: [
    { type: 'domain', value: 'evil.example' },
    { type: 'ipv4', value: '203.0.113.7' },
    { type: 'sha256', value: 'a'.repeat(64) },
    { type: 'ipv4', value: '198.51.100.23' },
  ],
  query: { query: 'DeviceInfo\n| where Timestamp > ago(1d)', platform: 'defender' },
  updatedAt: '2026-11-27T10:00:00.000Z',
};

describe('resolveFollowUp', () => {
  it.each([
    ['investigate it', 'investigate incident 43'],
    ['Investigate', 'investigate incident 43'],
    ['now investigate this incident', undefined],
    ['ok, investigate the incident', 'investigate incident 43'],
    ['explain it', 'explain alert da-1004'],
    ['analyse this', 'analyze alert da-1004'],
    ['now the report for executives', 'report incident 43 for executives'],
    ['report for the board', 'report incident 43 for executives'],
    ['write a report on it for the regulator', 'report incident 43 for the regulator'],
    ['report', 'report incident 43 for technical'],
    ['how do I contain this?', 'remediation for alert da-1004'],
    ['remediation', 'remediation for alert da-1004'],
    ['run it', 'run in defender: DeviceInfo\n| where Timestamp > ago(1d)'],
    ['run', 'run in defender: DeviceInfo\n| where Timestamp > ago(1d)'],
    ['hunt for the second IP', 'hunt for 198.51.100.23'],
    ['hunt for the first domain in defender', 'hunt for evil.example in defender'],
    ['hunt for the last indicator', 'hunt for 198.51.100.23'],
    ['hunt for the 3rd ioc', 'hunt for ' + 'a'.repeat(64)],
  ])('%j → %j', (text, command) => {
    const resolved = resolveFollowUp(text, subject);
    if (command === undefined) expect(resolved?.kind).not.toBe('command');
    else expect(resolved).toEqual({ kind: 'command', text: command });
  });

  it.each([
    'investigate incident 42',
    'explain alert da-1009',
    'report incident 42 for executives',
    'run SigninLogs | take 1',
    'hunt for encoded PowerShell',
    'what is kerberoasting?',
    'check 203.0.113[.]7',
  ])('leaves the explicit command %j alone', (text) => {
    expect(resolveFollowUp(text, subject)).toBeUndefined();
  });

  it.each([
    ['investigate it', 'incident'],
    ['explain it', 'alert'],
    ['how do I contain this?', 'alertOrIncident'],
    ['run it', 'query'],
    ['hunt for the second IP', 'indicator'],
  ])('asks instead of guessing when the thread has no subject: %j', (text, need) => {
    expect(resolveFollowUp(text, undefined)).toEqual({ kind: 'clarify', need, asked: text });
  });

  it('asks when the thread has no indicator of the kind named', () => {
    expect(resolveFollowUp('hunt for the first url', subject)).toMatchObject({ kind: 'clarify', need: 'indicator' });
    expect(resolveFollowUp('hunt for the ninth ip', subject)).toBeUndefined();
    expect(resolveFollowUp('hunt for the 9th ip', subject)).toMatchObject({ kind: 'clarify', need: 'indicator' });
  });

  it('rewrites into commands the routing table knows', () => {
    for (const text of ['explain it', 'run it', 'hunt for the second IP']) {
      const resolved = resolveFollowUp(text, subject);
      expect(resolved?.kind).toBe('command');
      expect(matchMessageRoute((resolved as { text: string }).text)).toBeDefined();
    }
  });
});

describe('isFollowUp', () => {
  it('is true exactly for the texts resolveFollowUp acts on, so other messages need no store read', () => {
    for (const text of ['run it', 'investigate', 'now the report for executives', 'hunt for the second IP']) {
      expect(isFollowUp(text)).toBe(true);
    }
    for (const text of ['investigate incident 42', 'hunt for encoded PowerShell', 'help', 'run SigninLogs | take 1']) {
      expect(isFollowUp(text)).toBe(false);
      expect(resolveFollowUp(text, subject)).toBeUndefined();
    }
  });
});
