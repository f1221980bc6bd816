import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CopilotError } from '../errors';

/** Where a query runs: Microsoft Sentinel (Log Analytics) or Microsoft Defender advanced hunting. */
export type KqlPlatform = 'sentinel' | 'defender';

export const kqlPlatforms: readonly KqlPlatform[] = ['sentinel', 'defender'];

/** Table name → [[column, type], …]: the shape of src/kql/schemas/*.json and of an operator's schema file. */
export type KqlTables = Record<string, Array<[string, string]>>;

export interface KqlSchemaFile {
  tables: KqlTables;
}

/**
 * An operator's schema: a path to a JSON file of the same shape, or the tables themselves. `extend` (the default)
 * adds and overrides tables of the bundled schema; `replace` uses only these tables.
 */
export interface KqlSchemaOption {
  path?: string;
  tables?: KqlTables;
  mode?: 'extend' | 'replace';
}

/** The environment variable naming an operator's schema file. */
export const kqlSchemaPathVariable = 'KQL_SCHEMA_PATH';

/** The operator's KQL_SCHEMA_PATH, or undefined when it is unset or blank. */
export function kqlSchemaPath(environment: NodeJS.ProcessEnv): string | undefined {
  const value = environment[kqlSchemaPathVariable]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

const scalarTypes = new Set([
  'bool',
  'boolean',
  'datetime',
  'date',
  'dynamic',
  'guid',
  'uuid',
  'int',
  'long',
  'real',
  'double',
  'decimal',
  'string',
  'timespan',
  'time',
]);

const bundledFiles: Record<KqlPlatform, string> = {
  sentinel: path.join(__dirname, 'schemas', 'sentinel-tables.json'),
  defender: path.join(__dirname, 'schemas', 'defender-tables.json'),
};

/** The generated tables shipped with the product for one platform. */
export function bundledTables(platform: KqlPlatform): KqlTables {
  return parseSchema(readFileSync(bundledFiles[platform], 'utf8'), bundledFiles[platform]);
}

/** Reads and checks an operator's schema file; a bad file is a configuration error that names the problem. */
export function readSchemaFile(file: string): KqlTables {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CopilotError('config_invalid', `${kqlSchemaPathVariable}: cannot read ${file}`, { cause: error });
  }
  return parseSchema(text, file);
}

export function parseSchema(text: string, source: string): KqlTables {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CopilotError('config_invalid', `${source} is not JSON`, { cause: error });
  }
  const tables = (parsed as Partial<KqlSchemaFile> | null)?.tables;
  if (tables === null || typeof tables !== 'object' || Array.isArray(tables)) {
    throw new CopilotError('config_invalid', `${source} has no "tables" object`);
  }
  checkTables(tables, source);
  return tables;
}

export function checkTables(tables: KqlTables, source: string): void {
  for (const [name, columns] of Object.entries(tables)) {
    if (!Array.isArray(columns))
      throw new CopilotError('config_invalid', `${source}: table ${name} has no column list`);
    for (const column of columns) {
      const wellFormed =
        Array.isArray(column) &&
        column.length === 2 &&
        typeof column[0] === 'string' &&
        column[0] !== '' &&
        typeof column[1] === 'string' &&
        scalarTypes.has(column[1]);
      if (!wellFormed) {
        throw new CopilotError(
          'config_invalid',
          `${source}: table ${name} has a column that is not [name, type] with a Kusto scalar type: ${JSON.stringify(column)}`,
        );
      }
    }
  }
}

/** The tables a platform validates against, with the operator's schema applied. */
export function tablesFor(platform: KqlPlatform, schema: KqlSchemaOption | undefined): KqlTables {
  const operatorTables: KqlTables = {
    ...(schema?.path === undefined ? {} : readSchemaFile(schema.path)),
    ...(schema?.tables ?? {}),
  };
  if (schema?.tables !== undefined) checkTables(schema.tables, 'schema option');
  if (schema?.mode === 'replace') return operatorTables;
  return { ...bundledTables(platform), ...operatorTables };
}
