import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { alertExplanationCard } from '../cards';
import { ConfigError, loadConfig, type AppConfig } from '../config';
import { explainAlert } from '../copilot/explain-alert';
import { isCopilotError } from '../errors';
import type { LlmClient } from '../llm';
import { silentLogger, type Logger } from '../logger';
import { normalizeAlert } from '../sources/normalize';
import { defaultAttackKnowledge } from '../intel/attack/facts';

import { exitCodes, type CliIo } from './io';

export { exitCodes, type CliIo } from './io';

const usage = `Usage: soc-copilot <command> [options]

Commands:
  explain-alert FILE|-   Explain an alert (Graph Security alerts_v2, Sentinel SecurityAlert row, or
                         Defender for Endpoint API alert) in plain language. Prints the result as JSON.
      --card             Print the Adaptive Card instead of the result.
  attack TECHNIQUE       A MITRE ATT&CK technique by ID or name, as JSON (--card for the card).
  enrich INDICATOR...|-  Threat-intelligence verdicts for indicators (--card for the card).
  intel FILE|-           Analyze threat intel in a text: verdicts, ATT&CK, actors, hunts, actions.
  ask "QUESTION"         Explain a security concept, grounded in MITRE ATT&CK (--card for the card).
  analyze-alert FILE|-   Deep analysis of an alert: ATT&CK with evidence, entity verdicts, related alerts,
                         severity and false-positive assessment, next steps (--card for the card).
  triage [--top N]       The open alerts and incidents ranked by a transparent score (--severity, --card).
  remediate ALERT_ID|INCIDENT_ID|FILE|-  Ordered response steps: who, where, verify, risk (--card).
  investigate INCIDENT_ID|FILE|-  Investigate an incident: assessment, scope, timeline, containment (--card).
  report INCIDENT_ID --audience executive|technical  Incident report, TLP-marked (--markdown, --card).
  iocs [--defang] FILE|- The indicators in a text or JSON file, by type, as JSON.
  refang FILE|-          Turn defanged indicators (hxxps, [.]) back into real ones, line by line.
  defang FILE|-          Defang every indicator in a text, line by line.
  hunt "THREAT"          A validated KQL hunting query for a threat (--platform sentinel|defender).
  kql generate "QUESTION"  A question as a validated, time-bounded KQL query.
  kql validate FILE|-    Check KQL against the Sentinel or Defender schema (--jsonl for many queries).
  kql run FILE|-         Validate, then run a query through the configured source; rows as JSON.
  alerts                 Alerts from the configured source as JSON (--severity, --since 24h, --status, --limit).
  incidents              Incidents from the configured source as JSON (--severity, --since, --limit).
  alert ID               One alert from the configured source (SECURITY_SOURCE) as JSON.
  incident ID            One incident from the configured source as JSON.
  audit export           The audit trail as JSON lines or CSV (--since 7d, --until, --format jsonl|csv).

Run "soc-copilot <command> --help" for a command's options.

Environment: the same variables as the bot (OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT, …); with no LLM
configured the offline engine answers.
`;

/** Error codes that mean the caller gave us something we cannot use, as opposed to the work failing. */
const usageErrorCodes = new Set(['bad_input', 'unsupported_format', 'not_found', 'config_invalid']);

