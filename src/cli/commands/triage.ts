import { parseArgs } from 'node:util';
import { triageCard } from '../../cards/triage-card';
import { loadConfig } from '../../config';
import { defaultTop, maximumTop, triageQueue } from '../../copilot/triage';
import { defaultAttackKnowledge } from '../../intel/attack/facts';
import { silentLogger } from '../../logger';
import { createSecurityDataSource } from '../../sources';
import { severities, type Severity } from '../../sources/model';
import { CommandUsageError, exitCodes, type CliIo } from '../io';
import { runReportingUsageErrors } from './iocs';

export const triageUsage = `Usage: soc-copilot triage [--top N] [--severity high|medium|low] [--card]

The open alerts (new, in progress) and incidents from the configured data source, ranked by a transparent score
(severity, user and device risk, ATT&CK stage, correlated alerts, age, status) with each factor, as JSON.

  --top N       how many alerts (default ${defaultTop}, at most ${maximumTop})
  --severity    only alerts of this severity or above
  --card        print the Adaptive Card instead
`;

export function triageCommand(argv: string[], io: CliIo): Promise<number> {
  return runReportingUsageErrors(io, triageUsage, async () => {
    const { values, positionals } = parseTriageOptions(argv);
    if (values.help) {
      io.stdout(triageUsage);
      return exitCodes.ok;
    }
    if (positionals.length > 0) throw new CommandUsageError(`triage takes no arguments, got "${positionals[0]}"`, true);
    const top = values.top === undefined ? defaultTop : Number(values.top);
    if (!Number.isInteger(top) || top < 1 || top > maximumTop)
      throw new CommandUsageError(`--top takes a whole number from 1 to ${maximumTop}, not "${values.top}"`, true);
    const severity = values.severity?.toLowerCase();
    if (severity !== undefined && !(severities as readonly string[]).includes(severity))
      throw new CommandUsageError(`--severity takes ${severities.join(', ')}, not "${values.severity}"`, true);
    const config = loadConfig(io.environment);
    const logger = silentLogger();
    const llm =
      config.llm.provider === 'none' ? undefined : (await import('../../llm')).createLlmFromConfig(config.llm, logger);
    const dataSource = createSecurityDataSource(config.securitySources);
    const result = await triageQueue(
      { top, minimumSeverity: severity as Severity | undefined },
      { attack: defaultAttackKnowledge(), dataSource, llm, logger },
    );
    io.stdout(
      `${JSON.stringify(values.card ? triageCard(result, { dataSourceName: dataSource.name }) : result, null, 2)}\n`,
    );
    return exitCodes.ok;
  });
}

function parseTriageOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        top: { type: 'string' },
        severity: { type: 'string' },
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
