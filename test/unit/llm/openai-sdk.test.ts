import type { TokenCredential } from '@azure/identity';
import { AzureOpenAI } from 'openai';
import { CopilotError } from '../../../src/errors';
import { createLlmFromConfig } from '../../../src/llm';
import type { OpenAiClientOptions } from '../../../src/llm/openai-sdk';
import { configuredModel, createOpenAiSdk, defaultOpenAiBaseUrl } from '../../../src/llm/openai-sdk';

const transport = { timeoutMs: 5_000, maxRetries: 2 };
const staticCredential: TokenCredential = {
  getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }),
};

describe('createOpenAiSdk', () => {
  const savedEnvironment = { ...process.env };

  afterEach(() => {
    process.env = { ...savedEnvironment };
  });

  it('turns the SDK retries off and keeps its time-out just above ours', () => {
    const sdk = createOpenAiSdk({ provider: 'openai', apiKey: 'k', model: 'gpt-4o-mini', ...transport });
    expect(sdk.maxRetries).toBe(0);
    expect(sdk.timeout).toBe(6_000);
  });

  it('uses the OpenAI base URL by default, ignoring OPENAI_BASE_URL and OPENAI_ORG_ID in the environment', () => {
    process.env.OPENAI_BASE_URL = 'http://elsewhere.invalid/v1';
    process.env.OPENAI_ORG_ID = 'org-from-environment';
    const sdk = createOpenAiSdk({ provider: 'openai', apiKey: 'k', model: 'gpt-4o-mini', ...transport });
    expect(sdk.baseURL).toBe(defaultOpenAiBaseUrl);
    expect(sdk.organization).toBeNull();
  });

  it('points an OpenAI-compatible client at its base URL', () => {
    const sdk = createOpenAiSdk({
      provider: 'openai-compatible',
      baseUrl: 'http://localhost:11434/v1',
      model: 'llama3.1',
      ...transport,
    });
    expect(sdk.baseURL).toBe('http://localhost:11434/v1');
    expect(sdk.apiKey).toBe('not-needed');
  });

  it('builds Azure from the endpoint, even with OPENAI_BASE_URL and AZURE_OPENAI_API_KEY set', () => {
    process.env.OPENAI_BASE_URL = 'http://elsewhere.invalid/v1';
    process.env.AZURE_OPENAI_API_KEY = 'key-from-environment';
    const sdk = createOpenAiSdk({
      provider: 'azure-openai',
      endpoint: 'https://soc.openai.azure.com/',
      deployment: 'gpt4o',
      credential: staticCredential,
      ...transport,
    });
    expect(sdk).toBeInstanceOf(AzureOpenAI);
    expect(sdk.baseURL).toBe('https://soc.openai.azure.com/openai');
    expect((sdk as AzureOpenAI).apiVersion).toBe('2024-10-21');
  });

  it.each<[string, OpenAiClientOptions, string]>([
    ['openai without a key', { provider: 'openai', apiKey: '', model: 'm', ...transport }, 'OPENAI_API_KEY'],
    [
      'compatible without a URL',
      { provider: 'openai-compatible', baseUrl: ' ', model: 'm', ...transport },
      'OPENAI_BASE_URL',
    ],
    [
      'azure without an endpoint',
      { provider: 'azure-openai', endpoint: '', deployment: 'd', apiKey: 'k', ...transport },
      'AZURE_OPENAI_ENDPOINT',
    ],
    [
      'azure without a deployment',
      { provider: 'azure-openai', endpoint: 'https://x', deployment: '', apiKey: 'k', ...transport },
      'AZURE_OPENAI_DEPLOYMENT',
    ],
  ])('refuses %s with config_invalid naming the variable', (_name, options, variable) => {
    let thrown: unknown;
    try {
      createOpenAiSdk(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CopilotError);
    expect(thrown).toMatchObject({ code: 'config_invalid' });
    expect((thrown as CopilotError).message).toContain(variable);
  });
});

describe('configuredModel', () => {
  it('is the deployment for Azure and the model otherwise', () => {
    expect(
      configuredModel({
        provider: 'azure-openai',
        endpoint: 'https://x',
        deployment: 'dep',
        apiKey: 'k',
        ...transport,
      }),
    ).toBe('dep');
    expect(configuredModel({ provider: 'openai', apiKey: 'k', model: 'gpt-4o', ...transport })).toBe('gpt-4o');
  });
});

describe('createLlmFromConfig', () => {
  it('returns no client when no LLM is configured', () => {
    expect(createLlmFromConfig({ provider: 'none' })).toBeUndefined();
  });

  it('returns a client for a configured provider', () => {
    const client = createLlmFromConfig({
      provider: 'openai-compatible',
      baseUrl: 'http://localhost:8000/v1',
      model: 'qwen',
      ...transport,
    });
    expect(client).toMatchObject({ provider: 'openai-compatible', model: 'qwen' });
  });
});
