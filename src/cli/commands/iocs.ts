import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { extractIocs, extractIocsFromJson, toPlainLists } from '../../intel/iocs';
import { CommandUsageError, exitCodes, readWholeInput, unreadable, type CliIo } from '../io';

export { CommandUsageError } from '../io';

export const iocsUsage = `Usage: soc-copilot iocs [--defang] FILE|-

Extracts indicators of compromise and prints them as JSON, one array per type: ipv4, ipv6, cidr, domain, url,
email, md5, sha1, sha256, cve, attackTechnique, registryKey, filePath. Defanged input (hxxps://evil[.]com,
1.2.3[.]4, user[at]example[dot]com …) is refanged first.

  FILE|-     a text file, or a JSON file (an alert, a log export), which is walked as JSON; - reads standard input
  --defang   print the values defanged (hxxps://evil[.]com/x, 1.2.3[.]4, user[@]example[.]com)
`;

/** `soc-copilot iocs [--defang] FILE|-`. Exit codes: 0 done (even when nothing was found), 2 bad usage or input. */
export async function iocsCommand(argv: string[], io: CliIo): Promise<number> {
  return runReportingUsageErrors(io, iocsUsage, async () => {
    const { values, positionals } = parseCommandOptions(argv, { defang: { type: 'boolean', default: false } });
    if (values.help) {
      io.stdout(iocsUsage);
      return exitCodes.ok;
    }
    const source = singleSource(positionals, 'iocs');
    const text = await readWholeInput(source, io.stdin);
    const json = parseJsonDocument(text);
    const report = json === undefined ? extractIocs(text) : extractIocsFromJson(json.value);
    io.stdout(`${JSON.stringify(toPlainLists(report, { defang: values.defang === true }), null, 2)}\n`);
    return exitCodes.ok;
  });
}

/** Runs a command body, turning a CommandUsageError into its message on stderr and exit code 2. */
export async function runReportingUsageErrors(io: CliIo, usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof CommandUsageError)) throw error;
    io.stderr(`soc-copilot: ${error.message}\n${error.showUsage ? `\n${usage}` : ''}`);
    return exitCodes.usage;
  }
}

type CommandOptions = Record<string, { type: 'string' } | { type: 'boolean'; default: boolean }>;
type CommandValues<Options extends CommandOptions> = {
  [Name in keyof Options]?: Options[Name] extends { type: 'string' } ? string : boolean;
} & { help?: boolean };

/**
 * Parses the command's options (flags and string options) and --help; the values keep the option names and
 * types, so `values.defang` is a boolean and `values.audience` a string.
 */
export function parseCommandOptions<Options extends CommandOptions>(
  argv: string[],
  options: Options,
): { values: CommandValues<Options>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h', default: false } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as CommandValues<Options>, positionals };
  } catch (error) {
    // parseArgs reports unknown options with ERR_PARSE_ARGS_* codes and a readable message; the code is checked
    // rather than `instanceof TypeError`, which fails for errors from another realm (jest's module sandbox).
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      throw new CommandUsageError((error as Error).message, true);
    }
    throw error;
  }
}

/** The one FILE or `-` a command reads. */
export function singleSource(positionals: string[], command: string): string {
  if (positionals.length !== 1)
    throw new CommandUsageError(`${command} needs one FILE (or - for standard input)`, true);
  return positionals[0];
}

/**
 * The input as a stream, for commands that work line by line on input of any size. A missing file or a directory
 * is found before anything is read, so it is a usage error rather than an error halfway through the output.
 */
export async function openInput(source: string, stdin: NodeJS.ReadableStream): Promise<NodeJS.ReadableStream> {
  if (source === '-') return stdin;
  try {
    if ((await stat(source)).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
  } catch (error) {
    unreadable(source, error);
  }
  return createReadStream(source);
}

/**
 * JSON when the text is a JSON object or array (exports from PowerShell and Windows editors may start with a byte
 * order mark); text that merely starts with a bracket, such as a log line `[2024-10-10] …`, stays text.
 */
function parseJsonDocument(text: string): { value: unknown } | undefined {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return { value: JSON.parse(trimmed) as unknown };
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
