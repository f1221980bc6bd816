// SOC Copilot on Azure: the bot's host (App Service on Linux, Node 20), its user-assigned managed identity, an
// Azure Bot with the Teams channel, a Storage account for state / outbox / findings / audit, Key Vault for secrets,
// Application Insights and, optionally, an Azure OpenAI deployment and a Log Analytics table for the audit records.
// Every parameter is documented in docs/deploy.md; every app setting below is a variable that src/config.ts reads
// (docs/configuration.md).
//
//   az deployment group create -g <resource group> -f infra/main.bicep -p infra/main.parameters.json
//
// The Agents Toolkit (m365agents.yml, arm/deploy) fills the ${{…}} placeholders of main.parameters.json from
// env/.env.<environment> and writes the outputs below (BOT_ID, BOT_DOMAIN, …) back into that file.

targetScope = 'resourceGroup'

@description('Prefix of every resource name: lower-case letters and digits, 3-16 characters.')
@minLength(3)
@maxLength(16)
param resourceBaseName string

@description('Region of the resources (the Azure Bot itself is global).')
param location string = resourceGroup().location

@description('Display name of the Azure Bot.')
param botDisplayName string = 'SOC Copilot'

@description('UserAssignedMSI: the bot authenticates as the managed identity (no secret). SingleTenant: as an Entra app registration (botAppId + botAppPassword).')
@allowed(['UserAssignedMSI', 'SingleTenant'])
param botAppType string = 'UserAssignedMSI'

@description('SingleTenant only: the client id of the bot\'s Entra app registration.')
param botAppId string = ''

@description('SingleTenant only: the client secret of the bot\'s Entra app registration (stored in Key Vault).')
@secure()
param botAppPassword string = ''

@description('Pricing tier of the Azure Bot: F0 (free, standard channels such as Teams) or S1.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('App Service plan SKU (Linux). B1 for a pilot, P0v3 or larger for production.')
param appServicePlanSku string = 'B1'

@description('Where the bot reads alerts and incidents: demo, graph, sentinel or graph,sentinel (SECURITY_SOURCE).')
param securitySource string = 'demo'

@description('Log Analytics workspace ID (a GUID) of Microsoft Sentinel, when securitySource includes sentinel.')
param sentinelWorkspaceId string = ''

@description('Blob container for state, outbox, findings and audit records (AZURE_STORAGE_CONTAINER).')
param storageContainerName string = 'soc-copilot'

@description('Days an audit record is kept (AUDIT_RETENTION_DAYS).')
param auditRetentionDays int = 365

@description('Also send every audit record to a custom table (SocCopilotAudit_CL) in this deployment\'s Log Analytics workspace, through a data collection endpoint and rule (AUDIT_LOGS_INGESTION_ENDPOINT, AUDIT_LOGS_DCR_ID).')
param auditToLogAnalytics bool = false

@description('Threshold of a channel that subscribes to the alert feed without naming one (ALERT_FEED_DEFAULT_SEVERITY).')
@allowed(['informational', 'low', 'medium', 'high'])
param alertFeedDefaultSeverity string = 'medium'

@description('Poll the security source for new alerts every N seconds; 0 = off (ALERT_POLL_INTERVAL_SECONDS).')
param alertPollIntervalSeconds int = 0

@description('LLM: none (offline engine), azure-openai, openai or openai-compatible (LLM_PROVIDER). deployAzureOpenAI sets azure-openai.')
@allowed(['none', 'azure-openai', 'openai', 'openai-compatible'])
param llmProvider string = 'none'

@description('Create an Azure OpenAI account and model deployment; the bot reaches it with its managed identity (no key).')
param deployAzureOpenAI bool = false

@description('Model of the Azure OpenAI deployment (deployAzureOpenAI).')
param azureOpenAIModelName string = 'gpt-4o-mini'

@description('Model version of the Azure OpenAI deployment (deployAzureOpenAI).')
param azureOpenAIModelVersion string = '2024-07-18'

@description('Capacity of the Azure OpenAI deployment, in thousands of tokens per minute (deployAzureOpenAI).')
param azureOpenAICapacity int = 30

@description('An existing Azure OpenAI endpoint, when not deploying one (AZURE_OPENAI_ENDPOINT).')
param azureOpenAIEndpoint string = ''

@description('The deployment name on an existing Azure OpenAI endpoint (AZURE_OPENAI_DEPLOYMENT).')
param azureOpenAIDeployment string = ''

@description('OpenAI-compatible server URL for llmProvider openai-compatible (OPENAI_BASE_URL).')
param openAIBaseUrl string = ''

@description('Model name for openai / openai-compatible (OPENAI_MODEL).')
param openAIModel string = 'gpt-4o-mini'

@description('API key of the LLM (OpenAI, an OpenAI-compatible server or an existing Azure OpenAI resource); stored in Key Vault.')
@secure()
param llmApiKey string = ''

@description('HMAC secret of POST /api/alerts, 32+ characters; stored in Key Vault. Empty: the webhook answers 503.')
@secure()
param alertsWebhookSecret string = ''

@description('VirusTotal API key; stored in Key Vault. Empty: provider off.')
@secure()
param virusTotalApiKey string = ''

@description('AbuseIPDB API key; stored in Key Vault. Empty: provider off.')
@secure()
param abuseIpDbApiKey string = ''

@description('AlienVault OTX API key; stored in Key Vault. Empty: provider off.')
@secure()
param otxApiKey string = ''

@description('Tags applied to every resource.')
param tags object = {}

var suffix = uniqueString(resourceGroup().id, resourceBaseName)
var names = {
  identity: '${resourceBaseName}-identity'
  plan: '${resourceBaseName}-plan'
  site: '${resourceBaseName}-${suffix}'
  bot: '${resourceBaseName}-bot-${suffix}'
  storage: take('${resourceBaseName}${suffix}', 24)
  keyVault: take('${resourceBaseName}-kv-${suffix}', 24)
  workspace: '${resourceBaseName}-logs'
  insights: '${resourceBaseName}-insights'
  openAI: '${resourceBaseName}-openai-${suffix}'
  auditEndpoint: '${resourceBaseName}-audit-dce'
  auditRule: '${resourceBaseName}-audit-dcr'
}
// Built-in role definition ids.
var roles = {
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  cognitiveServicesOpenAIUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.identity
  location: location
  tags: tags
}

// ---- Storage: one private container, reached with the managed identity (shared keys off) ------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: names.storage
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: storageContainerName
  properties: { publicAccess: 'None' }
}

