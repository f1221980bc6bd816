import { z } from 'zod';
import type { EnrichmentSettings } from './intel/enrichment/settings';
import type { AccessConfig } from './security/access';
import type { LlmCircuitSettings } from './llm/circuit-client';
import type { LlmLimitsSettings } from './llm/limits';
import { securitySourceKinds } from './sources/settings';
import type { AzureCredentialSettings, SecuritySourceKind, SecuritySourceSettings } from './sources/settings';
import { describeTracing, type TracingSettings } from './telemetry/settings';

/**
 * One zod schema over the environment. Invalid configuration stops start-up with a message that names
 * every bad variable and what is wrong with it. Nothing else in the code reads `process.env`.
 */

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
const optionalUrl = z.preprocess(
  emptyToUndefined,
  z.string().trim().url('must be a URL, e.g. https://host/path').optional(),
);
const integer = (fallback: number, minimum: number, maximum: number) =>
  z.preprocess(
    (value) => emptyToUndefined(value) ?? String(fallback),
    z
      .string()
      .trim()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(minimum, `must be at least ${minimum}`).max(maximum, `must be at most ${maximum}`)),
  );
const flag = (fallback: boolean) =>
  z.preprocess(
    (value) => emptyToUndefined(value) ?? String(fallback),
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { errorMap: () => ({ message: 'must be true or false' }) })
      .transform((text) => text === 'true' || text === '1' || text === 'yes'),
  );
