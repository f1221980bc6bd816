import { ConfigError, describeConfig, loadConfig } from '../../src/config';

function problemsOf(environment: Record<string, string>): string[] {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs with no environment at all: local, demo data, offline engine, embedded store', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3978,
      environment: 'development',
      logFormat: 'pretty',
      bot: undefined,
      llm: { provider: 'none' },
      securitySource: 'demo',
      store: { kind: 'sqlite', directory: './data' },
    });
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', OPENAI_API_KEY: '  ' }).llm).toEqual({ provider: 'none' });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a whole number'],
    [{ PORT: '70000' }, 'PORT: must be at most 65535'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV: must be one of: development, production, test'],
    [{ OPENAI_BASE_URL: 'not a url' }, 'OPENAI_BASE_URL: must be a URL'],
    [{ LLM_PROVIDER: 'openai' }, 'OPENAI_API_KEY: is required when LLM_PROVIDER=openai'],
    [{ LLM_PROVIDER: 'openai-compatible' }, 'OPENAI_BASE_URL: is required when LLM_PROVIDER=openai-compatible'],
    [{ LLM_PROVIDER: 'azure-openai' }, 'AZURE_OPENAI_ENDPOINT: is required'],
    [{ AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' }, 'AZURE_OPENAI_DEPLOYMENT: is required'],
    [{ MicrosoftAppId: 'app' }, 'MicrosoftAppTenantId: is required'],
    [{ MicrosoftAppId: 'app', MicrosoftAppTenantId: 't' }, 'MicrosoftAppPassword: is required'],
    [{ MicrosoftAppPassword: 'secret' }, 'MicrosoftAppPassword: is set but MicrosoftAppId'],
    [{ MicrosoftAppId: 'app', MicrosoftAppType: 'Single' }, 'MicrosoftAppType: must be SingleTenant'],
  ])('names the bad variable: %j', (environment, expected) => {
    expect(problemsOf(environment).join('\n')).toContain(expected);
  });

  it('selects the Azure Blob store with a connection string or an account URL, in soc-copilot by default', () => {
    const connectionString =
      'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k;EndpointSuffix=core.windows.net';
    expect(loadConfig({ STORE: 'blob', AZURE_STORAGE_CONNECTION_STRING: connectionString }).store).toEqual({
      kind: 'blob',
      container: 'soc-copilot',
      connectionString,
      accountUrl: undefined,
    });
    const config = loadConfig({
      STORE: 'blob',
      AZURE_STORAGE_ACCOUNT_URL: 'https://acct.blob.core.windows.net',
      AZURE_STORAGE_CONTAINER: 'soc-prod',
    });
    expect(config.store).toEqual({
      kind: 'blob',
      container: 'soc-prod',
      connectionString: undefined,
      accountUrl: 'https://acct.blob.core.windows.net',
    });
    expect(
      JSON.stringify(describeConfig(loadConfig({ STORE: 'blob', AZURE_STORAGE_CONNECTION_STRING: connectionString }))),
    ).not.toContain('AccountKey');
    expect(problemsOf({ STORE: 'blob' }).join('\n')).toContain('STORE: blob needs AZURE_STORAGE_CONNECTION_STRING');
    expect(
      problemsOf({ STORE: 'blob', AZURE_STORAGE_ACCOUNT_URL: 'https://a', AZURE_STORAGE_CONTAINER: 'Bad_Name' }),
    ).toEqual([expect.stringMatching(/^AZURE_STORAGE_CONTAINER: must be 3-63 lower-case/)]);
  });

  it('limits LLM-backed work with sane defaults, 0 meaning unlimited', () => {
    expect(loadConfig({}).llmLimits).toEqual({
      ratePerUser: 20,
      ratePerConversation: 60,
      maxConcurrency: 8,
      maxQueue: 64,
      dailyTokenBudget: 0,
    });
    expect(loadConfig({ LLM_RATE_PER_USER: '0', LLM_DAILY_TOKEN_BUDGET: '200000' }).llmLimits).toMatchObject({
      ratePerUser: 0,
      dailyTokenBudget: 200000,
    });
    expect(problemsOf({ LLM_MAX_CONCURRENCY: 'many' }).join('\n')).toContain(
      'LLM_MAX_CONCURRENCY: must be a whole number',
    );
  });

  it('keeps audit records 365 days unless AUDIT_RETENTION_DAYS says otherwise', () => {
    expect(loadConfig({}).audit).toEqual({ retentionDays: 365 });
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '30' }).audit).toEqual({ retentionDays: 30 });
    expect(problemsOf({ AUDIT_RETENTION_DAYS: '0' }).join('\n')).toContain('AUDIT_RETENTION_DAYS: must be at least 1');
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', STORE: 'mongo' });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'STORE']);
  });

  it('never puts a secret value in the error message', () => {
    const secret = 'sk-live-very-secret-value';
    expect(() => loadConfig({ MicrosoftAppPassword: secret })).toThrow(ConfigError);
    expect(problemsOf({ MicrosoftAppPassword: secret }).join('\n')).not.toContain(secret);
  });

  it('accepts the Teams Toolkit names as aliases and defaults to a single-tenant bot', () => {
    const config = loadConfig({ BOT_ID: 'app-id', BOT_PASSWORD: 'secret', BOT_TENANT_ID: 'tenant' });
    expect(config.bot).toEqual({ appId: 'app-id', appPassword: 'secret', appType: 'SingleTenant', tenantId: 'tenant' });
  });

  it('lets a managed identity bot run without a password', () => {
    expect(
      loadConfig({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' }).bot
        ?.appType,
    ).toBe('UserAssignedMSI');
  });

  it.each([
    [{ OPENAI_API_KEY: 'k' }, { provider: 'openai', apiKey: 'k', model: 'gpt-4o-mini' }],
    [
      { OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_MODEL: 'llama3.1' },
      { provider: 'openai-compatible', baseUrl: 'http://localhost:11434/v1', model: 'llama3.1' },
    ],
    [
      { AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com', AZURE_OPENAI_DEPLOYMENT: 'gpt4o' },
      { provider: 'azure-openai', deployment: 'gpt4o', apiVersion: '2024-10-21', apiKey: undefined },
    ],
    [{ OPENAI_API_KEY: 'k', LLM_PROVIDER: 'none' }, { provider: 'none' }],
  ])('picks the LLM from the usual variables: %j', (environment, expected) => {
    expect(loadConfig(environment).llm).toMatchObject(expected);
  });

  it('listens on loopback only in anonymous local mode, and on every interface when authenticated', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ BOT_ID: 'app', BOT_PASSWORD: 'pw', BOT_TENANT_ID: 't' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('logs JSON in production', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).logFormat).toBe('json');
  });

  it('describes itself without secrets', () => {
    const described = JSON.stringify(
      describeConfig(
        loadConfig({ OPENAI_API_KEY: 'sk-secret', BOT_ID: 'app', BOT_PASSWORD: 'pw-secret', BOT_TENANT_ID: 't' }),
      ),
    );
    expect(described).not.toContain('sk-secret');
    expect(described).not.toContain('pw-secret');
    expect(described).toContain('SingleTenant');
  });
});