resource storageRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageBlobDataContributor)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

// ---- Key Vault: secrets as Key Vault references in the app settings ---------------------------------------------

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: names.keyVault
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource keyVaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, identity.id, roles.keyVaultSecretsUser)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

// Only the secrets that were given; an app setting refers to a secret only when it exists.
var secrets = [
  { name: 'bot-app-password', value: botAppPassword }
  { name: 'llm-api-key', value: llmApiKey }
  { name: 'alerts-webhook-secret', value: alertsWebhookSecret }
  { name: 'virustotal-api-key', value: virusTotalApiKey }
  { name: 'abuseipdb-api-key', value: abuseIpDbApiKey }
  { name: 'otx-api-key', value: otxApiKey }
]

resource secretResources 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for secret in secrets: if (!empty(secret.value)) {
    parent: keyVault
    name: secret.name
    properties: { value: secret.value }
  }
]

func secretReference(vaultName string, secretName string) string =>
  '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${secretName})'

// ---- Monitoring ----------------------------------------------------------------------------------------------

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: names.workspace
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: names.insights
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'Node.JS'
    WorkspaceResourceId: workspace.id
  }
}

// ---- Optional: audit records in a Log Analytics custom table (Logs Ingestion API) -----------------------------------
// The columns are src/audit/logs-ingestion/columns.ts's (test/unit/audit/logs-ingestion-docs.test.ts compares them).

