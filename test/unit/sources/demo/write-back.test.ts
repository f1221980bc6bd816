import { CopilotError } from '../../../../src/errors';
import { DemoSecurityDataSource } from '../../../../src/sources/demo';

const now = new Date('2026-03-02T10:00:00.000Z');

describe('demo write-back (optional port methods, kept in memory)', () => {
  it('updates an incident by number and keeps the change in this instance only', async () => {
    const source = new DemoSecurityDataSource({ clock: () => now });
    const updated = await source.updateIncident('#42', {
      status: 'resolved',
      assignedTo: 'soc-analyst@contoso.example',
      classification: 'truePositive',
      determination: 'malware',
      tags: ['ransomware'],
    });
    expect(updated).toMatchObject({
      id: '42',
      status: 'resolved',
      assignedTo: 'soc-analyst@contoso.example',
      tags: ['ransomware'],
      lastUpdatedAt: now.toISOString(),
    });
    expect((await source.getIncident('42'))?.status).toBe('resolved');
    expect((await new DemoSecurityDataSource({ clock: () => now }).getIncident('42'))?.status).not.toBe('resolved');
    expect((await source.updateIncident('42', { assignedTo: '' }))?.assignedTo).toBeUndefined();
  });

  it('returns undefined / false for items that do not exist', async () => {
    const source = new DemoSecurityDataSource({ clock: () => now });
    expect(await source.updateIncident('9999', { status: 'active' })).toBeUndefined();
    expect(await source.addIncidentComment('9999', 'x')).toBe(false);
    expect(await source.addAlertComment('zz-0000', 'x')).toBe(false);
  });

  it('records comments on alerts and incidents', async () => {
    const source = new DemoSecurityDataSource({ clock: () => now });
    expect(await source.addAlertComment('DA-1009', 'Isolated the server.')).toBe(true);
    expect(await source.addIncidentComment('42', 'Escalated to IR.')).toBe(true);
    expect(source.commentsOn('alert', 'da-1009')).toEqual(['Isolated the server.']);
    expect(source.commentsOn('incident', '#42')).toEqual(['Escalated to IR.']);
  });

  it('refuses invalid updates and empty comments as bad_input', async () => {
    const source = new DemoSecurityDataSource({ clock: () => now });
    await expect(source.updateIncident('42', { status: 'closed' } as never)).rejects.toBeInstanceOf(CopilotError);
    await expect(source.addAlertComment('da-1009', '  ')).rejects.toMatchObject({ code: 'bad_input' });
  });
});
