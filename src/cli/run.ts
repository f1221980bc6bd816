import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { alertExplanationCard } from '../cards';
import { ConfigError, loadConfig } from '../config';
import { explainAlert } from '../copilot/explain-alert';
import { isCopilotError } from '../errors';
import { createLlmFromConfig } from '../llm';
import { silentLogger } from '../logger';
import { normalizeAlert } from '../sources/normalize';
import { defaultAttackKnowledge } from '../intel/attack/facts';

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  environment: NodeJS.ProcessEnv;
}

/** Exit codes: 0 success, 1 the work failed, 2 bad usage or input we do not accept. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

const usage = `Usage: soc-copilot <command> [options]

Commands:
  explain-alert FILE|-   Explain an alert (Graph Security alerts_v2, Sentinel SecurityAlert row, or
                         Defender for Endpoint API alert) in plain language. Prints the result as JSON.
      --card             Print the Adaptive Card instead of the result.

Environment: the same variables as the bot (OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT, …); with no LLM
configured the offline engine answers.
`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(usage);
    return command ? exitCodes.ok : exitCodes.usage;
  }
  try {
    switch (command) {
      case 'explain-alert':
        return await explainAlertCommand(rest, io);
      default:
        io.stderr(`soc-copilot: unknown command "${command}"\n\n${usage}`);
        return exitCodes.usage;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`soc-copilot: ${error.message}\n`);
      return exitCodes.usage;
    }
    if (isCopilotError(error)) {
      io.stderr(`soc-copilot: ${error.userMessage} (${error.message})\n`);
      return ['bad_input', 'unsupported_format', 'not_found'].includes(error.code) ? exitCodes.usage : exitCodes.failed;
    }
    throw error;
  }
}

async function explainAlertCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { card: { type: 'boolean', default: false } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) {
    io.stderr(`soc-copilot: explain-alert needs one FILE (or - for standard input)\n\n${usage}`);
    return exitCodes.usage;
  }
  const text = await readInput(positionals[0], io.stdin);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    io.stderr(`soc-copilot: the input is not JSON (${error instanceof Error ? error.message : 'parse error'})\n`);
    return exitCodes.usage;
  }
  const alert = normalizeAlert(json);
  const config = loadConfig(io.environment);
  const logger = silentLogger();
  const result = await explainAlert(alert, {
    attack: defaultAttackKnowledge(),
    llm: createLlmFromConfig(config.llm, logger),
    logger,
  });
  io.stdout(`${JSON.stringify(values.card ? alertExplanationCard(result, alert) : result, null, 2)}\n`);
  return exitCodes.ok;
}

async function readInput(path: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