const enumWithDefault = <T extends [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.preprocess(
    (value) => emptyToUndefined(value) ?? fallback,
    z.enum(values, { errorMap: () => ({ message: `must be one of: ${values.join(', ')}` }) }),
  );

const EnvironmentSchema = z.object({
  NODE_ENV: enumWithDefault(['development', 'production', 'test'], 'development'),
  // 0 picks any free port (tests, benchmarks).
  PORT: integer(3978, 0, 65535),
  // Unset: every interface when the bot authenticates requests, loopback only in anonymous local mode.
  HOST: optionalString,
  LOG_LEVEL: enumWithDefault(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  LOG_FORMAT: enumWithDefault(['auto', 'json', 'pretty'], 'auto'),
  BOT_NAME: z.preprocess((value) => emptyToUndefined(value) ?? 'SOC Copilot', z.string().max(60)),

  // Bot identity (Azure Bot registration). Teams Toolkit names (BOT_ID …) are accepted as aliases.
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.preprocess(
    emptyToUndefined,
    z
      .enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI'], {
        errorMap: () => ({ message: 'must be SingleTenant, MultiTenant or UserAssignedMSI' }),
      })
      .optional(),
  ),
  MicrosoftAppTenantId: optionalString,
  // Where the Bot Framework's token signing keys are published; only for sovereign clouds and tests.
  BOT_OPENID_METADATA_URL: optionalUrl,
  // Who may use the bot (comma lists; "*" = any tenant) and who may do what (Entra ID user object ids).
  ALLOWED_TENANT_IDS: optionalString,
  ALLOWED_TEAM_IDS: optionalString,
  ALLOWED_CHANNEL_IDS: optionalString,
  RESPONDER_IDS: optionalString,
  LEAD_IDS: optionalString,

  // LLM: OpenAI, Azure OpenAI or any OpenAI-compatible server; none = the offline engine answers.
  LLM_PROVIDER: enumWithDefault(['auto', 'none', 'openai', 'azure-openai', 'openai-compatible'], 'auto'),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_MODEL: z.preprocess((value) => emptyToUndefined(value) ?? 'gpt-4o-mini', z.string()),
  AZURE_OPENAI_ENDPOINT: optionalUrl,
  AZURE_OPENAI_API_KEY: optionalString,
  AZURE_OPENAI_DEPLOYMENT: optionalString,
  AZURE_OPENAI_API_VERSION: z.preprocess((value) => emptyToUndefined(value) ?? '2024-10-21', z.string()),
  LLM_TIMEOUT_MS: integer(30000, 1000, 600000),
  LLM_MAX_RETRIES: integer(2, 0, 10),
  // Limits on LLM-backed work (src/llm/limits.ts): per minute per user / conversation, in flight at once, waiting
  // for a slot, and tokens per team per UTC day; 0 = unlimited.
  LLM_RATE_PER_USER: integer(20, 0, 100000),
  LLM_RATE_PER_CONVERSATION: integer(60, 0, 100000),
  LLM_MAX_CONCURRENCY: integer(8, 0, 1000),
  LLM_MAX_QUEUE: integer(64, 0, 100000),
  LLM_DAILY_TOKEN_BUDGET: integer(0, 0, 1000000000000),
  // Replace user and host names in prompts by pseudonyms, restored in the answer (src/llm/pseudonymising-client.ts).
  LLM_PSEUDONYMIZE: flag(false),
  // Consecutive model outages (unreachable, 5xx, time-outs) that open its circuit breaker (0 = none), and how long
  // it stays open before one trial call (src/llm/circuit-client.ts).
  LLM_CIRCUIT_FAILURES: integer(5, 0, 1000),
  LLM_CIRCUIT_COOLDOWN_SECONDS: integer(30, 1, 3600),

  // Security data: demo, graph, sentinel, or a comma list (graph,sentinel: Graph for alerts, incidents and users;
  // hunting goes to Graph for Defender queries and to Sentinel for Log Analytics ones).
  SECURITY_SOURCE: z.preprocess(
    (value) => emptyToUndefined(value) ?? 'demo',
    z
      .string()
      .transform((text) => [...new Set(text.split(',').map((part) => part.trim().toLowerCase()))])
      .refine((parts) => parts.every((part) => (securitySourceKinds as readonly string[]).includes(part)), {
        message: 'must be demo, graph, sentinel or a comma list such as graph,sentinel',
      })
      .transform((parts) => parts as SecuritySourceKind[]),
  ),
  // How the bot signs in to Graph, Log Analytics and ARM. Nothing explicit: DefaultAzureCredential
  // (managed identity, workload identity, Azure CLI).
  AZURE_TENANT_ID: optionalString,
  AZURE_CLIENT_ID: optionalString,
  AZURE_CLIENT_SECRET: optionalString,
  AZURE_CLIENT_CERTIFICATE_PATH: optionalString,
  SENTINEL_WORKSPACE_ID: optionalString,
  SENTINEL_SUBSCRIPTION_ID: optionalString,
  SENTINEL_RESOURCE_GROUP: optionalString,
  SENTINEL_WORKSPACE_NAME: optionalString,
  // Sovereign clouds (e.g. https://graph.microsoft.us) and tests.
  GRAPH_BASE_URL: optionalUrl,
  LOG_ANALYTICS_BASE_URL: optionalUrl,
  ARM_BASE_URL: optionalUrl,
  SOURCE_TIMEOUT_MS: integer(30000, 1000, 600000),
  SOURCE_MAX_RETRIES: integer(3, 0, 10),

  // MITRE ATT&CK: the full STIX bundle adds descriptions, detection guidance and mitigations.
  ATTACK_STIX_PATH: optionalString,

  // KQL: an operator's workspace schema ({"tables": {"Name": [["Column", "type"], …]}}) extends the bundled one.
  KQL_SCHEMA_PATH: optionalString,
  // Load the Kusto parser right after start-up (blocks the process for a few seconds, once) instead of in
  // the first hunting turn. Tests turn it off so their timings are not skewed.
  KQL_WARMUP: flag(true),

  // Threat-intelligence enrichment: each provider is enabled by its key.
  VIRUSTOTAL_API_KEY: optionalString,
  ABUSEIPDB_API_KEY: optionalString,
  OTX_API_KEY: optionalString,
  MDTI_ENABLED: flag(false),
  ENRICHMENT_CACHE_TTL_SECONDS: integer(21600, 0, 604800),
  ENRICHMENT_UNKNOWN_CACHE_TTL_SECONDS: integer(3600, 0, 604800),
  ENRICHMENT_TIMEOUT_MS: integer(10000, 1000, 120000),
  ENRICHMENT_MAX_RETRIES: integer(2, 0, 5),
  ENRICHMENT_MAX_WAIT_SECONDS: integer(60, 0, 3600),
  VIRUSTOTAL_REQUESTS_PER_MINUTE: integer(4, 1, 10000),
  ABUSEIPDB_REQUESTS_PER_MINUTE: integer(30, 1, 10000),
  OTX_REQUESTS_PER_MINUTE: integer(60, 1, 10000),
  MDTI_REQUESTS_PER_MINUTE: integer(60, 1, 10000),
  // The alert feed: POST /api/alerts is off (503) without a secret; the poller is off at 0.
  ALERTS_WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  ),
  ALERT_POLL_INTERVAL_SECONDS: integer(0, 0, 86400),
  ALERT_FEED_DEFAULT_SEVERITY: enumWithDefault(
    ['informational', 'low', 'medium', 'high'] as ['informational', 'low', 'medium', 'high'],
    'medium',
  ),
  ALERT_DEMO_INTERVAL_SECONDS: integer(0, 0, 86400),
  STORE: enumWithDefault(['sqlite', 'memory', 'blob'], 'sqlite'),
  STORE_DIRECTORY: z.preprocess((value) => emptyToUndefined(value) ?? './data', z.string()),
  // STORE=blob: a connection string, or an account URL with DefaultAzureCredential (managed identity).
  AZURE_STORAGE_CONNECTION_STRING: optionalString,
  AZURE_STORAGE_ACCOUNT_URL: optionalUrl,
  AZURE_STORAGE_CONTAINER: z.preprocess(
    (value) => emptyToUndefined(value) ?? 'soc-copilot',
    z
      .string()
      .regex(
        /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/,
        'must be 3-63 lower-case letters, digits and single hyphens (an Azure container name)',
      ),
  ),
  AUDIT_RETENTION_DAYS: integer(365, 1, 36500),
  // USD per 1,000 tokens, for the estimated cost in audit records; unset = no estimate.
  LLM_PRICE_PER_1K_PROMPT_TOKENS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a number' }).min(0, 'must not be negative').max(1000).optional(),
  ),
  LLM_PRICE_PER_1K_COMPLETION_TOKENS: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ message: 'must be a number' }).min(0, 'must not be negative').max(1000).optional(),
  ),
  // Audit records also go to a Log Analytics custom table (Azure Monitor Logs Ingestion API); unset = the store only.
  AUDIT_LOGS_INGESTION_ENDPOINT: optionalUrl,
  AUDIT_LOGS_DCR_ID: optionalString,
  AUDIT_LOGS_STREAM: optionalString,
  // Findings and report downloads (src/findings, GET /api/reports/<id>.<md|html>).
  FINDINGS_RETENTION_DAYS: integer(90, 1, 36500),
  PUBLIC_BASE_URL: optionalUrl,
  REPORT_LINK_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  ),
  REPORT_LINK_TTL_MINUTES: integer(60, 1, 10080),
  // GET /metrics (Prometheus): unset = open (fine on loopback or a private network); set = Bearer token required.
  METRICS_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().trim().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 24)').optional(),
  ),
  // OpenTelemetry traces over OTLP/HTTP (src/telemetry): off unless an endpoint is set. The standard variable names;
  // the bot configures the SDK from these values itself (docs/configuration.md says which OTEL_* it honours).
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  // key=value pairs (an API key for the collector): secrets, never logged.
  OTEL_EXPORTER_OTLP_HEADERS: optionalString,
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: optionalString,
  OTEL_SERVICE_NAME: z.preprocess(
    (value) => emptyToUndefined(value) ?? 'soc-copilot',
    z.string().trim().max(100, 'must be at most 100 characters'),
  ),
  // The share of traces started here that are recorded (parent-based trace-id ratio sampling).
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(
    (value) => emptyToUndefined(value) ?? '1',
    z.coerce
      .number({ message: 'must be a number from 0 to 1' })
      .min(0, 'must be a number from 0 to 1')
      .max(1, 'must be a number from 0 to 1'),
  ),
  OTEL_SDK_DISABLED: flag(false),
});

