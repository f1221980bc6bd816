import { intelCard } from '../../cards/intel-card';
import { loadConfig } from '../../config';
import { analyzeThreatIntel, extractIntel } from '../../copilot/intel';
import { attackKnowledgeFor } from '../../intel/attack';
import { attackFactsView } from '../../intel/attack/facts';
import { createEnrichmentService } from '../../intel/enrichment';
import { silentLogger } from '../../logger';
import { MemoryStore } from '../../store';
import { exitCodes, type CliIo } from '../io';
import { CommandUsageError, openInput, parseCommandOptions, runReportingUsageErrors, singleSource } from './iocs';

export const intelUsage = `Usage: soc-copilot intel [--card] FILE|-

Analyzes threat intel in a text (indicators with context, a threat report; defanged is fine) and prints the
result as JSON: every IP, domain, URL and file hash with its classification and each provider's verdict, the
ATT&CK techniques the text shows, ATT&CK groups and software it names, hunts that fit, an assessment and a
block / watch / ignore recommendation per indicator.

  FILE|-      a text file; - reads standard input
  --card      print the Adaptive Card instead

Providers: VIRUSTOTAL_API_KEY, ABUSEIPDB_API_KEY, OTX_API_KEY, MDTI_ENABLED. Private and documentation
addresses are never sent to a provider. With an LLM configured the model writes the assessment.
`;

const maximumInputBytes = 2 * 1024 * 1024;

/** `soc-copilot intel FILE|-`. Exit codes: 0 analysed, 2 bad usage or a text with nothing to analyse. */
export function intelCommand(argv: string[], io: CliIo): Promise<number> {
  return runReportingUsageErrors(io, intelUsage, async () => {
    const { values, positionals } = parseCommandOptions(argv, { card: { type: 'boolean', default: false } });
    if (values.help) {
      io.stdout(intelUsage);
      return exitCodes.ok;
    }
    const source = singleSource(positionals, 'intel');
    // Configuration first: a bad variable is reported before we wait on standard input.
    const config = loadConfig(io.environment);
    const text = await readAll(await openInput(source, io.stdin));
    const knowledge = attackKnowledgeFor(io.environment);
    const attack = attackFactsView(knowledge);
    const extracted = extractIntel(text);
    if (
      extracted.indicators.length === 0 &&
      extracted.report.attackTechnique.length === 0 &&
      attack.techniquesForText(text).length === 0
    ) {
      throw new CommandUsageError(
        'the input holds no IP address, domain, URL, file hash or attack technique to analyse',
      );
    }
    const logger = silentLogger();
    const llm =
      config.llm.provider === 'none' ? undefined : (await import('../../llm')).createLlmFromConfig(config.llm, logger);
    const enrichment = createEnrichmentService(config.enrichment, { store: new MemoryStore(), logger });
    const result = await analyzeThreatIntel({ text }, { attack, actors: knowledge, enrichment, llm, logger });
    io.stdout(`${JSON.stringify(values.card ? intelCard(result) : result, null, 2)}\n`);
    return exitCodes.ok;
  });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > maximumInputBytes) throw new CommandUsageError('the input is over 2 MB; split it into smaller reports');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
}
