import { existsSync } from 'node:fs';
import { remediationCard } from '../../cards/remediation-card';
import { loadConfig } from '../../config';
import { findRemediationSubject, remediate, type RemediationSubject } from '../../copilot/remediate';
import { attackKnowledgeFor } from '../../intel/attack';
import { attackFactsView } from '../../intel/attack/facts';
import { silentLogger } from '../../logger';
import { createSecurityDataSource } from '../../sources';
import { normalizeAlert } from '../../sources/normalize';
import { exitCodes, readWholeInput, type CliIo } from '../io';
import { parseJson } from './analyze-alert';
import { parseCommandOptions, runReportingUsageErrors, singleSource } from './iocs';

export const remediateUsage = `Usage: soc-copilot remediate [--card] ALERT_ID|INCIDENT_ID|FILE|-

Response guidance as JSON: ordered, entity-specific steps (contain, eradicate, recover, harden), each with who can
do it, where (portal, PowerShell, Graph), how to verify it and its risk, and the ATT&CK mitigations (M-ids).

  ALERT_ID|INCIDENT_ID   an alert or incident of the configured data source (e.g. da-1009, 45)
  FILE|-                 an alert as JSON (a file that exists, or - for standard input)
  --card                 print the Adaptive Card instead
`;

export function remediateCommand(argv: string[], io: CliIo): Promise<number> {
  return runReportingUsageErrors(io, remediateUsage, async () => {
    const { values, positionals } = parseCommandOptions(argv, { card: { type: 'boolean', default: false } });
    if (values.help) {
      io.stdout(remediateUsage);
      return exitCodes.ok;
    }
    const target = singleSource(positionals, 'remediate');
    const config = loadConfig(io.environment);
    const logger = silentLogger();
    const llm =
      config.llm.provider === 'none' ? undefined : (await import('../../llm')).createLlmFromConfig(config.llm, logger);
    const dataSource = createSecurityDataSource(config.securitySources);
    // A path that exists (or -) is an alert file; anything else is an id in the data source.
    const subject: RemediationSubject =
      target === '-' || existsSync(target)
        ? { kind: 'alert', alert: normalizeAlert(parseJson(await readWholeInput(target, io.stdin))) }
        : await findRemediationSubject(dataSource, target);
    const knowledge = attackKnowledgeFor(io.environment);
    const result = await remediate(subject, {
      attack: attackFactsView(knowledge),
      attackKnowledge: knowledge,
      dataSource,
      llm,
      logger,
    });
    const severity = subject.kind === 'alert' ? subject.alert.severity : subject.incident.severity;
    const output = values.card ? remediationCard(result, { dataSourceName: dataSource.name, severity }) : result;
    io.stdout(`${JSON.stringify(output, null, 2)}\n`);
    return exitCodes.ok;
  });
}