type Environment = z.infer<typeof EnvironmentSchema>;

export type LlmConfig =
  | { provider: 'none' }
  | { provider: 'openai'; apiKey: string; baseUrl?: string; model: string; timeoutMs: number; maxRetries: number }
  | {
      provider: 'openai-compatible';
      apiKey?: string;
      baseUrl: string;
      model: string;
      timeoutMs: number;
      maxRetries: number;
    }
  | {
      provider: 'azure-openai';
      endpoint: string;
      deployment: string;
      apiVersion: string;
      /** Absent: authenticate with Entra ID (DefaultAzureCredential). */
      apiKey?: string;
      timeoutMs: number;
      maxRetries: number;
    };

export interface BotIdentity {
  appId: string;
  appPassword?: string;
  appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  tenantId?: string;
  /** BOT_OPENID_METADATA_URL: the OpenID metadata of the channel's token signing keys (default: Bot Framework's). */
  openIdMetadataUrl?: string;
}

export interface AppConfig {
  environment: Environment['NODE_ENV'];
  port: number;
  host: string;
  logLevel: Environment['LOG_LEVEL'];
  logFormat: 'json' | 'pretty';
  botName: string;
  /** Undefined: anonymous local mode (no Bot Framework authentication), for the Playground and tests. */
  bot?: BotIdentity;
  /** Tenant/team/channel allow-lists and roles (src/security/access.ts). */
  access: AccessConfig;
  llm: LlmConfig;
  /** Rate limits, concurrency cap and daily token budget of LLM-backed work. */
  llmLimits: LlmLimitsSettings;
  /** Users and hosts reach the model as pseudonyms (USER_1, HOST_1), restored in its answers. */
  llmPseudonymize: boolean;
  /** The model's circuit breaker. */
  llmCircuit: LlmCircuitSettings;
  /** The configured source names as given, e.g. "demo" or "graph,sentinel". */
  securitySource: string;
  securitySources: SecuritySourceSettings;
  /** Path of MITRE's enterprise-attack.json (optionally gzipped); unset = the compact facts only. */
  attackStixPath?: string;
  /** An operator's table schema file that extends the bundled Sentinel/Defender schemas for KQL validation. */
  kqlSchemaPath?: string;
  kqlWarmUp: boolean;
  enrichment: EnrichmentSettings;
  store:
    | { kind: 'sqlite'; directory: string }
    | { kind: 'memory' }
    | { kind: 'blob'; container: string; connectionString?: string; accountUrl?: string };
  audit: {
    retentionDays: number;
    prices?: { promptPer1k: number; completionPer1k: number };
    /** AUDIT_LOGS_*: every stored record is also sent to this Log Analytics stream; unset = off. */
    logsIngestion?: AuditLogsIngestionConfig;
  };
  alertFeed: AlertFeedConfig;
  reports: ReportsConfig;
  /** GET /metrics: the Bearer token a scrape must send; unset = open. Never logged. */
  metrics: { token?: string };
  /** OpenTelemetry traces to an OTLP/HTTP endpoint; unset = off (no SDK loaded). */
  tracing?: TracingSettings;
}