describe('loadConfig: security data sources', () => {
  const workspace = '3f2a9c1e-7b4d-4e8a-9c0f-5d6e7f8a9b0c';

  it('defaults to demo and accepts a comma list', () => {
    expect(loadConfig({}).securitySources).toMatchObject({ sources: ['demo'], credential: { kind: 'default' } });
    const config = loadConfig({ SECURITY_SOURCE: 'Graph, sentinel', SENTINEL_WORKSPACE_ID: workspace });
    expect(config.securitySource).toBe('graph,sentinel');
    expect(config.securitySources).toMatchObject({
      sources: ['graph', 'sentinel'],
      sentinel: { workspaceId: workspace, arm: undefined },
      timeoutMs: 30000,
      maxRetries: 3,
    });
  });

  it('picks the credential: client secret, certificate, else DefaultAzureCredential', () => {
    const ids = { SECURITY_SOURCE: 'graph', AZURE_TENANT_ID: 'tenant', AZURE_CLIENT_ID: 'client' };
    expect(loadConfig({ ...ids, AZURE_CLIENT_SECRET: 's3cret' }).securitySources.credential).toEqual({
      kind: 'secret',
      tenantId: 'tenant',
      clientId: 'client',
      clientSecret: 's3cret',
    });
    expect(loadConfig({ ...ids, AZURE_CLIENT_CERTIFICATE_PATH: '/certs/app.pem' }).securitySources.credential).toEqual({
      kind: 'certificate',
      tenantId: 'tenant',
      clientId: 'client',
      certificatePath: '/certs/app.pem',
    });
    expect(loadConfig(ids).securitySources.credential).toEqual({
      kind: 'default',
      tenantId: 'tenant',
      clientId: 'client',
    });
  });

  it('takes the ARM coordinates for Sentinel write-back and the base URL overrides', () => {
    const config = loadConfig({
      SECURITY_SOURCE: 'sentinel',
      SENTINEL_WORKSPACE_ID: workspace,
      SENTINEL_SUBSCRIPTION_ID: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
      SENTINEL_RESOURCE_GROUP: 'soc-rg',
      SENTINEL_WORKSPACE_NAME: 'contoso-sentinel',
      LOG_ANALYTICS_BASE_URL: 'https://api.loganalytics.us',
      GRAPH_BASE_URL: 'https://graph.microsoft.us',
      ARM_BASE_URL: 'https://management.usgovcloudapi.net',
    });
    expect(config.securitySources).toMatchObject({
      sentinel: { arm: { subscriptionId: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', resourceGroup: 'soc-rg' } },
      logAnalyticsBaseUrl: 'https://api.loganalytics.us',
      graphBaseUrl: 'https://graph.microsoft.us',
      armBaseUrl: 'https://management.usgovcloudapi.net',
    });
  });

  it.each([
    [{ SECURITY_SOURCE: 'splunk' }, 'SECURITY_SOURCE: must be demo, graph, sentinel or a comma list'],
    [{ SECURITY_SOURCE: 'demo,graph' }, 'SECURITY_SOURCE: demo cannot be combined'],
    [{ SECURITY_SOURCE: 'sentinel' }, 'SENTINEL_WORKSPACE_ID: is required when SECURITY_SOURCE includes sentinel'],
    [
      { SECURITY_SOURCE: 'sentinel', SENTINEL_WORKSPACE_ID: 'contoso-sentinel' },
      'SENTINEL_WORKSPACE_ID: must be the workspace ID',
    ],
    [
      { SECURITY_SOURCE: 'sentinel', SENTINEL_WORKSPACE_ID: workspace, SENTINEL_RESOURCE_GROUP: 'soc-rg' },
      'SENTINEL_SUBSCRIPTION_ID: is required for Sentinel incident write-back',
    ],
    [{ SECURITY_SOURCE: 'graph', AZURE_CLIENT_SECRET: 'x' }, 'AZURE_TENANT_ID: is required with AZURE_CLIENT_SECRET'],
    [{ SECURITY_SOURCE: 'graph', AZURE_CLIENT_SECRET: 'x' }, 'AZURE_CLIENT_ID: is required with AZURE_CLIENT_SECRET'],
    [
      { SECURITY_SOURCE: 'graph', AZURE_CLIENT_SECRET: 'x', AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem' },
      'AZURE_CLIENT_SECRET: set either it or AZURE_CLIENT_CERTIFICATE_PATH',
    ],
    [{ GRAPH_BASE_URL: 'graph' }, 'GRAPH_BASE_URL: must be a URL'],
  ])('names the bad data-source variable: %j', (environment, expected) => {
    expect(problemsOf(environment).join('\n')).toContain(expected);
  });

  it('never echoes the client secret', () => {
    const secret = 'Q~very-secret-client-secret';
    const problems = problemsOf({ SECURITY_SOURCE: 'graph', AZURE_CLIENT_SECRET: secret });
    expect(problems.join('\n')).not.toContain(secret);
    const config = loadConfig({
      SECURITY_SOURCE: 'graph',
      AZURE_CLIENT_SECRET: secret,
      AZURE_TENANT_ID: 't',
      AZURE_CLIENT_ID: 'c',
    });
    expect(JSON.stringify(describeConfig(config))).not.toContain(secret);
    expect(describeConfig(config)).toMatchObject({ securitySource: 'graph', securityCredential: 'secret' });
  });
});

describe('loadConfig: alert feed', () => {
  const secret = 'a-webhook-secret-that-is-long-enough-0123456789';

  it('keeps the webhook and the poller off by default', () => {
    const config = loadConfig({});
    expect(config.alertFeed).toEqual({
      pollIntervalSeconds: 0,
      defaultSeverity: 'medium',
      demoAlertIntervalSeconds: 0,
    });
    expect(describeConfig(config)).toMatchObject({
      alertWebhook: 'off (no ALERTS_WEBHOOK_SECRET)',
      alertPollSeconds: 'off',
    });
  });

  it('takes the secret, poll interval, default threshold and demo interval', () => {
    const config = loadConfig({
      ALERTS_WEBHOOK_SECRET: secret,
      ALERT_POLL_INTERVAL_SECONDS: '30',
      ALERT_FEED_DEFAULT_SEVERITY: 'high',
      ALERT_DEMO_INTERVAL_SECONDS: '180',
    });
    expect(config.alertFeed).toEqual({
      webhookSecret: secret,
      pollIntervalSeconds: 30,
      defaultSeverity: 'high',
      demoAlertIntervalSeconds: 180,
    });
    expect(JSON.stringify(describeConfig(config))).not.toContain(secret);
  });

  it('refuses a short secret without echoing it, and a bad threshold', () => {
    let message = '';
    try {
      loadConfig({ ALERTS_WEBHOOK_SECRET: 'short-secret-value', ALERT_FEED_DEFAULT_SEVERITY: 'critical' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('ALERTS_WEBHOOK_SECRET');
    expect(message).toContain('ALERT_FEED_DEFAULT_SEVERITY');
    expect(message).not.toContain('short-secret-value');
  });
});
