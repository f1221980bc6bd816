import { functionsFor } from './functions';
import type { KqlPlatform, KqlTables } from './schema';

/**
 * The part of Microsoft's Kusto language service (@kusto/language-service-next, a Bridge.NET build of
 * Kusto.Language) that the validator uses. Typed here rather than through the package's 1.7 MB .d.ts, which
 * describes global namespaces the bundle only creates when it is loaded.
 */
interface KustoList<T> {
  Count: number;
  getItem(index: number): T;
}

export interface KustoDiagnostic {
  Severity: string;
  Code: string;
  Message: string;
  Start: number;
  Length: number;
}

export interface KustoToken {
  Kind: number;
  Text: string;
  TextStart: number;
  Trivia: string;
}

export interface KustoCode {
  GetDiagnostics(): KustoList<KustoDiagnostic>;
  GetLexicalTokens(): KustoList<KustoToken>;
  Syntax: unknown;
}

type Symbol = object;
type GlobalState = object;

interface KustoLanguage {
  KustoCode: { ParseAndAnalyze(text: string, globals: GlobalState): KustoCode };
  GlobalState: { Default: { WithDatabase(database: Symbol): GlobalState } };
  Symbols: {
    TableSymbol: { $ctor7: new (name: string, schema: string, description: string | null) => Symbol };
    FunctionSymbol: {
      $ctor16: new (name: string, parameterList: string, body: string, description: string | null) => Symbol;
    };
    DatabaseSymbol: { ctor: new (name: string, members: Symbol[]) => Symbol };
  };
}

let language: KustoLanguage | undefined;

/**
 * Loads the Kusto bundle once per process. The two scripts define the globals `Bridge`, `System` and `Kusto`
 * (the first is the .NET runtime shim the second needs), so they must load in this order.
 */
export function kustoLanguage(): KustoLanguage {
  if (language === undefined) {
    // require, not import: the 5 MB bundle loads on the first validation, not whenever this module is imported.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@kusto/language-service-next/bridge.min.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    const loaded = (globalThis as { Kusto?: { Language?: KustoLanguage } }).Kusto?.Language;
    if (loaded === undefined) throw new Error('@kusto/language-service-next did not define Kusto.Language');
    language = loaded;
  }
  return language;
}

const plainName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name as it appears in a Kusto schema string: bracket-quoted unless it is a plain identifier. */
function schemaName(name: string): string {
  return plainName.test(name) ? name : `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/** The analyzer's global state for one platform: a database holding these tables and the platform's functions. */
export function buildGlobals(platform: KqlPlatform, tables: KqlTables): GlobalState {
  const kusto = kustoLanguage();
  const members: Symbol[] = Object.entries(tables).map(
    ([name, columns]) =>
      new kusto.Symbols.TableSymbol.$ctor7(
        name,
        `(${columns.map(([column, type]) => `${schemaName(column)}:${type}`).join(', ')})`,
        null,
      ),
  );
  for (const declaration of functionsFor(platform)) {
    if (tables[declaration.name] !== undefined) continue; // an operator's table of that name wins
    members.push(
      new kusto.Symbols.FunctionSymbol.$ctor16(declaration.name, declaration.parameters, declaration.body, null),
    );
  }
  const database = new kusto.Symbols.DatabaseSymbol.ctor(platform === 'sentinel' ? 'Sentinel' : 'Defender', members);
  return kusto.GlobalState.Default.WithDatabase(database);
}

export function analyze(query: string, globals: GlobalState): KustoCode {
  return kustoLanguage().KustoCode.ParseAndAnalyze(query, globals);
}

export function listItems<T>(list: KustoList<T>): T[] {
  const items: T[] = [];
  for (let index = 0; index < list.Count; index += 1) items.push(list.getItem(index));
  return items;
}
