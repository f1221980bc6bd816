import { alertAnalysisCard } from '../../cards/analysis-card';
import { loadConfig } from '../../config';
import { analyzeAlert } from '../../copilot/analyze-alert';
import { defaultAttackKnowledge } from '../../intel/attack/facts';
import { silentLogger } from '../../logger';
import { createSecurityDataSource } from '../../sources';
import { normalizeAlert } from '../../sources/normalize';
import { CommandUsageError, exitCodes, readWholeInput, type CliIo } from '../io';
import { parseCommandOptions, runReportingUsageErrors, singleSource } from './iocs';

export const analyzeAlertUsage = `Usage: soc-copilot analyze-alert [--card] FILE|-

A deep analysis of one alert (Graph Security alerts_v2, Sentinel SecurityAlert row, Defender for Endpoint API
alert) as JSON: ATT&CK techniques with their evidence, kill-chain stage, a verdict per entity, related alerts
from the configured data source, severity and false-positive assessment, next steps.

  --card   print the Adaptive Card instead
`;

/** `soc-copilot analyze-alert FILE|-`. Exit codes: 0 done, 1 the work failed, 2 bad usage or input. */
export function analyzeAlertCommand(argv: string[], io: CliIo): Promise<number> {
  return runReportingUsageErrors(io, analyzeAlertUsage, async () => {
    const { values, positionals } = parseCommandOptions(argv, { card: { type: 'boolean', default: false } });
    if (values.help) {
      io.stdout(analyzeAlertUsage);
      return exitCodes.ok;
    }
    const source = singleSource(positionals, 'analyze-alert');
    const config = loadConfig(io.environment);
    const logger = silentLogger();
    const llm =
      config.llm.provider === 'none' ? undefined : (await import('../../llm')).createLlmFromConfig(config.llm, logger);
    const alert = normalizeAlert(parseJson(await readWholeInput(source, io.stdin)));
    const dataSource = createSecurityDataSource(config.securitySources);
    const result = await analyzeAlert(alert, { attack: defaultAttackKnowledge(), dataSource, llm, logger });
    const output = values.card ? alertAnalysisCard(result, alert, { dataSourceName: dataSource.name }) : result;
    io.stdout(`${JSON.stringify(output, null, 2)}\n`);
    return exitCodes.ok;
  });
}

export function parseJson(text: string): unknown {
  try {
    // Exports from PowerShell and Windows editors often start with a byte order mark.
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    if (error instanceof SyntaxError) throw new CommandUsageError(`the input is not valid JSON (${error.message})`);
    throw error;
  }
}
