import { analyze, buildGlobals, listItems } from './kusto-engine';
import { lintKql } from './lint';
import { tablesFor, type KqlPlatform, type KqlSchemaOption } from './schema';

export interface KqlDiagnostic {
  /** Kusto's code (KS142 …) for parser and analyzer findings; `SOC…` for this project's lint warnings. */
  code: string;
  severity: 'error' | 'warning';
  message: string;
  /** Offset and length in the query text (UTF-16 code units, as JavaScript strings count). */
  start: number;
  length: number;
}

export interface KqlValidation {
  /** True when there is no error-severity diagnostic; warnings do not make a query invalid. */
  valid: boolean;
  diagnostics: KqlDiagnostic[];
}

export interface ValidateKqlOptions {
  platform: KqlPlatform;
  /** An operator's tables (or a path to a file of them) that extend or replace the platform's bundled schema. */
  schema?: KqlSchemaOption;
}

type Globals = ReturnType<typeof buildGlobals>;

/** Built once per platform and operator schema and kept: building the symbols for 751 tables takes seconds. */
const globalsByKey = new Map<string, Globals>();
const globalsByTables = new WeakMap<object, Map<string, Globals>>();

function globalsFor(options: ValidateKqlOptions): Globals {
  const { platform, schema } = options;
  const key = `${platform}\u0000${schema?.path ?? ''}\u0000${schema?.mode ?? 'extend'}`;
  // Tables given as an object are cached by identity: the caller keeps one object per schema.
  const cache = schema?.tables === undefined ? globalsByKey : cacheForTables(schema.tables);
  let globals = cache.get(key);
  if (globals === undefined) {
    globals = buildGlobals(platform, tablesFor(platform, schema));
    cache.set(key, globals);
  }
  return globals;
}

function cacheForTables(tables: object): Map<string, Globals> {
  let cache = globalsByTables.get(tables);
  if (cache === undefined) {
    cache = new Map();
    globalsByTables.set(tables, cache);
  }
  return cache;
}

/**
 * Loads the Kusto service, builds a platform's symbols and runs one small analysis, ahead of the first real query
 * (start-up, benchmarks): the service initialises its built-in functions lazily on the first analysis, which
 * costs seconds.
 */
export function warmKqlValidator(options: ValidateKqlOptions): void {
  analyze('print warm = now()', globalsFor(options)).GetDiagnostics();
}

/**
 * Parses and analyzes a query with Microsoft's Kusto language service against the platform's tables and
 * functions, then adds this project's warnings (missing time bound, `contains` where `has` works, …).
 */
export function validateKql(query: string, options: ValidateKqlOptions): KqlValidation {
  const code = analyze(
    options.platform === 'defender' ? withFileProfileColumnsQuoted(query) : query,
    globalsFor(options),
  );
  // Kusto's severities are Error, Warning, Suggestion and Hint; all but Error are advice.
  const diagnostics: KqlDiagnostic[] = listItems(code.GetDiagnostics()).map((diagnostic) => ({
    code: diagnostic.Code,
    severity: diagnostic.Severity === 'Error' ? 'error' : 'warning',
    message: diagnostic.Message,
    start: diagnostic.Start,
    length: diagnostic.Length,
  }));
  diagnostics.push(...lintKql(code, diagnostics));
  diagnostics.sort((left, right) => left.start - right.start);
  return { valid: !diagnostics.some((diagnostic) => diagnostic.severity === 'error'), diagnostics };
}

/**
 * Defender documents `invoke FileProfile(SHA1, 1000)`, naming the hash column bare; a user function declared to
 * the analyzer cannot take a column name, so the name would be reported as unknown. The name is swapped for a
 * string literal of the same length (offsets of every other diagnostic stay right) before analysis.
 */
function withFileProfileColumnsQuoted(query: string): string {
  return query.replace(
    /(\bFileProfile\s*\(\s*)((?:InitiatingProcess)?(?:SHA1|SHA256|MD5))\b/g,
    (_match, prefix: string, column: string) => `${prefix}"${column.slice(1, -1)}"`,
  );
}

export type { KqlPlatform, KqlSchemaOption, KqlTables } from './schema';