/** The Azure Monitor Logs Ingestion target of the audit sink (src/audit/logs-ingestion). */
export interface AuditLogsIngestionConfig {
  /** The data collection endpoint's logs ingestion URL (https; http only on loopback, for tests). */
  endpoint: string;
  /** The data collection rule's immutable id, dcr-<32 hex>. */
  dcrImmutableId: string;
  /** The rule's input stream. */
  stream: string;
}

export interface ReportsConfig {
  /** The bot's public https base URL (http only on loopback); unset: report cards have no download links. */
  publicBaseUrl?: string;
  /** HMAC key of report download links; never logged. Unset: a random key per process. */
  linkSecret?: string;
  linkTtlMinutes: number;
  findingsRetentionDays: number;
}

export interface AlertFeedConfig {
  /** HMAC secret of POST /api/alerts; never logged. Unset: the endpoint answers 503. */
  webhookSecret?: string;
  /** 0: no poller. */
  pollIntervalSeconds: number;
  /** The threshold of a channel that subscribes without naming one. */
  defaultSeverity: 'informational' | 'low' | 'medium' | 'high';
  /** The demo source's live alerts (dev mode): one every so many seconds; 0 = off. */
  demoAlertIntervalSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const aliases: Record<string, string> = {
  BOT_ID: 'MicrosoftAppId',
  BOT_PASSWORD: 'MicrosoftAppPassword',
  BOT_TYPE: 'MicrosoftAppType',
  BOT_TENANT_ID: 'MicrosoftAppTenantId',
};

/** Parses the environment into AppConfig, or throws ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const environment: Record<string, string | undefined> = { ...source };
  for (const [alias, name] of Object.entries(aliases)) {
    if (emptyToUndefined(environment[name]) === undefined && emptyToUndefined(environment[alias]) !== undefined) {
      environment[name] = environment[alias];
    }
  }

  const parsed = EnvironmentSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const env = parsed.data;
  const problems: string[] = [];

  const bot = resolveBotIdentity(env, problems);
  const access = resolveAccess(env, bot, problems);
  const llm = resolveLlm(env, problems);
  const securitySources = resolveSecuritySources(env, problems);
  const store = resolveStore(env, problems);
  const publicBaseUrl = resolvePublicBaseUrl(env.PUBLIC_BASE_URL, problems);
  const tracing = resolveTracing(env, problems);
  const logsIngestion = resolveAuditLogsIngestion(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    environment: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST ?? (bot ? '0.0.0.0' : '127.0.0.1'),
    logLevel: env.LOG_LEVEL,
    logFormat:
      env.LOG_FORMAT === 'auto'
        ? env.NODE_ENV === 'production'
          ? 'json'
          : 'pretty'
        : (env.LOG_FORMAT as 'json' | 'pretty'),
    botName: env.BOT_NAME,
    bot,
    access,
    llm,
    llmLimits: {
      ratePerUser: env.LLM_RATE_PER_USER,
      ratePerConversation: env.LLM_RATE_PER_CONVERSATION,
      maxConcurrency: env.LLM_MAX_CONCURRENCY,
      maxQueue: env.LLM_MAX_QUEUE,
      dailyTokenBudget: env.LLM_DAILY_TOKEN_BUDGET,
    },
    llmPseudonymize: env.LLM_PSEUDONYMIZE,
    llmCircuit: { failureThreshold: env.LLM_CIRCUIT_FAILURES, coolDownMs: env.LLM_CIRCUIT_COOLDOWN_SECONDS * 1000 },
    securitySource: env.SECURITY_SOURCE.join(','),
    securitySources,
    attackStixPath: env.ATTACK_STIX_PATH,
    kqlSchemaPath: env.KQL_SCHEMA_PATH,
    kqlWarmUp: env.KQL_WARMUP,
    enrichment: {
      virusTotalApiKey: env.VIRUSTOTAL_API_KEY,
      abuseIpDbApiKey: env.ABUSEIPDB_API_KEY,
      otxApiKey: env.OTX_API_KEY,
      mdtiEnabled: env.MDTI_ENABLED,
      cacheTtlSeconds: env.ENRICHMENT_CACHE_TTL_SECONDS,
      unknownCacheTtlSeconds: env.ENRICHMENT_UNKNOWN_CACHE_TTL_SECONDS,
      timeoutMs: env.ENRICHMENT_TIMEOUT_MS,
      maxRetries: env.ENRICHMENT_MAX_RETRIES,
      maxWaitSeconds: env.ENRICHMENT_MAX_WAIT_SECONDS,
      virusTotalRequestsPerMinute: env.VIRUSTOTAL_REQUESTS_PER_MINUTE,
      abuseIpDbRequestsPerMinute: env.ABUSEIPDB_REQUESTS_PER_MINUTE,
      otxRequestsPerMinute: env.OTX_REQUESTS_PER_MINUTE,
      mdtiRequestsPerMinute: env.MDTI_REQUESTS_PER_MINUTE,
    },
    store,
    audit: {
      retentionDays: env.AUDIT_RETENTION_DAYS,
      ...(env.LLM_PRICE_PER_1K_PROMPT_TOKENS !== undefined && env.LLM_PRICE_PER_1K_COMPLETION_TOKENS !== undefined
        ? {
            prices: {
              promptPer1k: env.LLM_PRICE_PER_1K_PROMPT_TOKENS,
              completionPer1k: env.LLM_PRICE_PER_1K_COMPLETION_TOKENS,
            },
          }
        : {}),
      ...(logsIngestion ? { logsIngestion } : {}),
    },
    alertFeed: {
      webhookSecret: env.ALERTS_WEBHOOK_SECRET,
      pollIntervalSeconds: env.ALERT_POLL_INTERVAL_SECONDS,
      defaultSeverity: env.ALERT_FEED_DEFAULT_SEVERITY,
      demoAlertIntervalSeconds: env.ALERT_DEMO_INTERVAL_SECONDS,
    },
    reports: {
      publicBaseUrl,
      linkSecret: env.REPORT_LINK_SECRET,
      linkTtlMinutes: env.REPORT_LINK_TTL_MINUTES,
      findingsRetentionDays: env.FINDINGS_RETENTION_DAYS,
    },
    metrics: { token: env.METRICS_TOKEN },
    tracing,
  };
}

/**
 * The URL in variable `name`: https, or http on the loopback host; no credentials, query or fragment. Returned
 * without a trailing slash (problems are pushed, not thrown).
 */
function resolveHttpsUrl(name: string, value: string, problems: string[]): string {
  const url = new URL(value);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push(`${name}: must be https (http only for 127.0.0.1 or localhost)`);
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    problems.push(`${name}: must not contain credentials, a query or a fragment`);
  }
  return url.href.replace(/\/+$/, '');
}