var auditTableName = 'SocCopilotAudit_CL'
var auditStream = 'Custom-${auditTableName}'
var auditColumns = [
  { name: 'TimeGenerated', type: 'datetime' }
  { name: 'RecordId', type: 'string' }
  { name: 'Kind', type: 'string' }
  { name: 'Capability', type: 'string' }
  { name: 'Outcome', type: 'string' }
  { name: 'ErrorCode', type: 'string' }
  { name: 'ActorObjectId', type: 'string' }
  { name: 'ActorName', type: 'string' }
  { name: 'ActorUserId', type: 'string' }
  { name: 'ActorTenantId', type: 'string' }
  { name: 'ConversationKind', type: 'string' }
  { name: 'ConversationId', type: 'string' }
  { name: 'TeamId', type: 'string' }
  { name: 'ChannelId', type: 'string' }
  { name: 'Inputs', type: 'dynamic' }
  { name: 'Engine', type: 'string' }
  { name: 'LlmProvider', type: 'string' }
  { name: 'Model', type: 'string' }
  { name: 'PromptTokens', type: 'int' }
  { name: 'CompletionTokens', type: 'int' }
  { name: 'TotalTokens', type: 'int' }
  { name: 'EstimatedCostUsd', type: 'real' }
  { name: 'Sources', type: 'dynamic' }
  { name: 'Kql', type: 'string' }
  { name: 'ResultId', type: 'string' }
  { name: 'DurationMs', type: 'long' }
  { name: 'CorrelationId', type: 'string' }
]

resource auditTable 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = if (auditToLogAnalytics) {
  parent: workspace
  name: auditTableName
  properties: {
    schema: { name: auditTableName, columns: auditColumns }
    // As long as the store keeps them, within the interactive retention Log Analytics allows (4-730 days).
    retentionInDays: max(4, min(auditRetentionDays, 730))
  }
}

resource auditEndpoint 'Microsoft.Insights/dataCollectionEndpoints@2022-06-01' = if (auditToLogAnalytics) {
  name: names.auditEndpoint
  location: location
  tags: tags
  properties: { networkAcls: { publicNetworkAccess: 'Enabled' } }
}

resource auditRule 'Microsoft.Insights/dataCollectionRules@2022-06-01' = if (auditToLogAnalytics) {
  name: names.auditRule
  location: location
  tags: tags
  properties: {
    dataCollectionEndpointId: auditEndpoint.id
    streamDeclarations: { '${auditStream}': { columns: auditColumns } }
    destinations: { logAnalytics: [{ name: 'workspace', workspaceResourceId: workspace.id }] }
    dataFlows: [{ streams: [auditStream], destinations: ['workspace'], transformKql: 'source', outputStream: auditStream }]
  }
  dependsOn: [auditTable]
}

// The bot may send to this rule only (Monitoring Metrics Publisher is the role the Logs Ingestion API checks).
resource auditRuleRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (auditToLogAnalytics) {
  scope: auditRule
  name: guid(resourceGroup().id, names.auditRule, identity.id, roles.monitoringMetricsPublisher)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// ---- Optional Azure OpenAI, reached with the managed identity (local keys off) ------------------------------------

resource openAI 'Microsoft.CognitiveServices/accounts@2024-10-01' = if (deployAzureOpenAI) {
  name: names.openAI
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: { name: 'S0' }
  properties: {
    customSubDomainName: names.openAI
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource openAIDeployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = if (deployAzureOpenAI) {
  parent: openAI
  name: azureOpenAIModelName
  sku: { name: 'GlobalStandard', capacity: azureOpenAICapacity }
  properties: {
    model: { format: 'OpenAI', name: azureOpenAIModelName, version: azureOpenAIModelVersion }
  }
}

resource openAIRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (deployAzureOpenAI) {
  scope: openAI
  name: guid(resourceGroup().id, names.openAI, identity.id, roles.cognitiveServicesOpenAIUser)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.cognitiveServicesOpenAIUser)
  }
}

// ---- The bot's host: App Service on Linux, Node 20 -------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: names.plan
  location: location
  tags: tags
  kind: 'linux'
  sku: { name: appServicePlanSku }
  properties: { reserved: true }
}

var botClientId = botAppType == 'UserAssignedMSI' ? identity.properties.clientId : botAppId
var effectiveLlmProvider = deployAzureOpenAI ? 'azure-openai' : llmProvider
var azureOpenAIEndpointValue = deployAzureOpenAI ? openAI.properties.endpoint : azureOpenAIEndpoint
var azureOpenAIDeploymentValue = deployAzureOpenAI ? openAIDeployment.name : azureOpenAIDeployment

