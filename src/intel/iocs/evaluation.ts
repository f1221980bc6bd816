import { iocTypes, type IocType } from './types';

/**
 * Precision and recall of an extractor against a labelled corpus (test/fixtures/iocs/corpus.jsonl). The unit test
 * asserts floors with it and `npm run bench` scores us and ioc-extractor with it, so both measure the same way.
 */

export interface LabelledCase {
  id: string;
  text: string;
  /** The indicators a careful analyst would list, per type; a missing type means none. */
  expected: Partial<Record<IocType, string[]>>;
  tags?: string[];
}

export type Extraction = Partial<Record<IocType, string[]>>;

export interface TypeScore {
  type: IocType | 'overall';
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** 1 when nothing was extracted (no false positive was possible). */
  precision: number;
  /** 1 when nothing was expected. */
  recall: number;
}

export interface Mistake {
  caseId: string;
  type: IocType;
  kind: 'falsePositive' | 'falseNegative';
  value: string;
}

export interface CorpusScore {
  perType: TypeScore[];
  overall: TypeScore;
  mistakes: Mistake[];
}

/**
 * The form two values are compared in: case-insensitive where the indicator is (host names, e-mail addresses,
 * hashes, IPv6, IDs); for URLs only the scheme and host are. Extractors differ in how they print values, not in
 * what they found, and this keeps that difference out of the score.
 */
export function comparableValue(type: IocType, value: string): string {
  const trimmed = value.trim();
  if (type === 'url') {
    const authorityEnd = trimmed.search(/(?<=:\/\/[^/?#]*)[/?#]|$/);
    return trimmed.slice(0, authorityEnd).toLowerCase() + trimmed.slice(authorityEnd);
  }
  if (type === 'filePath' && trimmed.startsWith('/')) return trimmed;
  if (type === 'filePath' && trimmed.startsWith('~')) return trimmed;
  return trimmed.toLowerCase();
}

/** Scores `extract` on every case, over `types` (an extractor without registry keys is scored without them). */
export function scoreCorpus(
  cases: LabelledCase[],
  extract: (text: string) => Extraction,
  types: readonly IocType[] = iocTypes,
): CorpusScore {
  const counts = new Map<IocType, { truePositives: number; falsePositives: number; falseNegatives: number }>(
    types.map((type) => [type, { truePositives: 0, falsePositives: 0, falseNegatives: 0 }]),
  );
  const mistakes: Mistake[] = [];
  for (const labelled of cases) {
    const extracted = extract(labelled.text);
    for (const type of types) {
      const expected = new Set((labelled.expected[type] ?? []).map((value) => comparableValue(type, value)));
      const found = new Set((extracted[type] ?? []).map((value) => comparableValue(type, value)));
      const tally = counts.get(type) as { truePositives: number; falsePositives: number; falseNegatives: number };
      for (const value of found) {
        if (expected.has(value)) tally.truePositives += 1;
        else {
          tally.falsePositives += 1;
          mistakes.push({ caseId: labelled.id, type, kind: 'falsePositive', value });
        }
      }
      for (const value of expected) {
        if (found.has(value)) continue;
        tally.falseNegatives += 1;
        mistakes.push({ caseId: labelled.id, type, kind: 'falseNegative', value });
      }
    }
  }
  const perType = types.map((type) =>
    score(type, counts.get(type) as Omit<TypeScore, 'type' | 'precision' | 'recall'>),
  );
  const total = { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
  for (const entry of perType) {
    total.truePositives += entry.truePositives;
    total.falsePositives += entry.falsePositives;
    total.falseNegatives += entry.falseNegatives;
  }
  return { perType, overall: score('overall', total), mistakes };
}

function score(
  type: TypeScore['type'],
  counts: { truePositives: number; falsePositives: number; falseNegatives: number },
): TypeScore {
  const extracted = counts.truePositives + counts.falsePositives;
  const expected = counts.truePositives + counts.falseNegatives;
  return {
    type,
    ...counts,
    precision: extracted === 0 ? 1 : counts.truePositives / extracted,
    recall: expected === 0 ? 1 : counts.truePositives / expected,
  };
}

/** A fixed-width table of scores, for test output and the benchmark. */
export function formatScoreTable(rows: Array<{ label: string; score: TypeScore }>): string {
  const header = ['', 'TP', 'FP', 'FN', 'precision', 'recall'];
  const lines = rows.map(({ label, score: entry }) => [
    label,
    String(entry.truePositives),
    String(entry.falsePositives),
    String(entry.falseNegatives),
    entry.precision.toFixed(3),
    entry.recall.toFixed(3),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  return [header, ...lines]
    .map((cells) =>
      cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]))).join('  '),
    )
    .join('\n');
}
