import { conceptCard } from '../../cards/concept-card';
import { loadConfig } from '../../config';
import { askConcept } from '../../copilot/ask';
import { isCopilotError } from '../../errors';
import { attackKnowledgeFor } from '../../intel/attack';
import { silentLogger } from '../../logger';
import { exitCodes, type CliIo } from '../io';
import { CommandUsageError, parseCommandOptions, runReportingUsageErrors } from './iocs';

export const askUsage = `Usage: soc-copilot ask [--card] "QUESTION"

Explains a security concept ("what is kerberoasting?", "explain T1558.003", "difference between
pass-the-hash and pass-the-ticket") and prints the answer as JSON, grounded in MITRE ATT&CK when the concept
maps to a technique, group or software; "grounded": false says when it does not. With ATTACK_STIX_PATH set the
answer adds ATT&CK's description, detection guidance and mitigations; with an LLM configured the model may
add general knowledge, marked as not from ATT&CK.

  --card      print the Adaptive Card instead
`;

/** `soc-copilot ask "…"`. Exit codes: 0 answered (grounded or not), 2 bad usage or a bad ATTACK_STIX_PATH. */
export function askCommand(argv: string[], io: CliIo): Promise<number> {
  return runReportingUsageErrors(io, askUsage, async () => {
    const { values, positionals } = parseCommandOptions(argv, { card: { type: 'boolean', default: false } });
    if (values.help) {
      io.stdout(askUsage);
      return exitCodes.ok;
    }
    const question = positionals.join(' ').trim();
    if (question === '') throw new CommandUsageError('ask needs a question', true);
    const config = loadConfig(io.environment);
    const logger = silentLogger();
    const llm =
      config.llm.provider === 'none' ? undefined : (await import('../../llm')).createLlmFromConfig(config.llm, logger);
    try {
      const result = await askConcept({ question }, { knowledge: attackKnowledgeFor(io.environment), llm, logger });
      io.stdout(`${JSON.stringify(values.card ? conceptCard(result) : result, null, 2)}\n`);
      return exitCodes.ok;
    } catch (error) {
      if (!isCopilotError(error) || error.code !== 'config_invalid') throw error;
      throw new CommandUsageError(error.message);
    }
  });
}