/** A problem with what the user typed or pointed us at: reported in one line, exit code 2. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

type Command = (argv: string[], io: CliIo) => Promise<number>;

/** The command table: each command module parses its own options; this file only dispatches. */
const commands: Record<string, Command> = {
  'explain-alert': (argv, io) => explainAlertCommand(argv, io),
  attack: async (argv, io) => (await import('./commands/attack')).attackCommand(argv, io, io.environment),
  iocs: async (argv, io) => (await import('./commands/iocs')).iocsCommand(argv, io),
  'analyze-alert': async (argv, io) => (await import('./commands/analyze-alert')).analyzeAlertCommand(argv, io),
  triage: async (argv, io) => (await import('./commands/triage')).triageCommand(argv, io),
  remediate: async (argv, io) => (await import('./commands/remediate')).remediateCommand(argv, io),
  investigate: async (argv, io) => (await import('./commands/investigate')).investigateCommand(argv, io),
  report: async (argv, io) => (await import('./commands/investigate')).reportCommand(argv, io),
  intel: async (argv, io) => (await import('./commands/intel')).intelCommand(argv, io),
  ask: async (argv, io) => (await import('./commands/ask')).askCommand(argv, io),
  refang: async (argv, io) => (await import('./commands/refang')).refangCommand(argv, io),
  defang: async (argv, io) => (await import('./commands/refang')).defangCommand(argv, io),
  hunt: async (argv, io) => (await import('./commands/hunt')).huntCommand('hunt', argv, io),
  kql: async (argv, io) =>
    argv[0] === 'generate'
      ? (await import('./commands/hunt')).huntCommand('kql', argv.slice(1), io)
      : (await import('./commands/kql')).kqlCommand(argv, io),
  alerts: async (argv, io) => (await import('./commands/data')).dataCommand('alerts', argv, io),
  incidents: async (argv, io) => (await import('./commands/data')).dataCommand('incidents', argv, io),
  alert: async (argv, io) => (await import('./commands/data')).dataCommand('alert', argv, io),
  incident: async (argv, io) => (await import('./commands/data')).dataCommand('incident', argv, io),
  enrich: async (argv, io) =>
    (await import('./commands/enrich')).enrichCommand(argv, io, loadConfig(io.environment).enrichment),
  audit: async (argv, io) => (await import('./commands/audit')).auditCommand(argv, io),
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    // Asking for help is a success; running without a command is a usage mistake, so it goes to stderr.
    if (command) io.stdout(usage);
    else io.stderr(usage);
    return command ? exitCodes.ok : exitCodes.usage;
  }
  try {
    const run = commands[command];
    if (!run) {
      io.stderr(`soc-copilot: unknown command "${command}"\n\n${usage}`);
      return exitCodes.usage;
    }
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`soc-copilot: ${error.message}\n${error.showUsage ? `\n${usage}` : ''}`);
      return exitCodes.usage;
    }
    if (error instanceof ConfigError) {
      io.stderr(`soc-copilot: ${error.message}\n`);
      return exitCodes.usage;
    }
    if (isCopilotError(error)) {
      io.stderr(`soc-copilot: ${error.userMessage} (${error.message})\n`);
      return usageErrorCodes.has(error.code) ? exitCodes.usage : exitCodes.failed;
    }
    throw error;
  }
}

async function explainAlertCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(argv);
  if (values.help) {
    io.stdout(usage);
    return exitCodes.ok;
  }
  if (positionals.length !== 1) {
    throw new UsageError('explain-alert needs one FILE (or - for standard input)', true);
  }
  // Configuration first: a bad variable is reported before we wait on standard input.
  const config = loadConfig(io.environment);
  const logger = silentLogger();
  const llm = await llmFor(config.llm, logger);

  const alert = normalizeAlert(parseJson(await readInput(positionals[0], io.stdin)));
  const result = await explainAlert(alert, { attack: defaultAttackKnowledge(), llm, logger });
  io.stdout(`${JSON.stringify(values.card ? alertExplanationCard(result, alert) : result, null, 2)}\n`);
  return exitCodes.ok;
}

/**
 * The LLM adapter pulls in the openai SDK and @azure/identity, about half a second of start-up; an
 * offline run does not pay for them.
 */
async function llmFor(settings: AppConfig['llm'], logger: Logger): Promise<LlmClient | undefined> {
  if (settings.provider === 'none') return undefined;
  const { createLlmFromConfig } = await import('../llm');
  return createLlmFromConfig(settings, logger);
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { card: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs reports unknown options and missing values as TypeErrors with a readable message.
    if (error instanceof TypeError) throw new UsageError(error.message, true);
    throw error;
  }
}

function parseJson(text: string): unknown {
  try {
    // Exports from PowerShell and Windows editors often start with a byte order mark, which JSON.parse rejects.
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    if (error instanceof SyntaxError) throw new UsageError(`the input is not valid JSON (${error.message})`);
    throw error;
  }
}

async function readInput(path: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reasons: Record<string, string> = {
      ENOENT: 'no such file',
      EISDIR: 'it is a directory',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
    };
    if (code !== undefined && Object.hasOwn(reasons, code))
      throw new UsageError(`cannot read ${path}: ${reasons[code]}`);
    throw error;
  }
}
