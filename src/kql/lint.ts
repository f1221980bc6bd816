import { kustoLanguage, type KustoCode, type KustoNode } from './kusto-engine';
import type { KqlDiagnostic } from './validator';

/**
 * This project's warnings on top of Kusto's own diagnostics: habits that make a hunting query slow, expensive or
 * subtly wrong without making it invalid. They walk Kusto's syntax tree, so text inside comments and string
 * literals never triggers them, and use the analyzer's types (a column's type, what a name refers to).
 *
 * Codes: SOC001 no time filter, SOC002 `contains` where `has` works, SOC003 `join` without `kind=`, SOC004
 * `search *`, SOC005 a string literal compared with a numeric column.
 */
export const lintCodes = {
  missingTimeFilter: 'SOC001',
  containsInsteadOfHas: 'SOC002',
  joinWithoutKind: 'SOC003',
  searchEverything: 'SOC004',
  stringComparedWithNumber: 'SOC005',
} as const;

/** `has` matches whole terms, which Kusto indexes; a literal of letters and digits only is one term. */
const termLike = /^[A-Za-z0-9]{3,}$/;

const containsToHas: Record<string, string> = {
  ContainsExpression: 'has',
  ContainsCsExpression: 'has_cs',
  NotContainsExpression: '!has',
  NotContainsCsExpression: '!has_cs',
};

const comparisonKinds = new Set([
  'EqualExpression',
  'NotEqualExpression',
  'LessThanExpression',
  'LessThanOrEqualExpression',
  'GreaterThanExpression',
  'GreaterThanOrEqualExpression',
]);

const numericTypes = new Set(['int', 'long', 'real', 'decimal']);

/** Names that bound a query in time even when no datetime column appears in a where clause. */
const timeBoundNames = new Set(['starttime', 'endtime']);

