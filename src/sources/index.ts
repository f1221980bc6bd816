import { CopilotError } from '../errors';
import { DemoSecurityDataSource } from './demo';
import type { SecurityDataSource } from './port';

export * from './normalize';
export * from './demo';
export type { AlertQuery, HuntingQueryOptions, IncidentQuery, SecurityDataSource } from './port';

export const securityDataSourceNames = ['demo'] as const;
export type SecurityDataSourceName = (typeof securityDataSourceNames)[number];

export interface SecurityDataSourceOptions {
  /** The clock the source treats as "now"; the demo builds its stories relative to it. */
  clock?: () => Date;
}

/**
 * The configured security data source. Only `demo` exists so far; `graph` and `sentinel` adapters come later,
 * and asking for them now is a configuration error rather than a silent fallback to demo data.
 */
export function createSecurityDataSource(name: string, options: SecurityDataSourceOptions = {}): SecurityDataSource {
  if (name === 'demo') return new DemoSecurityDataSource({ clock: options.clock });
  throw new CopilotError(
    'config_invalid',
    `SECURITY_SOURCE "${name}" is not supported; supported sources: ${securityDataSourceNames.join(', ')}.`,
    { userMessage: 'The bot is configured with a security data source it does not support.' },
  );
}
