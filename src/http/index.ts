export { BearerTokenSource } from './bearer-token';
export { discardBody, headerRecord, readBodyText, type BodyReadOutcome } from './body';
export { CircuitBreaker, type CircuitSnapshot, type CircuitState } from './circuit-breaker';
export { ConcurrencyLimit } from './concurrency';
export {
  JsonHttpClient,
  type FetchFunction,
  type HttpMethod,
  type JsonClientHealth,
  type JsonClientOptions,
  type JsonRequest,
  type Sleep,
} from './json-client';
export {
  SourceHttpError,
  isSourceHttpError,
  safeIdentifier,
  scrubServiceMessage,
  serviceErrorDetail,
  type ServiceErrorDetail,
} from './source-error';
