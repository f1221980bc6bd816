import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateKql, type KqlValidation } from '../../../src/kql/validator';
import { describeWithSharedData, sharedDataPath } from '../../support/shared-data';

const questionsFile = sharedDataPath('kqlbench', 'questions.dev.jsonl');
const schemaFile = path.resolve(__dirname, '..', '..', '..', 'src', 'kql', 'schemas', 'sentinel-tables.json');

interface Question {
  question_id: string;
  KQL_query: string;
}

function errorsOf(result: KqlValidation) {
  return result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
}

/** Which characters are code, as opposed to inside a string literal or a // comment, so mutations hit code. */
function codeMask(query: string): boolean[] {
  const mask = new Array<boolean>(query.length).fill(true);
  let index = 0;
  while (index < query.length) {
    const character = query[index];
    if (character === '/' && query[index + 1] === '/') {
      while (index < query.length && query[index] !== '\n') mask[index++] = false;
    } else if (character === '"' || character === "'") {
      const verbatim = query[index - 1] === '@';
      mask[index++] = false;
      while (index < query.length && query[index] !== character) {
        if (query[index] === '\\' && !verbatim) mask[index++] = false;
        mask[index++] = false;
      }
      mask[index++] = false;
    } else {
      index += 1;
    }
  }
  return mask;
}

describeWithSharedData('validateKql on the KQLBench gold queries (sentinel)', questionsFile, () => {
  const questions = readFileSync(questionsFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Question);
  const tables = (JSON.parse(readFileSync(schemaFile, 'utf8')) as { tables: Record<string, Array<[string, string]>> })
    .tables;

  /** The first table the query reads and the first of that table's columns used after it, both outside literals. */
  function anchorsOf(query: string) {
    const mask = codeMask(query);
    const table = [...query.matchAll(/\b[A-Z][A-Za-z]+\b/g)].find(
      (match) => mask[match.index] && tables[match[0]] !== undefined,
    );
    if (table === undefined) throw new Error(`no known table in ${query}`);
    const columns = new Set(tables[table[0]]?.map(([name]) => name));
    const tableEnd = table.index + table[0].length;
    const column = [...query.matchAll(/\b[A-Za-z_][A-Za-z0-9_]*\b/g)].find(
      (match) => match.index > tableEnd && mask[match.index] && columns.has(match[0]) && query[match.index - 1] !== '.',
    );
    if (column === undefined) throw new Error(`no column of ${table[0]} in ${query}`);
    return { tableEnd, column: { name: column[0], start: column.index }, pipe: query.indexOf('|', tableEnd) };
  }

  it('has the 97 questions this suite was written against', () => {
    expect(questions).toHaveLength(97);
  });

  it('validates every gold query without an error', () => {
    const invalid = questions
      .map((question) => ({
        id: question.question_id,
        errors: errorsOf(validateKql(question.KQL_query, { platform: 'sentinel' })),
      }))
      .filter((entry) => entry.errors.length > 0);
    expect(invalid).toEqual([]);
  });

  it('flags a column renamed to one that does not exist (KS142 at the column)', () => {
    for (const question of questions) {
      const query = question.KQL_query;
      const { column } = anchorsOf(query);
      const mutated = `${query.slice(0, column.start)}${column.name}Zz${query.slice(column.start + column.name.length)}`;
      const result = validateKql(mutated, { platform: 'sentinel' });
      expect({ id: question.question_id, valid: result.valid }).toEqual({ id: question.question_id, valid: false });
      expect(result.diagnostics).toContainEqual(
        expect.objectContaining({ code: 'KS142', severity: 'error', start: column.start }),
      );
    }
  });

  it('flags a broken pipe (| | where) at the pipe', () => {
    for (const question of questions) {
      const query = question.KQL_query;
      const { pipe } = anchorsOf(query);
      const result = validateKql(`${query.slice(0, pipe)}| ${query.slice(pipe)}`, { platform: 'sentinel' });
      expect({ id: question.question_id, valid: result.valid }).toEqual({ id: question.question_id, valid: false });
      const near = errorsOf(result).filter((diagnostic) => diagnostic.start >= pipe && diagnostic.start <= pipe + 3);
      expect({ id: question.question_id, errorsAtPipe: near.length > 0 }).toEqual({
        id: question.question_id,
        errorsAtPipe: true,
      });
    }
  });

  it('flags a datetime column compared with a number (KS106 at the operator)', () => {
    const inserted = '\n| where TimeGenerated > 5';
    for (const question of questions) {
      const query = question.KQL_query;
      const { tableEnd } = anchorsOf(query);
      const result = validateKql(`${query.slice(0, tableEnd)}${inserted}${query.slice(tableEnd)}`, {
        platform: 'sentinel',
      });
      expect(result.valid).toBe(false);
      expect(result.diagnostics).toContainEqual(
        expect.objectContaining({ code: 'KS106', severity: 'error', start: tableEnd + inserted.indexOf('>') }),
      );
    }
  });
});