export function lintKql(code: KustoCode, existing: readonly KqlDiagnostic[]): KqlDiagnostic[] {
  const kindNames = syntaxKindNames();
  const diagnostics: KqlDiagnostic[] = [];
  let firstTable: KustoNode | undefined;
  let timeBounded = false;
  // Keys in the order the CLI prints them.
  const add = ({ code: diagnosticCode, message, start, length }: Omit<KqlDiagnostic, 'severity'>) =>
    diagnostics.push({ code: diagnosticCode, severity: 'warning', message, start, length });

  walk(code.Syntax, [], (node, ancestors) => {
    const kind = kindNames[node.Kind] ?? '';
    if (kind === 'NameReference') {
      const symbol = node.ReferencedSymbol;
      if (firstTable === undefined && symbol?.Kind === tableSymbolKind()) firstTable = node;
      const insideFilter = ancestors.some((ancestor) => kindNames[ancestor.Kind] === 'FilterOperator');
      if (insideFilter && node.ResultType?.Name === 'datetime') timeBounded = true;
      if (timeBoundNames.has(node.SimpleName?.toLowerCase() ?? '')) timeBounded = true;
    } else if (kind === 'NamedParameter' || kind === 'SimpleNamedExpression') {
      if (timeBoundNames.has(firstNameIn(node, kindNames)?.toLowerCase() ?? '')) timeBounded = true;
    } else if (kind in containsToHas) {
      const right = node.GetChild(2);
      const literal = right?.LiteralValue;
      if (right !== undefined && typeof literal === 'string' && termLike.test(literal)) {
        const operator = node.GetChild(1);
        add({
          code: lintCodes.containsInsteadOfHas,
          message:
            `${operator?.Text ?? 'contains'} "${literal}" scans every value for the substring; ` +
            `${containsToHas[kind]} uses the term index and is much faster, if a whole-word match is what you mean.`,
          start: operator?.TextStart ?? node.TextStart,
          length: operator?.Width ?? node.Width,
        });
      }
    } else if (kind === 'JoinOperator') {
      const parameters = node.GetChild(1);
      if (parameters === undefined || !/\bkind\b/i.test(textOf(parameters))) {
        add({
          code: lintCodes.joinWithoutKind,
          message:
            'join without kind= is an innerunique join: it silently keeps one row per key from the left side. ' +
            'Say which join you mean (kind=inner, kind=leftouter, …).',
          start: node.TextStart,
          length: 'join'.length,
        });
      }
    } else if (kind === 'SearchOperator' && hasChildOfKind(node, 'StarExpression', kindNames)) {
      add({
        code: lintCodes.searchEverything,
        message: 'search * scans every column of every table; name the tables and columns to search.',
        start: node.TextStart,
        length: node.Width,
      });
    } else if (comparisonKinds.has(kind)) {
      const left = node.GetChild(0);
      const right = node.GetChild(2);
      const pairs: Array<[KustoNode | undefined, KustoNode | undefined]> = [
        [left, right],
        [right, left],
      ];
      for (const [column, literal] of pairs) {
        if (column === undefined || literal === undefined) continue;
        if (kindNames[literal.Kind] !== 'StringLiteralExpression') continue;
        const type = column.ResultType?.Name ?? '';
        if (!numericTypes.has(type)) continue;
        const overlaps = existing.some(
          (diagnostic) => diagnostic.severity === 'error' && diagnostic.start === literal.TextStart,
        );
        if (overlaps) continue;
        add({
          code: lintCodes.stringComparedWithNumber,
          message:
            `${textOf(column).trim()} is ${type} but is compared with the string ${textOf(literal).trim()}; ` +
            'Kusto converts the string and an unexpected value matches nothing. Compare with a number.',
          start: literal.TextStart,
          length: literal.Width,
        });
      }
    }
  });

  if (firstTable !== undefined && !timeBounded) {
    add({
      code: lintCodes.missingTimeFilter,
      message:
        'No time filter: add "| where TimeGenerated > ago(1d)" (Timestamp in Defender) or a between(…) range ' +
        'right after the table, so the query does not scan the whole retention period.',
      start: firstTable.TextStart,
      length: firstTable.Width,
    });
  }
  return diagnostics;
}

function walk(
  node: KustoNode | null | undefined,
  ancestors: KustoNode[],
  visit: (node: KustoNode, ancestors: KustoNode[]) => void,
): void {
  if (node === null || node === undefined) return;
  visit(node, ancestors);
  ancestors.push(node);
  for (let index = 0; index < node.ChildCount; index += 1) walk(node.GetChild(index), ancestors, visit);
  ancestors.pop();
}

function hasChildOfKind(node: KustoNode, kind: string, kindNames: Record<number, string>): boolean {
  let found = false;
  walk(node, [], (child) => {
    if (kindNames[child.Kind] === kind) found = true;
  });
  return found;
}

function firstNameIn(node: KustoNode, kindNames: Record<number, string>): string | undefined {
  let name: string | undefined;
  walk(node, [], (child) => {
    if (name === undefined && kindNames[child.Kind] === 'IdentifierToken') name = child.Text;
  });
  return name;
}

/** The node's text without its leading trivia (comments, whitespace). */
function textOf(node: KustoNode): string {
  const parts: string[] = [];
  walk(node, [], (child) => {
    if (child.IsToken) parts.push(child.Text);
  });
  return parts.join(' ');
}

let kindNamesCache: Record<number, string> | undefined;

/** SyntaxKind is a name → number enum in the Bridge build; the lint looks kinds up by name. */
function syntaxKindNames(): Record<number, string> {
  if (kindNamesCache === undefined) {
    kindNamesCache = {};
    for (const [name, value] of Object.entries(kustoLanguage().Syntax.SyntaxKind)) {
      if (typeof value === 'number') kindNamesCache[value] = name;
    }
  }
  return kindNamesCache;
}

function tableSymbolKind(): number {
  return kustoLanguage().Symbols.SymbolKind.Table;
}
