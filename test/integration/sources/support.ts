import { createSecurityDataSource, type SecuritySourceSettings } from '../../../src/sources';
import type { Logger } from '../../../src/logger';
import { FakeCredential, recordingSleep, type FakeAzureServer } from './fake-azure';

export const WORKSPACE_ID = '3f2a9c1e-7b4d-4e8a-9c0f-5d6e7f8a9b0c';
export const ARM_WORKSPACE = {
  subscriptionId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  resourceGroup: 'soc-rg',
  workspaceName: 'contoso-sentinel',
};
export const NOW = new Date('2026-03-02T10:00:00.000Z');

/** Sources exactly as the bot builds them from configuration, pointed at the loopback fake. */
export function sourcesAgainst(
  server: FakeAzureServer,
  sources: SecuritySourceSettings['sources'],
  extra: { logger?: Logger; credential?: FakeCredential; arm?: boolean } = {},
) {
  const credential = extra.credential ?? new FakeCredential('SECRET-BEARER');
  const sleeper = recordingSleep();
  const settings: SecuritySourceSettings = {
    sources,
    credential: { kind: 'default' },
    graphBaseUrl: server.url,
    logAnalyticsBaseUrl: server.url,
    armBaseUrl: server.url,
    sentinel: { workspaceId: WORKSPACE_ID, arm: extra.arm === false ? undefined : ARM_WORKSPACE },
    maxRetries: 3,
  };
  const source = createSecurityDataSource(settings, {
    credential,
    sleep: sleeper.sleep,
    clock: () => NOW,
    logger: extra.logger,
  });
  return { source, credential, waits: sleeper.waits };
}

export const LA_QUERY = `POST /v1/workspaces/${WORKSPACE_ID}/query`;
export const ARM_INCIDENTS = `/subscriptions/${ARM_WORKSPACE.subscriptionId}/resourceGroups/${ARM_WORKSPACE.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${ARM_WORKSPACE.workspaceName}/providers/Microsoft.SecurityInsights/incidents`;

/** A Log Analytics answer from records: one table, columns from the first record's keys. */
export function laTable(records: Array<Record<string, unknown>>, types: Record<string, string> = {}) {
  const names = records.length === 0 ? [] : Object.keys(records[0]);
  return {
    tables: [
      {
        name: 'PrimaryResult',
        columns: names.map((name) => ({ name, type: types[name] ?? 'string' })),
        rows: records.map((record) => names.map((name) => record[name] ?? null)),
      },
    ],
  };
}

/** Waits until the bot's background start-up probe of its data source is done, so it takes no scripted reply. */
export async function waitForSourceProbe(botUrl: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const readiness = (await (await fetch(`${botUrl}/readyz`)).json()) as { checks?: { dataSource?: string } };
    if (readiness.checks?.dataSource !== 'starting') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
