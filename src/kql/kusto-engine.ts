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

/** A node or token of Kusto's syntax tree; TextStart and Width leave out leading trivia (comments, spaces). */
export interface KustoNode {
  Kind: number;
  TextStart: number;
  Width: number;
  IsToken: boolean;
  /** A token's text; a literal token's text keeps its quotes. */
  Text: string;
  ChildCount: number;
  GetChild(index: number): KustoNode | undefined;
  /** A literal expression's value (a string literal's unquoted text). */
  LiteralValue?: unknown;
  SimpleName?: string;
  ReferencedSymbol?: { Kind: number; Name: string } | null;
  ResultType?: { Name: string } | null;
}

export interface KustoCode {
  GetDiagnostics(): KustoList<KustoDiagnostic>;
  Syntax: KustoNode;
}

type Symbol = object;
type GlobalState = object;

interface ScalarTypes {
  Bool: Symbol;
  DateTime: Symbol;
  Dynamic: Symbol;
  Guid: Symbol;
  Int: Symbol;
  Long: Symbol;
  Real: Symbol;
  Decimal: Symbol;
  String: Symbol;
  TimeSpan: Symbol;
}

interface KustoLanguage {
  Syntax: { SyntaxKind: Record<string, unknown> };
  KustoCode: { ParseAndAnalyze(text: string, globals: GlobalState): KustoCode };
  GlobalState: { Default: { WithDatabase(database: Symbol): GlobalState } };
  Symbols: {
    SymbolKind: { Table: number };
    ScalarTypes: ScalarTypes;
    ColumnSymbol: new (
      name: string,
      type: Symbol,
      description: null,
      originalColumns: null,
      source: null,
      examples: null,
    ) => Symbol;
    TableSymbol: { $ctor4: new (name: string, columns: Symbol[]) => Symbol };
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

/** Kusto's scalar type for each type name a schema file may use (schema.ts accepts exactly these). */
function scalarTypeFor(kusto: KustoLanguage, type: string): Symbol {
  const types = kusto.Symbols.ScalarTypes;
  switch (type) {
    case 'bool':
    case 'boolean':
      return types.Bool;
    case 'datetime':
    case 'date':
      return types.DateTime;
    case 'guid':
    case 'uuid':
      return types.Guid;
    case 'int':
      return types.Int;
    case 'long':
      return types.Long;
    case 'real':
    case 'double':
      return types.Real;
    case 'decimal':
      return types.Decimal;
    case 'string':
      return types.String;
    case 'timespan':
    case 'time':
      return types.TimeSpan;
    default:
      return types.Dynamic;
  }
}

/** The analyzer's global state for one platform: a database holding these tables and the platform's functions. */
export function buildGlobals(platform: KqlPlatform, tables: KqlTables): GlobalState {
  const kusto = kustoLanguage();
  // Column symbols built directly: five times faster than Kusto parsing a "(name:type, …)" schema string per table.
  const members: Symbol[] = Object.entries(tables).map(
    ([name, columns]) =>
      new kusto.Symbols.TableSymbol.$ctor4(
        name,
        columns.map(
          ([column, type]) =>
            new kusto.Symbols.ColumnSymbol(column, scalarTypeFor(kusto, type), null, null, null, null),
        ),
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
