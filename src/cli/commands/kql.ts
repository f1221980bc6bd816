import { createInterface } from 'node:readline';
import { loadConfig } from '../../config';
import { runHuntQuery } from '../../copilot/hunt/run';
import { isCopilotError } from '../../errors';
import { silentLogger } from '../../logger';
import { createSecurityDataSource } from '../../sources';
import { kqlPlatforms, kqlSchemaPath, type KqlPlatform } from '../../kql/schema';
import { validateKql, type KqlValidation, type ValidateKqlOptions } from '../../kql/validator';
import { exitCodes, type CliIo } from '../io';
import { CommandUsageError, openInput, parseCommandOptions, runReportingUsageErrors } from './iocs';

export const kqlUsage = `Usage: soc-copilot kql validate --platform sentinel|defender FILE|-
       soc-copilot kql validate --platform sentinel|defender --jsonl FILE|-
       soc-copilot kql run --platform sentinel|defender [--max-rows N] FILE|-

Checks KQL with Microsoft's Kusto language service against the platform's tables and functions (Microsoft
Sentinel / Log Analytics, or Defender advanced hunting), plus warnings for missing time filters, contains where
has works, join without kind=, search * and strings compared with numbers. Prints
{ "valid": …, "diagnostics": [{ "code", "severity", "message", "start", "length" }] }.

  FILE|-          a file holding one query; - reads standard input
  --jsonl FILE|-  one {"id", "query"} object per line; prints one {"id", "valid", "diagnostics"} line for each
  --platform      sentinel (the default) or defender
  --schema PATH   an operator's tables, {"tables": {"Name": [["Column", "type"], …]}}, added to the platform's
                  (default: KQL_SCHEMA_PATH)

run validates the query the same way (a time bound is required), then runs it through the configured
SECURITY_SOURCE (Log Analytics for sentinel, Graph runHuntingQuery for defender, or the demo data) and prints
{ "status", "validation", "columns", "rows", "rowCount", "truncated", "source" }; exit 1 when the query was
not run because it failed validation.

Exit codes: 0 valid (or ran), 1 invalid (any query, with --jsonl), 2 bad usage or input.
`;

/** `soc-copilot kql validate …`. Exit codes: 0 every query valid, 1 some query invalid, 2 bad usage or input. */
export async function kqlCommand(argv: string[], io: CliIo): Promise<number> {
  return runReportingUsageErrors(io, kqlUsage, async () => {
    const { values, positionals } = parseCommandOptions(argv, {
      platform: { type: 'string' },
      jsonl: { type: 'string' },
      schema: { type: 'string' },
      'max-rows': { type: 'string' },
    });
    if (values.help) {
      io.stdout(kqlUsage);
      return exitCodes.ok;
    }
    const [action, ...sources] = positionals;
    if (action !== 'validate' && action !== 'run') {
      throw new CommandUsageError('kql needs the action "validate", "run" or "generate"', true);
    }
    const platform = values.platform ?? 'sentinel';
    if (!isPlatform(platform)) {
      throw new CommandUsageError(`--platform takes ${kqlPlatforms.join(' or ')}, not "${platform}"`, true);
    }
    const schemaPath = values.schema ?? kqlSchemaPath(io.environment);
    const options: ValidateKqlOptions = {
      platform,
      ...(schemaPath === undefined ? {} : { schema: { path: schemaPath } }),
    };
    if (action === 'run') {
      if (sources.length !== 1 || values.jsonl !== undefined) {
        throw new CommandUsageError('kql run needs one FILE (or - for standard input)', true);
      }
      return await runOne(sources[0] as string, options, values['max-rows'], io);
    }
    const jsonl = values.jsonl;
    if (jsonl !== undefined ? sources.length !== 0 : sources.length !== 1) {
      throw new CommandUsageError('kql validate needs one FILE (or - for standard input), or --jsonl FILE', true);
    }
    try {
      return jsonl === undefined
        ? await validateOne(sources[0] as string, options, io)
        : await validateLines(jsonl, options, io);
    } catch (error) {
      // A KQL_SCHEMA_PATH or --schema file that is missing or malformed is the operator's input, not our failure.
      if (isCopilotError(error) && error.code === 'config_invalid') throw new CommandUsageError(error.message);
      throw error;
    }
  });
}

function isPlatform(value: string): value is KqlPlatform {
  return (kqlPlatforms as readonly string[]).includes(value);
}

async function validateOne(source: string, options: ValidateKqlOptions, io: CliIo): Promise<number> {
  const query = await readQuery(source, io);
  const result = validateKql(query, options);
  io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  return result.valid ? exitCodes.ok : exitCodes.failed;
}

/** `kql run`: the same checks as the Run query button, then the configured source runs it. */
async function runOne(
  source: string,
  options: ValidateKqlOptions,
  maxRowsOption: string | undefined,
  io: CliIo,
): Promise<number> {
  const maxRows = maxRowsOption === undefined ? undefined : Number(maxRowsOption);
  if (maxRows !== undefined && (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > 100_000)) {
    throw new CommandUsageError(`--max-rows takes a whole number from 1 to 100000, not "${maxRowsOption}"`);
  }
  const query = await readQuery(source, io);
  const config = loadConfig(io.environment);
  const run = await runHuntQuery(
    { query, platform: options.platform },
    {
      dataSource: createSecurityDataSource(config.securitySources, { logger: silentLogger() }),
      validate: (text, { platform }) => validateKql(text, { ...options, platform }),
      logger: silentLogger(),
      maxRows,
    },
  );
  io.stdout(`${JSON.stringify(run.result, null, 2)}\n`);
  return run.result.status === 'completed' ? exitCodes.ok : exitCodes.failed;
}

async function readQuery(source: string, io: CliIo): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await openInput(source, io.stdin)) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  const query = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (query.trim() === '') throw new CommandUsageError(`${source === '-' ? 'standard input' : source} holds no query`);
  return query;
}

/** One process for many queries, so the analyzer is loaded once (seconds) rather than per query. */
async function validateLines(source: string, options: ValidateKqlOptions, io: CliIo): Promise<number> {
  const lines = createInterface({ input: await openInput(source, io.stdin), crlfDelay: Infinity });
  let allValid = true;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const { id, query } = parseLine(line.replace(/^\uFEFF/, ''), lineNumber);
    const result: KqlValidation = validateKql(query, options);
    allValid &&= result.valid;
    io.stdout(`${JSON.stringify({ id, valid: result.valid, diagnostics: result.diagnostics })}\n`);
  }
  return allValid ? exitCodes.ok : exitCodes.failed;
}

function parseLine(line: string, lineNumber: number): { id: unknown; query: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw new CommandUsageError(`line ${lineNumber} is not JSON (${(error as Error).message})`);
  }
  const record = parsed as { id?: unknown; query?: unknown } | null;
  if (record === null || typeof record !== 'object' || typeof record.query !== 'string') {
    throw new CommandUsageError(`line ${lineNumber} is not an object with a "query" string`);
  }
  return { id: record.id ?? null, query: record.query };
}
