import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential, getBearerTokenProvider } from '@azure/identity';
import OpenAI, { AzureOpenAI } from 'openai';
import type { Fetch } from 'openai/core';
import { CopilotError } from '../errors';
import type { LlmProvider } from './port';

/** The pino-shaped subset of a logger the adapter needs; a pino logger fits as is. */
export interface LlmLogger {
  debug(details: object, text: string): void;
  info(details: object, text: string): void;
  warn(details: object, text: string): void;
}

interface CommonClientOptions {
  /** Per-attempt time-out; a retry gets a fresh one. */
  timeoutMs: number;
  /** Retries after the first attempt for 429, 500/502/503/504 and connection errors. */
  maxRetries: number;
  /** Longest single wait before a retry (default 30 s); a longer Retry-After makes us give up. */
  maxRetryWaitMs?: number;
  /** First back-off delay when the server gives no Retry-After (default 500 ms). */
  retryBaseDelayMs?: number;
  /** Replaces the HTTP client (the SDK's own by default). */
  fetch?: Fetch;
  logger?: LlmLogger;
  /** Replaces the real wait between retries; tests record the waits instead of sleeping. */
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** Source of jitter, in [0, 1); tests fix it. */
  random?: () => number;
}

export type OpenAiClientOptions =
  | (CommonClientOptions & { provider: 'openai'; apiKey: string; baseUrl?: string; model: string })
  | (CommonClientOptions & { provider: 'openai-compatible'; apiKey?: string; baseUrl: string; model: string })
  | (CommonClientOptions & {
      provider: 'azure-openai';
      /** e.g. https://my-resource.openai.azure.com */
      endpoint: string;
      deployment: string;
      /** Defaults to the GA version that supports json_schema structured output. */
      apiVersion?: string;
      /** Absent: Entra ID token from `credential` (DefaultAzureCredential by default). */
      apiKey?: string;
      credential?: TokenCredential;
    });

export const defaultAzureApiVersion = '2024-10-21';
export const defaultOpenAiBaseUrl = 'https://api.openai.com/v1';
/** Local servers (Ollama, llama.cpp, vLLM without --api-key) ignore the key, but the SDK insists on one. */
export const placeholderApiKey = 'not-needed';
const cognitiveServicesScope = 'https://cognitiveservices.azure.com/.default';

/** The model or deployment name the port reports as `model`. */
export function configuredModel(options: OpenAiClientOptions): string {
  return options.provider === 'azure-openai' ? options.deployment : options.model;
}

function requireText(value: string | undefined, variable: string, provider: LlmProvider): string {
  if (value === undefined || value.trim() === '') {
    throw new CopilotError('config_invalid', `${variable} is required for LLM provider ${provider}`);
  }
  return value;
}

/**
 * Wraps the Entra ID token provider so a credential failure (no managed identity, expired az login) is
 * an auth failure of the LLM port, not an unexplained crash inside the SDK.
 */
function entraTokenProvider(credential: TokenCredential): () => Promise<string> {
  const getToken = getBearerTokenProvider(credential, cognitiveServicesScope);
  return async () => {
    try {
      return await getToken();
    } catch (error) {
      throw new CopilotError('llm_auth_failed', 'Could not get an Entra ID token for Azure OpenAI', {
        cause: error,
      });
    }
  };
}

/**
 * Builds the SDK client for a provider. Every value is passed explicitly: the SDK would otherwise read
 * OPENAI_BASE_URL, OPENAI_ORG_ID or AZURE_OPENAI_API_KEY from the environment behind the configuration's
 * back. The SDK's own retries are off (we retry, observably), and its time-out is a safety net a little
 * longer than ours so that ours, which also covers reading the body, decides.
 */
export function createOpenAiSdk(options: OpenAiClientOptions): OpenAI {
  const transport = {
    maxRetries: 0,
    timeout: options.timeoutMs + 1_000,
    fetch: options.fetch,
    organization: null,
    project: null,
  };
  switch (options.provider) {
    case 'openai':
      return new OpenAI({
        ...transport,
        apiKey: requireText(options.apiKey, 'OPENAI_API_KEY', options.provider),
        baseURL: options.baseUrl ?? defaultOpenAiBaseUrl,
      });
    case 'openai-compatible':
      return new OpenAI({
        ...transport,
        apiKey: options.apiKey === undefined || options.apiKey === '' ? placeholderApiKey : options.apiKey,
        baseURL: requireText(options.baseUrl, 'OPENAI_BASE_URL', options.provider),
      });
    case 'azure-openai': {
      const endpoint = requireText(options.endpoint, 'AZURE_OPENAI_ENDPOINT', options.provider).replace(/\/+$/, '');
      const common = {
        ...transport,
        // baseURL rather than endpoint: the SDK refuses both, and would take baseURL from OPENAI_BASE_URL.
        baseURL: `${endpoint}/openai`,
        deployment: requireText(options.deployment, 'AZURE_OPENAI_DEPLOYMENT', options.provider),
        apiVersion: options.apiVersion ?? defaultAzureApiVersion,
      };
      if (options.apiKey !== undefined && options.apiKey !== '') {
        return new AzureOpenAI({ ...common, apiKey: options.apiKey });
      }
      return new AzureOpenAI({
        ...common,
        // An empty key, not undefined: undefined would make the SDK read AZURE_OPENAI_API_KEY and then
        // refuse the token provider as "mutually exclusive".
        apiKey: '',
        azureADTokenProvider: entraTokenProvider(options.credential ?? new DefaultAzureCredential()),
      });
    }
  }
}