function resolvePublicBaseUrl(value: string | undefined, problems: string[]): string | undefined {
  return value === undefined ? undefined : resolveHttpsUrl('PUBLIC_BASE_URL', value, problems);
}

const dcrImmutableIdPattern = /^dcr-[0-9a-f]{32}$/i;

/**
 * AUDIT_LOGS_*: the endpoint and the rule id together or neither (the stream has a default). The endpoint is https,
 * or http on loopback (tests' fake endpoints), like PUBLIC_BASE_URL: it receives the bot's bearer token.
 */
function resolveAuditLogsIngestion(env: Environment, problems: string[]): AuditLogsIngestionConfig | undefined {
  const endpoint = env.AUDIT_LOGS_INGESTION_ENDPOINT;
  const ruleId = env.AUDIT_LOGS_DCR_ID;
  if (endpoint === undefined && ruleId === undefined) {
    if (env.AUDIT_LOGS_STREAM !== undefined) {
      problems.push(
        'AUDIT_LOGS_STREAM: is set but AUDIT_LOGS_INGESTION_ENDPOINT and AUDIT_LOGS_DCR_ID are not (set both, or none)',
      );
    }
    return undefined;
  }
  const before = problems.length;
  if (endpoint === undefined) {
    problems.push(
      "AUDIT_LOGS_INGESTION_ENDPOINT: is required with AUDIT_LOGS_DCR_ID (the data collection endpoint's logs ingestion URL)",
    );
  }
  const endpointUrl =
    endpoint === undefined ? undefined : resolveHttpsUrl('AUDIT_LOGS_INGESTION_ENDPOINT', endpoint, problems);
  if (ruleId === undefined) {
    problems.push(
      "AUDIT_LOGS_DCR_ID: is required with AUDIT_LOGS_INGESTION_ENDPOINT (the data collection rule's immutable id, dcr-…)",
    );
  } else if (!dcrImmutableIdPattern.test(ruleId)) {
    problems.push(
      "AUDIT_LOGS_DCR_ID: must be the data collection rule's immutable id (dcr- and 32 hex digits), not its name or resource id",
    );
  }
  const stream = env.AUDIT_LOGS_STREAM ?? 'Custom-SocCopilotAudit_CL';
  if (!/^Custom-[A-Za-z0-9_]{1,100}$/.test(stream)) {
    problems.push(
      'AUDIT_LOGS_STREAM: must be a custom stream name starting with Custom-, e.g. Custom-SocCopilotAudit_CL',
    );
  }
  if (problems.length > before || endpointUrl === undefined || ruleId === undefined) return undefined;
  return { endpoint: endpointUrl, dcrImmutableId: ruleId, stream };
}

