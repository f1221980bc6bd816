import type { JsonHttpClient } from '../../../../src/http';
import { HUNTING_TIMEOUT_MS } from '../../../../src/sources/http/hunting';
import { runGraphHuntingQuery } from '../../../../src/sources/graph/hunting';
import type { LogAnalyticsQueryClient, LogAnalyticsQueryOptions } from '../../../../src/sources/sentinel/log-analytics';
import { SentinelSecurityDataSource } from '../../../../src/sources/sentinel/sentinel-source';

/**
 * The long per-attempt time-out is for an analyst's hunting query only: lookups (an alert, an incident, a list)
 * keep the JSON client's own time-out (SOURCE_TIMEOUT_MS), so a hung workspace cannot hold a chat turn for minutes.
 */
describe('hunting query time-outs', () => {
  it('Sentinel passes the hunting time-out for hunting queries and none for lookups', async () => {
    const calls: Array<LogAnalyticsQueryOptions & { kql: string }> = [];
    const logAnalytics = {
      workspaceId: 'workspace',
      health: [],
      query: async (kql: string, options: LogAnalyticsQueryOptions = {}) => {
        calls.push({ kql, ...options });
        return { columns: [], rows: [], truncated: false };
      },
    } as unknown as LogAnalyticsQueryClient;
    const source = new SentinelSecurityDataSource({ logAnalytics, clock: () => new Date('2025-03-04T09:00:00Z') });

    await source.listAlerts({ limit: 5 });
    await source.getAlert('5f2b8c1e-7a4d-4e8a-9c0f-5d6e7f8a9b0c');
    await source.listIncidents({ limit: 5 });
    await source.runHuntingQuery('SecurityEvent | take 1', { platform: 'sentinel', timespan: 'P1D' });

    expect(calls.map((call) => [call.operation, call.timeoutMs])).toEqual([
      ['list alerts', undefined],
      ['get alert', undefined],
      ['list incidents', undefined],
      ['run hunting query', HUNTING_TIMEOUT_MS],
    ]);
  });

  it('Defender advanced hunting uses the same hunting time-out', async () => {
    const send = jest.fn(async () => ({ schema: [], results: [] }));
    await runGraphHuntingQuery({ send } as unknown as JsonHttpClient, 'DeviceEvents | take 1', {});
    expect(send).toHaveBeenCalledWith(expect.objectContaining({ timeoutMs: HUNTING_TIMEOUT_MS }));
  });
});
