import { gunzipSync } from 'node:zlib';
import { huntResultsCard } from '../../../src/cards';
import type { HuntRunResult } from '../../../src/copilot/hunt/run';
import type { CapabilityResult } from '../../../src/copilot/result';
import { expectValidCard, renderedText } from '../../support/cards';

const query = 'DeviceNetworkEvents\n| where Timestamp > ago(1d)\n| where RemoteUrl has "evil.example"';

function makeRun(overrides: Partial<HuntRunResult> = {}): CapabilityResult<HuntRunResult> {
  const columns = [
    'Timestamp',
    'DeviceName',
    'RemoteIP',
    'RemoteUrl',
    'InitiatingProcessFileName',
    'ActionType',
    'ReportId',
    'Extra',
  ];
  const rows = Array.from({ length: 25 }, (_, index) => ({
    Timestamp: `2026-11-27T10:${String(index).padStart(2, '0')}:00Z`,
    DeviceName: `ws-${index}.contoso.local`,
    RemoteIP: '203.0.113.7',
    RemoteUrl: 'https://cdn.evil.example/stage2.ps1',
    InitiatingProcessFileName: 'powershell.exe',
    ActionType: 'ConnectionSuccess',
    ReportId: index,
    Extra: null,
  }));
  return {
    capability: 'runHuntingQuery',
    result: {
      query,
      platform: 'defender',
      status: 'completed',
      validation: { diagnostics: [] },
      columns: columns.map((name) => ({ name, type: name === 'Timestamp' ? 'datetime' : 'string' })),
      rows,
      rowCount: rows.length,
      truncated: false,
      source: 'graph',
      ...overrides,
    },
    engine: { kind: 'offline', durationMs: 5 },
    notes: [],
    subject: {},
    generatedAt: '2026-11-27T10:30:00.000Z',
  };
}

function tableOf(card: unknown): { rows: Array<{ cells: Array<{ items: Array<{ text: string }> }> }> } {
  let found: unknown;
  JSON.stringify(card, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'Table') found = value;
    return value;
  });
  return found as ReturnType<typeof tableOf>;
}

describe('huntResultsCard', () => {
  it('shows the count, the first rows as a table with six columns, and defangs indicators in cells', () => {
    const card = huntResultsCard(makeRun());
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('25 rows, the first 10 shown');
    expect(shown).toContain('2 more column(s) not shown');
    const grid = tableOf(card);
    expect(grid.rows).toHaveLength(11); // header + 10
    expect(grid.rows[0].cells.map((cell) => cell.items[0].text)).toEqual([
      'Timestamp',
      'DeviceName',
      'RemoteIP',
      'RemoteUrl',
      'InitiatingProcessFileName',
      'ActionType',
    ]);
    const cells = JSON.stringify(grid);
    expect(cells).toContain('203.0.113[.]7');
    expect(cells).toContain('hxxps://cdn[.]evil[.]example/stage2.ps1');
    expect(cells).not.toContain('https://cdn.evil.example');
  });

  it('says when the service had more rows than the cap, and when nothing matched', () => {
    expect(renderedText(huntResultsCard(makeRun({ truncated: true })))).toContain('the service had more');
    const empty = huntResultsCard(makeRun({ rows: [], rowCount: 0 }));
    expectValidCard(empty);
    expect(renderedText(empty)).toContain('No rows matched.');
  });

  it('links Defender queries to advanced hunting with the query gzip+base64 encoded', () => {
    const card = huntResultsCard(makeRun());
    const open = card.actions?.find((action) => action.type === 'Action.OpenUrl');
    expect(open).toBeDefined();
    const url = new URL((open as { url: string }).url);
    expect(url.origin + url.pathname).toBe('https://security.microsoft.com/v2/advanced-hunting');
    expect(gunzipSync(Buffer.from(url.searchParams.get('query') ?? '', 'base64')).toString('utf8')).toBe(query);
  });

  it('links Sentinel queries only when the workspace resource id is configured and well formed', () => {
    const sentinelRun = makeRun({ platform: 'sentinel', query: 'SigninLogs | where TimeGenerated > ago(1d)' });
    expect(huntResultsCard(sentinelRun).actions?.some((action) => action.type === 'Action.OpenUrl')).toBe(false);
    const resourceId =
      '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/soc-rg/providers/Microsoft.OperationalInsights/workspaces/soc-ws';
    const linked = huntResultsCard(sentinelRun, { sentinelWorkspaceResourceId: resourceId });
    expectValidCard(linked);
    const open = linked.actions?.find((action) => action.type === 'Action.OpenUrl') as { url: string };
    expect(open.url.startsWith('https://portal.azure.com/#blade/Microsoft_OMS_Portal/Logs.ReactView/resourceId/')).toBe(
      true,
    );
    const spoofed = huntResultsCard(sentinelRun, { sentinelWorkspaceResourceId: 'https://evil.example/' });
    expect(spoofed.actions?.some((action) => action.type === 'Action.OpenUrl')).toBe(false);
  });

  it('explains a rejected query instead of showing results', () => {
    const card = huntResultsCard(
      makeRun({
        status: 'rejected',
        rows: [],
        rowCount: 0,
        columns: [],
        validation: {
          diagnostics: [
            {
              code: 'KS142',
              severity: 'error',
              message: "The name 'Foo' does not refer to any known column.",
              start: 1,
              length: 3,
            },
          ],
        },
      }),
    );
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('Query not run');
    expect(shown).toContain('KS142');
    expect(shown).not.toContain('rows');
  });

  it('stays under the card budget with huge cells', () => {
    const run = makeRun();
    run.result.rows = run.result.rows.map((row) => ({ ...row, DeviceName: 'x'.repeat(50000) }));
    const card = huntResultsCard(run);
    expectValidCard(card);
  });
});
