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
    expect(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI' }).bot?.appType).toBe(
      'UserAssignedMSI',
    );
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
