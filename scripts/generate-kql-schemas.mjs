#!/usr/bin/env node
// Generates src/kql/schemas/sentinel-tables.json and defender-tables.json from a Log Analytics schema export
// (`{"tables": {"SecurityEvent": [["TimeGenerated","datetime"], …]}}`).
//
// Only facts are kept: table names, column names and column types. Tables are sorted by name; columns keep the
// export's order, because that is the order `project *` and `getschema` show. The JSON is laid out by the project's
// Prettier (its API and .prettierrc), so `prettier --check .` passes without an ignore entry and regenerating from
// the same export with the same Prettier is byte-for-byte identical (a unit test checks this).
//
// Defender advanced hunting exposes the same Device*/Email*/Identity* tables (and a few others, see
// isDefenderTable) with `Timestamp` instead of `TimeGenerated`, and without the columns Log Analytics adds to every
// table (logAnalyticsOnlyColumns). Rule: drop TimeGenerated and the Log-Analytics-only columns, and make sure a
// `Timestamp` datetime column is present (first, when the export did not already have one).
//
// Usage: node scripts/generate-kql-schemas.mjs [sentinel-tables.json] [--out-dir dir] [--license LICENSE.txt]
//   Writes sentinel-tables.json, defender-tables.json, LICENSE-log-analytics.txt and README.md into the output
//   directory (default src/kql/schemas). --license defaults to LICENSE-log-analytics.txt beside the export.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const defaultExportPath = resolve(projectRoot, '../shared/data/kql-schemas/sentinel-tables.json');
const defaultOutputDirectory = resolve(projectRoot, 'src/kql/schemas');
const licenseFileName = 'LICENSE-log-analytics.txt';

/** Columns Log Analytics adds to every table; advanced hunting does not have them. */
const logAnalyticsOnlyColumns = new Set([
  'TimeGenerated',
  'TenantId',
  'SourceSystem',
  'Type',
  '_ResourceId',
  '_SubscriptionId',
  '_BilledSize',
  '_IsBillable',
  '_ItemId',
  '_TimeReceived',
  '_Internal_WorkspaceResourceId',
  'MG',
  'ManagementGroupName',
]);

const defenderPrefixes = ['Device', 'Email', 'Identity'];
const defenderNames = new Set([
  'AlertInfo',
  'AlertEvidence',
  'BehaviorInfo',
  'BehaviorEntities',
  'CloudAppEvents',
  'CloudAuditEvents',
  'CloudProcessEvents',
  'UrlClickEvents',
  'MessageEvents',
  'MessagePostDeliveryEvents',
  'MessageUrlInfo',
  'OAuthAppInfo',
  'ExposureGraphNodes',
  'ExposureGraphEdges',
  'AADSignInEventsBeta',
  'AADSpnSignInEventsBeta',
]);

export function isDefenderTable(name) {
  return defenderNames.has(name) || defenderPrefixes.some((prefix) => name.startsWith(prefix));
}

function parseArguments(argv) {
  const options = { exportPath: defaultExportPath, outputDirectory: defaultOutputDirectory, licensePath: undefined };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--out-dir' || argument === '--license') {
      const value = argv[(index += 1)];
      if (value === undefined || value.startsWith('--')) throw new Error(`${argument} needs a value`);
      if (argument === '--out-dir') options.outputDirectory = resolve(value);
      else options.licensePath = resolve(value);
    } else if (argument.startsWith('--')) {
      throw new Error(`Unknown option ${argument}`);
    } else {
      options.exportPath = resolve(argument);
    }
  }
  options.licensePath ??= join(dirname(options.exportPath), licenseFileName);
  return options;
}

// Code-unit comparison: localeCompare depends on the machine's ICU data and would break byte-for-byte regeneration.
function compareStrings(left, right) {
  if (left < right) return -1;
  return left > right ? 1 : 0;
}

function readExport(exportPath) {
  const parsed = JSON.parse(readFileSync(exportPath, 'utf8'));
  const tables = parsed?.tables;
  if (tables === null || typeof tables !== 'object') throw new Error(`${exportPath} has no "tables" object`);
  for (const [name, columns] of Object.entries(tables)) {
    const wellFormed =
      Array.isArray(columns) &&
      columns.every(
        (column) =>
          Array.isArray(column) &&
          column.length === 2 &&
          typeof column[0] === 'string' &&
          typeof column[1] === 'string',
      );
    if (!wellFormed) throw new Error(`${exportPath}: table ${name} is not a list of [column, type] pairs`);
  }
  return tables;
}

export function defenderColumns(columns) {
  const kept = columns.filter(([name]) => !logAnalyticsOnlyColumns.has(name));
  return kept.some(([name]) => name === 'Timestamp') ? kept : [['Timestamp', 'datetime'], ...kept];
}

async function serialize(tables, file) {
  const sorted = {};
  for (const name of Object.keys(tables).sort(compareStrings)) sorted[name] = tables[name];
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(join(projectRoot, 'package.json'))) ?? {};
  return prettier.format(JSON.stringify({ tables: sorted }), { ...options, filepath: file });
}

function readme(exportName, sentinelCount, defenderCount) {
  return `# KQL table schemas (generated, do not edit)

Generated by \`node scripts/generate-kql-schemas.mjs\` from \`${exportName}\`, a Log Analytics / Microsoft Sentinel
workspace schema export (MIT licence, see \`${licenseFileName}\` beside this file). Only facts are kept: table names,
column names and column types.

- \`sentinel-tables.json\`: ${sentinelCount} Log Analytics tables as exported.
- \`defender-tables.json\`: ${defenderCount} Microsoft Defender advanced-hunting tables (Device*, Email*, Identity*,
  AlertInfo, AlertEvidence, CloudAppEvents, UrlClickEvents, BehaviorInfo/BehaviorEntities when present). Advanced
  hunting names the event time \`Timestamp\`: \`TimeGenerated\` and the columns Log Analytics adds to every table
  (TenantId, SourceSystem, Type, _ResourceId, _SubscriptionId, _BilledSize, _IsBillable, MG, ManagementGroupName, …)
  are dropped, and a \`Timestamp\` datetime column is added when the export has none.

Shape: \`{"tables": {"TableName": [["Column", "type"], …]}}\`. An operator can replace or extend these with a file of
the same shape (KQL_SCHEMA_PATH).
`;
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (!existsSync(options.licensePath)) {
    throw new Error(`${options.licensePath} is missing: the licence must travel with the generated tables`);
  }
  const tables = readExport(options.exportPath);
  const defender = {};
  for (const [name, columns] of Object.entries(tables)) {
    if (isDefenderTable(name)) defender[name] = defenderColumns(columns);
  }
  mkdirSync(options.outputDirectory, { recursive: true });
  for (const [file, content] of [
    ['sentinel-tables.json', tables],
    ['defender-tables.json', defender],
  ]) {
    const target = join(options.outputDirectory, file);
    writeFileSync(target, await serialize(content, target));
  }
  writeFileSync(join(options.outputDirectory, licenseFileName), readFileSync(options.licensePath));
  writeFileSync(
    join(options.outputDirectory, 'README.md'),
    readme(basename(options.exportPath), Object.keys(tables).length, Object.keys(defender).length),
  );
  console.log(
    `generate-kql-schemas: ${Object.keys(tables).length} Sentinel and ${Object.keys(defender).length} Defender tables ` +
      `written to ${options.outputDirectory}`,
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`generate-kql-schemas: ${error.message}`);
    process.exitCode = 1;
  });
}