function resolveStore(env: Environment, problems: string[]): AppConfig['store'] {
  if (env.STORE === 'memory') return { kind: 'memory' };
  if (env.STORE === 'sqlite') return { kind: 'sqlite', directory: env.STORE_DIRECTORY };
  if (!env.AZURE_STORAGE_CONNECTION_STRING && !env.AZURE_STORAGE_ACCOUNT_URL) {
    problems.push('STORE: blob needs AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL');
  }
  return {
    kind: 'blob',
    container: env.AZURE_STORAGE_CONTAINER,
    connectionString: env.AZURE_STORAGE_CONNECTION_STRING,
    accountUrl: env.AZURE_STORAGE_CONNECTION_STRING ? undefined : env.AZURE_STORAGE_ACCOUNT_URL,
  };
}

const idList = (value: string | undefined): string[] | undefined => {
  const ids = (value ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  return ids.length === 0 ? undefined : ids;
};

/**
 * Tenants: ALLOWED_TENANT_IDS ("*" = any), else the bot's own tenant, else any only in anonymous local mode. A
 * MultiTenant bot must say which tenants it serves.
 */
function resolveAccess(env: Environment, bot: BotIdentity | undefined, problems: string[]): AccessConfig {
  const tenants = idList(env.ALLOWED_TENANT_IDS);
  let allowedTenants: AccessConfig['allowedTenants'];
  if (tenants?.includes('*')) allowedTenants = 'any';
  else if (tenants !== undefined) allowedTenants = tenants;
  else if (bot === undefined) allowedTenants = 'any';
  else if (bot.tenantId !== undefined) allowedTenants = [bot.tenantId];
  else {
    problems.push(
      'ALLOWED_TENANT_IDS: is required when the bot has no MicrosoftAppTenantId (list your tenant ids, or * for any)',
    );
    allowedTenants = [];
  }
  const responders = idList(env.RESPONDER_IDS);
  const leads = idList(env.LEAD_IDS);
  return {
    allowedTenants,
    allowedTeams: idList(env.ALLOWED_TEAM_IDS),
    allowedChannels: idList(env.ALLOWED_CHANNEL_IDS),
    roles:
      responders === undefined && leads === undefined
        ? undefined
        : { responders: responders ?? [], leads: leads ?? [] },
    anonymousLocal: bot === undefined,
  };
}

function resolveBotIdentity(env: Environment, problems: string[]): BotIdentity | undefined {
  if (!env.MicrosoftAppId) {
    if (env.MicrosoftAppPassword) problems.push('MicrosoftAppPassword: is set but MicrosoftAppId (BOT_ID) is not');
    return undefined;
  }
  // New Azure Bot registrations are single-tenant; that is the default when an app id is given.
  const appType = env.MicrosoftAppType ?? 'SingleTenant';
  if (appType === 'SingleTenant' && !env.MicrosoftAppTenantId) {
    problems.push('MicrosoftAppTenantId: is required when MicrosoftAppType is SingleTenant (the default)');
  }
  if (appType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
    problems.push(`MicrosoftAppPassword: is required for a ${appType} bot (or use MicrosoftAppType=UserAssignedMSI)`);
  }
  return {
    appId: env.MicrosoftAppId,
    appPassword: env.MicrosoftAppPassword,
    appType,
    tenantId: env.MicrosoftAppTenantId,
    ...(env.BOT_OPENID_METADATA_URL ? { openIdMetadataUrl: env.BOT_OPENID_METADATA_URL } : {}),
  };
}

function resolveLlm(env: Environment, problems: string[]): LlmConfig {
  const common = { timeoutMs: env.LLM_TIMEOUT_MS, maxRetries: env.LLM_MAX_RETRIES };
  let provider = env.LLM_PROVIDER;
  if (provider === 'auto') {
    if (env.AZURE_OPENAI_ENDPOINT) provider = 'azure-openai';
    else if (env.OPENAI_BASE_URL) provider = 'openai-compatible';
    else if (env.OPENAI_API_KEY) provider = 'openai';
    else provider = 'none';
  }
  switch (provider) {
    case 'openai':
      if (!env.OPENAI_API_KEY) {
        problems.push('OPENAI_API_KEY: is required when LLM_PROVIDER=openai');
        return { provider: 'none' };
      }
      return { provider, apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL, model: env.OPENAI_MODEL, ...common };
    case 'openai-compatible':
      if (!env.OPENAI_BASE_URL) {
        problems.push(
          'OPENAI_BASE_URL: is required when LLM_PROVIDER=openai-compatible (e.g. http://localhost:11434/v1)',
        );
        return { provider: 'none' };
      }
      return {
        provider,
        apiKey: env.OPENAI_API_KEY,
        baseUrl: env.OPENAI_BASE_URL,
        model: env.OPENAI_MODEL,
        ...common,
      };
    case 'azure-openai':
      if (!env.AZURE_OPENAI_ENDPOINT)
        problems.push('AZURE_OPENAI_ENDPOINT: is required when LLM_PROVIDER=azure-openai');
      if (!env.AZURE_OPENAI_DEPLOYMENT) problems.push('AZURE_OPENAI_DEPLOYMENT: is required for Azure OpenAI');
      if (!env.AZURE_OPENAI_ENDPOINT || !env.AZURE_OPENAI_DEPLOYMENT) return { provider: 'none' };
      return {
        provider,
        endpoint: env.AZURE_OPENAI_ENDPOINT,
        deployment: env.AZURE_OPENAI_DEPLOYMENT,
        apiVersion: env.AZURE_OPENAI_API_VERSION,
        apiKey: env.AZURE_OPENAI_API_KEY,
        ...common,
      };
    default:
      return { provider: 'none' };
  }
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The data-source section: which sources, how to sign in, and what each needs. Secrets are only named. */
function resolveSecuritySources(env: Environment, problems: string[]): SecuritySourceSettings {
  const sources = env.SECURITY_SOURCE;
  if (sources.includes('demo') && sources.length > 1) {
    problems.push('SECURITY_SOURCE: demo cannot be combined with graph or sentinel');
  }
  // The audit sink to Log Analytics signs in with the same identity.
  const real =
    sources.includes('graph') || sources.includes('sentinel') || env.AUDIT_LOGS_INGESTION_ENDPOINT !== undefined;
  let credential: AzureCredentialSettings = {
    kind: 'default',
    tenantId: env.AZURE_TENANT_ID,
    clientId: env.AZURE_CLIENT_ID,
  };
  if (real && env.AZURE_CLIENT_SECRET && env.AZURE_CLIENT_CERTIFICATE_PATH) {
    problems.push('AZURE_CLIENT_SECRET: set either it or AZURE_CLIENT_CERTIFICATE_PATH, not both');
  } else if (real && (env.AZURE_CLIENT_SECRET || env.AZURE_CLIENT_CERTIFICATE_PATH)) {
    const via = env.AZURE_CLIENT_SECRET ? 'AZURE_CLIENT_SECRET' : 'AZURE_CLIENT_CERTIFICATE_PATH';
    if (!env.AZURE_TENANT_ID) problems.push(`AZURE_TENANT_ID: is required with ${via}`);
    if (!env.AZURE_CLIENT_ID) problems.push(`AZURE_CLIENT_ID: is required with ${via}`);
    if (env.AZURE_TENANT_ID && env.AZURE_CLIENT_ID) {
      credential = env.AZURE_CLIENT_SECRET
        ? {
            kind: 'secret',
            tenantId: env.AZURE_TENANT_ID,
            clientId: env.AZURE_CLIENT_ID,
            clientSecret: env.AZURE_CLIENT_SECRET,
          }
        : {
            kind: 'certificate',
            tenantId: env.AZURE_TENANT_ID,
            clientId: env.AZURE_CLIENT_ID,
            certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH ?? '',
          };
    }
  }

  let sentinel: SecuritySourceSettings['sentinel'];
  if (sources.includes('sentinel')) {
    if (!env.SENTINEL_WORKSPACE_ID) {
      problems.push(
        'SENTINEL_WORKSPACE_ID: is required when SECURITY_SOURCE includes sentinel (the workspace ID, a GUID)',
      );
    } else if (!guid.test(env.SENTINEL_WORKSPACE_ID)) {
      problems.push('SENTINEL_WORKSPACE_ID: must be the workspace ID (a GUID), not its name or resource id');
    }
    const armVariables = {
      SENTINEL_SUBSCRIPTION_ID: env.SENTINEL_SUBSCRIPTION_ID,
      SENTINEL_RESOURCE_GROUP: env.SENTINEL_RESOURCE_GROUP,
      SENTINEL_WORKSPACE_NAME: env.SENTINEL_WORKSPACE_NAME,
    };
    const missing = Object.entries(armVariables).filter(([, value]) => !value);
    // Write-back needs all three; none means read-only, some means a typo worth reporting.
    if (missing.length > 0 && missing.length < 3) {
      for (const [name] of missing)
        problems.push(
          `${name}: is required for Sentinel incident write-back (set all three SENTINEL_SUBSCRIPTION_ID, SENTINEL_RESOURCE_GROUP, SENTINEL_WORKSPACE_NAME, or none)`,
        );
    }
    if (env.SENTINEL_SUBSCRIPTION_ID && !guid.test(env.SENTINEL_SUBSCRIPTION_ID)) {
      problems.push('SENTINEL_SUBSCRIPTION_ID: must be a subscription ID (a GUID)');
    }
    sentinel = {
      workspaceId: env.SENTINEL_WORKSPACE_ID ?? '',
      arm:
        missing.length === 0
          ? {
              subscriptionId: env.SENTINEL_SUBSCRIPTION_ID ?? '',
              resourceGroup: env.SENTINEL_RESOURCE_GROUP ?? '',
              workspaceName: env.SENTINEL_WORKSPACE_NAME ?? '',
            }
          : undefined,
    };
  }
  return {
    sources,
    credential,
    graphBaseUrl: env.GRAPH_BASE_URL,
    logAnalyticsBaseUrl: env.LOG_ANALYTICS_BASE_URL,
    armBaseUrl: env.ARM_BASE_URL,
    sentinel,
    timeoutMs: env.SOURCE_TIMEOUT_MS,
    maxRetries: env.SOURCE_MAX_RETRIES,
  };
}

/**
 * Tracing is on when an OTLP endpoint is set (and OTEL_SDK_DISABLED is not true). As the OpenTelemetry specification
 * says, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as it is and OTEL_EXPORTER_OTLP_ENDPOINT is a base URL that gets
 * /v1/traces appended; headers are merged, the traces-specific ones winning.
 */
function resolveTracing(env: Environment, problems: string[]): TracingSettings | undefined {
  const headers: Record<string, string> = {};
  for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'] as const) {
    const parsed = parseOtlpHeaders(env[name]);
    if (parsed === undefined) {
      // The value is a secret: the message describes the format only.
      problems.push(`${name}: must be key=value pairs separated by commas (e.g. api-key=<key>), values URL-encoded`);
    } else Object.assign(headers, parsed);
  }
  const specific = otlpUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, problems);
  const base = otlpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', env.OTEL_EXPORTER_OTLP_ENDPOINT, problems);
  let endpoint = specific?.href;
  if (endpoint === undefined && base !== undefined) {
    endpoint = new URL('v1/traces', `${base.href.replace(/\/+$/, '')}/`).href;
  }
  if (endpoint === undefined || env.OTEL_SDK_DISABLED) return undefined;
  return {
    endpoint,
    headers,
    serviceName: env.OTEL_SERVICE_NAME || 'soc-copilot',
    sampleRatio: env.OTEL_TRACES_SAMPLER_ARG,
  };
}

