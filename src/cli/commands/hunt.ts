import { parseArgs } from 'node:util';
import { huntingQueryCard } from '../../cards';
import { loadConfig } from '../../config';
import { generateHuntingQuery, naturalLanguageToKql } from '../../copilot/hunt';
import { huntDependenciesFor } from '../../copilot/hunt/defaults';
import { attackKnowledgeFor } from '../../intel/attack';
import { attackFactsView } from '../../intel/attack/facts';
import { silentLogger } from '../../logger';
import { exitCodes, type CliIo } from '../io';
import { CommandUsageError, runReportingUsageErrors } from './iocs';

export const huntUsage = `Usage: soc-copilot hunt [--platform sentinel|defender] [--card] "THREAT"
       soc-copilot kql generate [--platform sentinel|defender] [--card] "QUESTION"

Writes a KQL query (a hunting query for a threat, or an analyst's question as a query), validates it against
the platform's real schema, and prints the result as JSON: the query, its validation status and diagnostics,
what it detects, expected false positives and tuning advice. With no LLM configured, the offline template
library answers, and says so when no template fits.

  --platform   sentinel (the default: Microsoft Sentinel / Log Analytics) or defender (advanced hunting)
  --card       print the Adaptive Card instead
`;

/** `soc-copilot hunt "…"` and `soc-copilot kql generate "…"`. Exit codes: 0 validated, 1 unvalidated or no query, 2 bad usage. */
export function huntCommand(kind: 'hunt' | 'kql', argv: string[], io: CliIo): Promise<number> {
  return runReportingUsageErrors(io, huntUsage, async () => {
    const { values, positionals } = parseHuntOptions(argv);
    if (values.help) {
      io.stdout(huntUsage);
      return exitCodes.ok;
    }
    const request = positionals.join(' ').trim();
    if (request === '')
      throw new CommandUsageError(`${kind === 'hunt' ? 'hunt' : 'kql generate'} needs a description`, true);
    const platform = values.platform ?? 'sentinel';
    if (platform !== 'sentinel' && platform !== 'defender') {
      throw new CommandUsageError(`--platform takes sentinel or defender, not "${platform}"`, true);
    }
    const config = loadConfig(io.environment);
    const logger = silentLogger();
    const llm =
      config.llm.provider === 'none' ? undefined : (await import('../../llm')).createLlmFromConfig(config.llm, logger);
    const knowledge = attackKnowledgeFor(io.environment);
    const dependencies = huntDependenciesFor({
      attack: attackFactsView(knowledge),
      attackKnowledge: knowledge,
      kqlSchemaPath: config.kqlSchemaPath,
      llm,
      logger,
    });
    const result =
      kind === 'hunt'
        ? await generateHuntingQuery({ threat: request, platform }, dependencies)
        : await naturalLanguageToKql({ question: request, platform }, dependencies);
    io.stdout(`${JSON.stringify(values.card ? huntingQueryCard(result) : result, null, 2)}\n`);
    return result.result.validation.status === 'validated' ? exitCodes.ok : exitCodes.failed;
  });
}

function parseHuntOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        platform: { type: 'string' },
        card: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
      throw new CommandUsageError((error as Error).message, true);
    throw error;
  }
}
