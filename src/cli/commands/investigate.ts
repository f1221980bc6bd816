import { existsSync, statSync } from 'node:fs';
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
import { CommandUsageError, exitCodes, readWholeInput, type CliIo } from '../io';
import { parseJson } from './analyze-alert';
import { parseCommandOptions, runReportingUsageErrors } from './iocs';

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
    const { values, positionals } = parseCommandOptions(argv, {
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
    const { values, positionals } = parseCommandOptions(argv, {
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

/** "-" is standard input, an existing file is a file, anything else an incident id. */
async function readSubject(argument: string, io: CliIo): Promise<IncidentInput> {
  if (argument !== '-' && !(existsSync(argument) && statSync(argument).isFile())) {
    if (/[\\/]|\.json$/i.test(argument)) throw new CommandUsageError(`cannot read ${argument}: no such file`);
    return argument;
  }
  return incidentInputFromJson(parseJson(await readWholeInput(argument, io.stdin)));
}
