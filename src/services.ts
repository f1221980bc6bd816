import type { AppConfig } from './config';
import type { AttackFacts } from './copilot/knowledge';
import type { LlmClient } from './llm/port';
import type { Logger } from './logger';
import type { SecurityDataSource } from './sources/port';
import type { Store } from './store/port';

/**
 * Everything a handler or the CLI may use, built once at start-up (src/index.ts, src/cli) and passed
 * down. Nothing turn-scoped lives here.
 */
export interface Services {
  config: AppConfig;
  logger: Logger;
  dataSource: SecurityDataSource;
  store: Store;
  attack: AttackFacts;
  /** Absent when no LLM is configured: the offline engines answer. */
  llm?: LlmClient;
  clock: () => Date;
}
