import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { investigationCard, reportCard } from '../../cards';
import { loadConfig } from '../../config';
import { gatherIncidentContext, incidentInputFromJson, type IncidentInput } from '../../copilot/context';
import { investigateContext, type InvestigateDependencies } from '../../copilot/investigate';
import {
  reportAudiences,
  reportIncident,
  reportMarkdown,
  tlpMarkings,
  type ReportAudience,
  type TlpMarking,
} from '../../copilot/report';
import { attackKnowledgeFor } from '../../intel/attack';
import { attackFactsView } from '../../intel/attack/facts';
import { createEnrichmentService } from '../../intel/enrichment';
import { silentLogger } from '../../logger';
import { createSecurityDataSource } from '../../sources';
import { MemoryStore } from '../../store';
import { exitCodes, type CliIo } from '../io';
import { CommandUsageError, runReportingUsageErrors } from './iocs';

export const investigateUsage = `Usage: soc-copilot investigate [--card] INCIDENT_ID|FILE|-

Investigates an incident from the configured security data source (SECURITY_SOURCE, demo by default), or a
Graph Security incident, a Sentinel SecurityIncident row, an alert or an array of alerts as JSON from FILE or
standard input (-). Prints the result as JSON: assessment, attack vector, scope, timeline, related threats,
ordered containment steps and evidence to preserve, each finding with its evidence ids.

  --card       print the Adaptive Card instead
`;

export const reportUsage = `Usage: soc-copilot report INCIDENT_ID --audience executive|technical|regulator [--tlp MARKING] [--markdown|--card]

Investigates the incident first, then writes the incident report for the audience and prints it as JSON.

  --audience   executive (plain language, business impact, decisions), technical (techniques, indicators,
               follow-up queries) or regulator (formal and factual). Default: technical.
  --tlp        TLP 2.0 marking: CLEAR, GREEN, AMBER (default), AMBER+STRICT or RED
  --markdown   print the report as Markdown (for a ticket or a document)
  --card       print the Adaptive Card instead
`;

/** What both commands build from the environment: the same sources, knowledge, intelligence and LLM as the bot. */
async function dependenciesFor(io: CliIo): Promise<InvestigateDependencies> {
  const config = loadConfig(io.environment);
  const logger = silentLogger();
  const knowledge = attackKnowledgeFor(io.environment);
  const llm =
    config.llm.provider === 'none' ? undefined : (await import('../../llm')).createLlmFromConfig(config.llm, logger);
  return {
    dataSource: createSecurityDataSource(config.securitySources, { logger }),
    attack: attackFactsView(knowledge),
    attackKnowledge: knowledge,
    enrichment: createEnrichmentService(config.enrichment, { store: new MemoryStore(), logger }),
    llm,
    logger,
  };
}

/** `soc-copilot investigate INCIDENT_ID|FILE|-`. Exit codes: 0 done, 1 the work failed, 2 bad usage or input. */
export function investigateCommand(argv: string[], io: CliIo): Promise<number> {
  return runReportingUsageErrors(io, investigateUsage, async () => {
    const { values, positionals } = parseOptions(argv, {
      card: { type: 'boolean', default: false },
    });
    if (values.help) {
      io.stdout(investigateUsage);
      return exitCodes.ok;
    }
    if (positionals.length !== 1) throw new CommandUsageError('investigate needs one INCIDENT_ID, FILE or -', true);
    const dependencies = await dependenciesFor(io);
    const input = await readSubject(positionals[0], io);
    const context = await gatherIncidentContext(input, dependencies);
    const result = await investigateContext(context, dependencies);
    io.stdout(`${JSON.stringify(values.card ? investigationCard(result, context.incident) : result, null, 2)}\n`);
    return exitCodes.ok;
  });
}

/** `soc-copilot report INCIDENT_ID --audience …`. Exit codes as for investigate. */
export function reportCommand(argv: string[], io: CliIo): Promise<number> {
  return runReportingUsageErrors(io, reportUsage, async () => {
    const { values, positionals } = parseOptions(argv, {
      audience: { type: 'string' },
      tlp: { type: 'string' },
      markdown: { type: 'boolean', default: false },
      card: { type: 'boolean', default: false },
    });
    if (values.help) {
      io.stdout(reportUsage);
      return exitCodes.ok;
    }
    if (positionals.length !== 1) throw new CommandUsageError('report needs one INCIDENT_ID', true);
    const audience = (values.audience ?? 'technical').toLowerCase();
    if (!(reportAudiences as readonly string[]).includes(audience)) {
      throw new CommandUsageError(`--audience takes ${reportAudiences.join(', ')}, not "${values.audience}"`, true);
    }
    const tlp = values.tlp?.toUpperCase();
    if (tlp !== undefined && !(tlpMarkings as readonly string[]).includes(tlp)) {
      throw new CommandUsageError(`--tlp takes ${tlpMarkings.join(', ')}, not "${values.tlp}"`, true);
    }
    if (values.markdown && values.card) throw new CommandUsageError('--markdown and --card cannot be combined', true);
    const dependencies = await dependenciesFor(io);
    const { report } = await reportIncident(positionals[0], dependencies, {
      audience: audience as ReportAudience,
      tlp: tlp as TlpMarking | undefined,
    });
    if (values.markdown) io.stdout(reportMarkdown(report));
    else io.stdout(`${JSON.stringify(values.card ? reportCard(report) : report, null, 2)}\n`);
    return exitCodes.ok;
  });
}

type OptionSpec = Record<string, { type: 'string' } | { type: 'boolean'; default: boolean }>;

function parseOptions<Options extends OptionSpec>(argv: string[], options: Options) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h', default: false } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* codes and a readable message.
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new CommandUsageError((error as Error).message, true);
    }
    throw error;
  }
}

/** "-" is standard input, an existing file is a file, anything else an incident id. */
async function readSubject(argument: string, io: CliIo): Promise<IncidentInput> {
  let text: string;
  if (argument === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    text = Buffer.concat(chunks).toString('utf8');
  } else if (existsSync(argument) && statSync(argument).isFile()) {
    text = await readFile(argument, 'utf8');
  } else {
    if (/[\\/]|\.json$/i.test(argument)) throw new CommandUsageError(`cannot read ${argument}: no such file`);
    return argument;
  }
  let json: unknown;
  try {
    // Exports from PowerShell and Windows editors often start with a byte order mark, which JSON.parse rejects.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    if (error instanceof SyntaxError) throw new CommandUsageError(`the input is not valid JSON (${error.message})`);
    throw error;
  }
  return incidentInputFromJson(json);
}
