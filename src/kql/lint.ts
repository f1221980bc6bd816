import type { KustoCode } from './kusto-engine';
import type { KqlPlatform } from './schema';
import type { KqlDiagnostic } from './validator';

/** This project's warnings on top of Kusto's diagnostics. */
export function lintKql(
  _query: string,
  _code: KustoCode,
  _platform: KqlPlatform,
  _existing: readonly KqlDiagnostic[],
): KqlDiagnostic[] {
  return [];
}
