import { parseArgs } from 'node:util';
import { AuditTrail, csvHeader, parseSince, toCsvLine, toJsonLine } from '../../audit';
import { loadConfig } from '../../config';
import type { Store } from '../../store';
import { createStore } from '../../store';
import { CommandUsageError, exitCodes, type CliIo } from '../io';
import { runReportingUsageErrors } from './iocs';

export const auditUsage = `Usage: soc-copilot audit export [--since 7d] [--until TIME] [--format jsonl|csv]

Prints the audit trail (every copilot request: who, where, what, engine, tokens, outcome) from the configured
store (STORE, STORE_DIRECTORY or the Azure Blob variables), oldest first. Secrets were removed when recorded.

  --since   how far back: 7d, 24h, 30m or an ISO date (default 7d)
  --until   an ISO date (default now)
  --format  jsonl (one JSON record per line, the default) or csv (with a header row)
`;

/** `soc-copilot audit export`. Exit codes: 0 done, 1 the store failed, 2 bad usage. */
export function auditCommand(argv: string[], io: CliIo, openStore?: () => Promise<Store>): Promise<number> {
  return runReportingUsageErrors(io, auditUsage, async () => {
    const [action, ...rest] = argv;
    if (action === '--help' || action === '-h' || action === 'help') {
      io.stdout(auditUsage);
      return exitCodes.ok;
    }
    if (action !== 'export') throw new CommandUsageError('audit: the only action is "export"', true);
    let values: { since?: string; until?: string; format?: string; help?: boolean };
    try {
      ({ values } = parseArgs({
        args: rest,
        options: {
          since: { type: 'string', default: '7d' },
          until: { type: 'string' },
          format: { type: 'string', default: 'jsonl' },
          help: { type: 'boolean', short: 'h', default: false },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new CommandUsageError((error as Error).message, true);
    }
    if (values.help) {
      io.stdout(auditUsage);
      return exitCodes.ok;
    }
    const now = new Date();
    const since = parseSince(values.since ?? '7d', now);
    if (since === undefined) throw new CommandUsageError(`--since "${values.since}" is not 7d, 24h, 30m or a date`);
    const until = values.until === undefined ? now : parseSince(values.until, now);
    if (until === undefined) throw new CommandUsageError(`--until "${values.until}" is not a date`);
    if (values.format !== 'jsonl' && values.format !== 'csv') {
      throw new CommandUsageError(`--format must be jsonl or csv, not "${values.format}"`);
    }
    const store = await (openStore ?? (async () => createStore(loadConfig(io.environment).store)))();
    try {
      const trail = new AuditTrail(store, () => now);
      if (values.format === 'csv') io.stdout(`${csvHeader()}\n`);
      for await (const record of trail.between(since, until)) {
        io.stdout(`${values.format === 'csv' ? toCsvLine(record) : toJsonLine(record)}\n`);
      }
    } finally {
      await store.close();
    }
    return exitCodes.ok;
  });
}