/** An OTLP endpoint: http or https, without credentials (a key belongs in the headers, which are never logged). */
function otlpUrl(name: string, value: string | undefined, problems: string[]): URL | undefined {
  if (value === undefined) return undefined;
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`${name}: must be an http or https URL, e.g. http://otel-collector:4318`);
    return undefined;
  }
  if (url.username !== '' || url.password !== '') {
    problems.push(`${name}: must not contain credentials (put a key in OTEL_EXPORTER_OTLP_HEADERS)`);
    return undefined;
  }
  return url;
}

/** `key1=value1,key2=value2` with URL-encoded values (the OTLP exporter format); undefined when malformed. */
function parseOtlpHeaders(value: string | undefined): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  if (value === undefined) return headers;
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const separator = pair.indexOf('=');
    if (separator <= 0) return undefined;
    const name = pair.slice(0, separator).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return undefined;
    try {
      // Names as given: the exporter merges the same variables itself, and must meet the same keys.
      headers[name] = decodeURIComponent(pair.slice(separator + 1).trim());
    } catch {
      return undefined; // a malformed %-escape
    }
  }
  return headers;
}

/** The configuration as safe to log: no secrets, only whether they are set. */
export function describeConfig(config: AppConfig): Record<string, unknown> {
  return {
    environment: config.environment,
    port: config.port,
    botMode: config.bot ? `${config.bot.appType} (${config.bot.appId})` : 'anonymous local mode',
    llm:
      config.llm.provider === 'none'
        ? 'none (offline engine)'
        : `${config.llm.provider} ${'model' in config.llm ? config.llm.model : config.llm.deployment}`,
    securitySource: config.securitySource,
    securityCredential: config.securitySources.sources.some((source) => source !== 'demo')
      ? config.securitySources.credential.kind
      : undefined,
    attackBundle: config.attackStixPath ? 'configured' : 'compact facts only',
    threatIntelProviders: enabledProviders(config.enrichment),
    store: config.store.kind === 'blob' ? `blob (container ${config.store.container})` : config.store.kind,
    auditRetentionDays: config.audit.retentionDays,
    auditToLogAnalytics: config.audit.logsIngestion ? `on (${config.audit.logsIngestion.stream})` : 'off',
    alertWebhook: config.alertFeed.webhookSecret ? 'on' : 'off (no ALERTS_WEBHOOK_SECRET)',
    alertPollSeconds: config.alertFeed.pollIntervalSeconds || 'off',
    metrics: config.metrics.token ? 'GET /metrics (bearer token)' : 'GET /metrics (open)',
    tracing: describeTracing(config.tracing),
  };
}

function enabledProviders(settings: EnrichmentSettings): string[] {
  const names: string[] = [];
  if (settings.virusTotalApiKey) names.push('VirusTotal');
  if (settings.abuseIpDbApiKey) names.push('AbuseIPDB');
  if (settings.otxApiKey) names.push('AlienVault OTX');
  if (settings.mdtiEnabled) names.push('Defender TI');
  return names;
}