// The variables the app reads (src/config.ts). test/unit/ship/infra.test.ts checks every name between these markers.
// app-settings:begin
var appSettings = union(
  {
    NODE_ENV: 'production'
    LOG_FORMAT: 'json'
    MicrosoftAppId: botClientId
    MicrosoftAppType: botAppType
    MicrosoftAppTenantId: subscription().tenantId
    // DefaultAzureCredential (Blob Storage, Graph, Log Analytics, Azure OpenAI) signs in as the managed identity.
    AZURE_CLIENT_ID: identity.properties.clientId
    AZURE_TENANT_ID: subscription().tenantId
    STORE: 'blob'
    AZURE_STORAGE_ACCOUNT_URL: storage.properties.primaryEndpoints.blob
    AZURE_STORAGE_CONTAINER: storageContainerName
    AUDIT_RETENTION_DAYS: string(auditRetentionDays)
    SECURITY_SOURCE: securitySource
    ALERT_FEED_DEFAULT_SEVERITY: alertFeedDefaultSeverity
    ALERT_POLL_INTERVAL_SECONDS: string(alertPollIntervalSeconds)
    LLM_PROVIDER: effectiveLlmProvider
    OPENAI_MODEL: openAIModel
  },
  empty(sentinelWorkspaceId) ? {} : { SENTINEL_WORKSPACE_ID: sentinelWorkspaceId },
  empty(azureOpenAIEndpointValue)
    ? {}
    : { AZURE_OPENAI_ENDPOINT: azureOpenAIEndpointValue, AZURE_OPENAI_DEPLOYMENT: azureOpenAIDeploymentValue },
  empty(openAIBaseUrl) ? {} : { OPENAI_BASE_URL: openAIBaseUrl },
  auditToLogAnalytics
    ? {
        AUDIT_LOGS_INGESTION_ENDPOINT: auditEndpoint.properties.logsIngestion.endpoint
        AUDIT_LOGS_DCR_ID: auditRule.properties.immutableId
      }
    : {},
  empty(botAppPassword) ? {} : { MicrosoftAppPassword: secretReference(keyVault.name, 'bot-app-password') },
  empty(llmApiKey) || deployAzureOpenAI
    ? {}
    : effectiveLlmProvider == 'azure-openai'
        ? { AZURE_OPENAI_API_KEY: secretReference(keyVault.name, 'llm-api-key') }
        : { OPENAI_API_KEY: secretReference(keyVault.name, 'llm-api-key') },
  empty(alertsWebhookSecret) ? {} : { ALERTS_WEBHOOK_SECRET: secretReference(keyVault.name, 'alerts-webhook-secret') },
  empty(virusTotalApiKey) ? {} : { VIRUSTOTAL_API_KEY: secretReference(keyVault.name, 'virustotal-api-key') },
  empty(abuseIpDbApiKey) ? {} : { ABUSEIPDB_API_KEY: secretReference(keyVault.name, 'abuseipdb-api-key') },
  empty(otxApiKey) ? {} : { OTX_API_KEY: secretReference(keyVault.name, 'otx-api-key') }
)
// app-settings:end

// Settings of the host, not of the app: App Service builds on deploy (npm install + npm run build) and Application
// Insights collects requests, dependencies and logs without code changes.
var platformSettings = {
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
  APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
  ApplicationInsightsAgent_EXTENSION_VERSION: '~3'
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: names.site
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'node dist/index.js'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
    }
  }
}

resource siteSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: site
  name: 'appsettings'
  properties: union(appSettings, platformSettings)
  dependsOn: [keyVaultRole, secretResources, storageRole, container, auditRuleRole]
}

// ---- Azure Bot with the Teams channel ---------------------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: names.bot
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    msaAppId: botClientId
    msaAppType: botAppType
    msaAppTenantId: subscription().tenantId
    msaAppMSIResourceId: botAppType == 'UserAssignedMSI' ? identity.id : null
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

// Written back to env/.env.<environment> by the Agents Toolkit's arm/deploy.
output BOT_ID string = botClientId
output BOT_TENANT_ID string = subscription().tenantId
output BOT_DOMAIN string = site.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${site.properties.defaultHostName}'
output AZURE_APP_SERVICE_RESOURCE_ID string = site.id
output BOT_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output KEY_VAULT_NAME string = keyVault.name
