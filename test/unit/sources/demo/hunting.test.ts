import { DemoSecurityDataSource } from '../../../../src/sources/demo';

const now = new Date('2025-03-14T15:00:00.000Z');
const source = new DemoSecurityDataSource(() => new Date(now));

describe('DemoSecurityDataSource.runHuntingQuery', () => {
  it('answers a Defender process query with rows from the demo evidence', async () => {
    const result = await source.runHuntingQuery(
      'DeviceProcessEvents\n| where Timestamp > ago(7d)\n| where DeviceName startswith "eng-wks-022"\n| where ProcessCommandLine has "-EncodedCommand"',
      { platform: 'defender' },
    );
    expect(result.columns[0]).toEqual({ name: 'Timestamp', type: 'datetime' });
    expect(result.columns.map((column) => column.name)).toContain('ProcessCommandLine');
    expect(result.rows.length).toBeGreaterThan(0);
    for (const row of result.rows) {
      expect(JSON.stringify(row).toLowerCase()).toMatch(/eng-wks-022|-encodedcommand/);
      expect(Object.keys(row)).toEqual(result.columns.map((column) => column.name));
    }
    expect(result.rows.some((row) => row.FileName === 'powershell.exe' && row.AccountName === 'kenji.watanabe')).toBe(
      true,
    );
    expect(result.truncated).toBe(false);
  });

  it('caps rows to maxRows and says so', async () => {
    const all = await source.runHuntingQuery('DeviceProcessEvents', { platform: 'defender' });
    expect(all.rows.length).toBeGreaterThan(3);
    const capped = await source.runHuntingQuery('DeviceProcessEvents', { platform: 'defender', maxRows: 3 });
    expect(capped.rows).toHaveLength(3);
    expect(capped.truncated).toBe(true);
    expect(capped.rows).toEqual(all.rows.slice(0, 3));
  });

  it('uses TimeGenerated on Sentinel and honours the look-back', async () => {
    const signIns = await source.runHuntingQuery(
      'SigninLogs | where UserPrincipalName =~ "hannah.brooks@contoso.com"',
      {
        platform: 'sentinel',
        timespan: 'P7D',
      },
    );
    expect(signIns.columns[0].name).toBe('TimeGenerated');
    expect(signIns.rows.map((row) => row.ResultType)).toEqual(expect.arrayContaining(['0', '500121']));
    const lastDay = await source.runHuntingQuery('SigninLogs | where TimeGenerated > ago(1d)', {
      platform: 'sentinel',
    });
    expect(lastDay.rows.length).toBeGreaterThan(0);
    for (const row of lastDay.rows) {
      expect(Date.parse(String(row.TimeGenerated))).toBeGreaterThanOrEqual(now.getTime() - 24 * 60 * 60 * 1000);
    }
    const lastDayByTimespan = await source.runHuntingQuery('SigninLogs', { platform: 'sentinel', timespan: 'PT24H' });
    expect(lastDayByTimespan.rows).toEqual(lastDay.rows);
  });

  it('shows beaconing to the command-and-control address in network events', async () => {
    const result = await source.runHuntingQuery('DeviceNetworkEvents | where RemoteIP == "203.0.113.45"', {
      platform: 'defender',
    });
    expect(result.rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(result.rows.map((row) => row.DeviceName))).toEqual(
      new Set(['eng-wks-022.contoso.com', 'sql01.contoso.com']),
    );
  });

  it('returns no rows for tables the demo does not model, and for values it does not hold', async () => {
    expect((await source.runHuntingQuery('Syslog | take 10', { platform: 'sentinel' })).rows).toEqual([]);
    expect(
      (await source.runHuntingQuery('EmailEvents | where Subject has "quarterly bonus"', { platform: 'defender' }))
        .rows,
    ).toEqual([]);
  });

  it('rejects an empty query and stops when aborted', async () => {
    await expect(source.runHuntingQuery('  ', { platform: 'defender' })).rejects.toMatchObject({ code: 'bad_input' });
    const controller = new AbortController();
    controller.abort();
    await expect(
      source.runHuntingQuery('DeviceProcessEvents', { platform: 'defender', signal: controller.signal }),
    ).rejects.toThrow();
  });
});

describe('IdentityLogonEvents (Defender)', () => {
  it('answers with the demo sign-ins in Defender column names, failures marked LogonFailed', async () => {
    const result = await source.runHuntingQuery('IdentityLogonEvents | where Timestamp > ago(7d)', {
      platform: 'defender',
    });
    expect(result.columns.map((column) => column.name)).toEqual(
      expect.arrayContaining(['Timestamp', 'AccountUpn', 'IPAddress', 'Location', 'ActionType', 'FailureReason']),
    );
    expect(result.rows.length).toBeGreaterThan(0);
    expect(new Set(result.rows.map((row) => row.ActionType))).toEqual(new Set(['LogonSuccess', 'LogonFailed']));
  });
});
