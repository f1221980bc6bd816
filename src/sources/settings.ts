/** The security data source configuration, resolved and checked by `src/config.ts` from the environment. */

export const securitySourceKinds = ['demo', 'graph', 'sentinel'] as const;
export type SecuritySourceKind = (typeof securitySourceKinds)[number];

/**
 * How the bot signs in to Graph, Log Analytics and ARM: an app registration's secret or certificate, or
 * (nothing explicit) DefaultAzureCredential, which covers managed identity (AZURE_CLIENT_ID picks a
 * user-assigned one), workload identity (AZURE_FEDERATED_TOKEN_FILE) and a developer's Azure CLI login.
 */
export type AzureCredentialSettings =
  | { kind: 'secret'; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'certificate'; tenantId: string; clientId: string; certificatePath: string }
  | { kind: 'default'; tenantId?: string; clientId?: string };

export interface SentinelSettings {
  workspaceId: string;
  /** The workspace as an Azure resource, for incident write-back; absent = read-only. */
  arm?: { subscriptionId: string; resourceGroup: string; workspaceName: string };
}

export interface SecuritySourceSettings {
  /** In the order given: the first of graph/sentinel answers alerts, incidents and users. */
  sources: SecuritySourceKind[];
  credential: AzureCredentialSettings;
  graphBaseUrl?: string;
  logAnalyticsBaseUrl?: string;
  armBaseUrl?: string;
  sentinel?: SentinelSettings;
  /** Per attempt. */
  timeoutMs?: number;
  maxRetries?: number;
}
