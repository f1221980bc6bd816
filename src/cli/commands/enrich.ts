import { parseArgs } from 'node:util';
import { enrichmentCard } from '../../cards/enrichment-card';
import {
  createEnrichmentService,
  parseIndicator,
  type EnrichmentDependencies,
  type EnrichmentResult,
  type EnrichmentSettings,
  type Indicator,
} from '../../intel/enrichment';
import { silentLogger } from '../../logger';
import { MemoryStore } from '../../store';
import { exitCodes, type CliIo } from '../io';

export const enrichUsage = `Usage: soc-copilot enrich [--card] INDICATOR... | -

Looks indicators up at the configured threat-intelligence providers and prints one verdict per indicator
(malicious, suspicious, harmless, unknown) with the evidence behind it, as JSON.

  INDICATOR   an IPv4/IPv6 address, domain, URL, or MD5/SHA-1/SHA-256 hash; defanged input is fine
              (hxxps://evil[.]com, 203.0.113[.]7). - reads indicators from standard input, one per line.
  --card      print the Adaptive Card instead of the result.

Providers: VIRUSTOTAL_API_KEY, ABUSEIPDB_API_KEY, OTX_API_KEY, MDTI_ENABLED (Graph app credentials).
Private, loopback, link-local, CGNAT, multicast and documentation addresses are never sent to a provider.
`;

/**
 * `soc-copilot enrich INDICATOR...`. Exit codes: 0 when the lookups ran (a provider failing is part of the
 * answer), 1 when every lookup that was tried failed, 2 for bad usage or a value that is not an indicator.
 * `dependencies` lets the caller share a persistent store (the cache) or inject fakes in tests.
 */
export async function enrichCommand(
  argv: string[],
  io: CliIo,
  environmentSettings: EnrichmentSettings,
  dependencies: Partial<EnrichmentDependencies> = {},
): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    // parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* codes and a readable message
    // (checked by code: its TypeError comes from Node's own realm, which `instanceof` misses under jest).
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) throw error;
    io.stderr(`soc-copilot: ${(error as Error).message}\n\n${enrichUsage}`);
    return exitCodes.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(enrichUsage);
    return exitCodes.ok;
  }
  const inputs = positionals.length === 1 && positionals[0] === '-' ? await readLines(io.stdin) : positionals;
  if (inputs.length === 0) {
    io.stderr(`soc-copilot: enrich needs at least one INDICATOR\n\n${enrichUsage}`);
    return exitCodes.usage;
  }

  const indicators: Indicator[] = [];
  for (const input of inputs) {
    const indicator = parseIndicator(input);
    if (indicator === undefined) {
      const shown = input.length > 100 ? `${input.slice(0, 99)}…` : input;
      io.stderr(`soc-copilot: "${shown}" is not an IP address, domain, URL or MD5/SHA-1/SHA-256 hash\n`);
      return exitCodes.usage;
    }
    indicators.push(indicator);
  }

  const service = createEnrichmentService(environmentSettings, {
    ...dependencies,
    store: dependencies.store ?? new MemoryStore(),
    logger: dependencies.logger ?? silentLogger(),
  });
  const result = await service.enrich(indicators);
  io.stdout(`${JSON.stringify(values.card ? enrichmentCard(result) : result, null, 2)}\n`);
  return everyLookupFailed(result) ? exitCodes.failed : exitCodes.ok;
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    options: { card: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    allowPositionals: true,
    strict: true,
  });
}

/** True when lookups were tried and not one provider answered: the run failed rather than found nothing. */
function everyLookupFailed(result: EnrichmentResult): boolean {
  const tried = result.indicators.filter((entry) => entry.notLookedUp === undefined);
  return tried.length > 0 && tried.every((entry) => entry.evidence.length === 0 && entry.failures.length > 0);
}

async function readLines(stdin: NodeJS.ReadableStream): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
