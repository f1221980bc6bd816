import { parseArgs } from 'node:util';
import { techniqueCard } from '../../cards/technique-card';
import { isCopilotError } from '../../errors';
import {
  attackKnowledgeFor,
  normalizeTechniqueId,
  type TechniqueDetails,
  type TechniqueInfo,
} from '../../intel/attack';
import { exitCodes, type CliIo } from '../io';

export const attackUsage = `Usage: soc-copilot attack [--card] TECHNIQUE

Prints a MITRE ATT&CK Enterprise technique as JSON: name, tactics, platforms, parent and sub-techniques, data
components. With ATTACK_STIX_PATH set to MITRE's enterprise-attack.json (npm run attack:update downloads it) the
answer adds the description, detection guidance and mitigations.

  TECHNIQUE   an ID (T1059.001, t1059/001) or a name to search for ("PowerShell", kerberoasting)
  --card      print the Adaptive Card instead.
`;

const searchLimit = 5;

/**
 * `soc-copilot attack T1059.001` or `soc-copilot attack PowerShell`. Exit codes: 0 found, 1 no such technique,
 * 2 bad usage or an ATTACK_STIX_PATH that does not hold MITRE's bundle.
 */
export async function attackCommand(argv: string[], io: CliIo, environment: NodeJS.ProcessEnv): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    // parseArgs reports unknown options and misused values with ERR_PARSE_ARGS_* codes and a readable message. The
    // code is checked rather than `instanceof TypeError`, which fails when the error comes from another realm (jest).
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw error;
    io.stderr(`soc-copilot: ${(error as Error).message}\n\n${attackUsage}`);
    return exitCodes.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(attackUsage);
    return exitCodes.ok;
  }
  const query = positionals.join(' ').trim();
  if (query === '') {
    io.stderr(`soc-copilot: attack needs a technique ID or name\n\n${attackUsage}`);
    return exitCodes.usage;
  }

  const knowledge = attackKnowledgeFor(environment);
  const byId = normalizeTechniqueId(query);
  const matches: TechniqueInfo[] =
    byId === undefined
      ? knowledge.search(query, { limit: searchLimit })
      : [knowledge.technique(byId)].filter(isDefined);
  const technique = matches[0];
  if (technique === undefined) {
    const shown = query.length > 100 ? `${query.slice(0, 99)}…` : query;
    io.stderr(`soc-copilot: unknown technique "${shown}" (not in MITRE ATT&CK Enterprise v${knowledge.version})\n`);
    return exitCodes.failed;
  }

  let details: TechniqueDetails | undefined;
  try {
    details = await knowledge.details(technique.id);
  } catch (error) {
    if (!isCopilotError(error) || error.code !== 'config_invalid') throw error;
    io.stderr(`soc-copilot: ${error.message}\n`);
    return exitCodes.usage;
  }
  const subTechniques = knowledge.subTechniques(technique.id).map(({ id, name }) => ({ id, name }));
  const output = values.card
    ? techniqueCard({ query, technique, subTechniques, details, attackVersion: knowledge.version })
    : {
        attackVersion: knowledge.version,
        technique,
        subTechniques,
        ...(details === undefined ? {} : { details }),
        ...(matches.length > 1 ? { otherMatches: matches.slice(1).map(({ id, fullName }) => ({ id, fullName })) } : {}),
      };
  io.stdout(`${JSON.stringify(output, null, 2)}\n`);
  return exitCodes.ok;
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    options: { card: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    allowPositionals: true,
    strict: true,
  });
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
