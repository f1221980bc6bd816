import { enrichmentCard } from '../../cards';
import { CopilotError } from '../../errors';
import { enrichableIndicators } from '../../copilot/intel';
import { extractIocs } from '../../intel/iocs';
import type { IocReport } from '../../intel/iocs/types';
import { replyWithWork } from './reply-with-work';
import type { MessageHandler, MessageTurn } from './types';

const maximumTechniques = 8;
const enrichableTypes = ['ipv4', 'ipv6', 'url', 'domain', 'sha256', 'sha1', 'md5'] as const;

/**
 * True when a message is mostly indicators (pasted from a report or a ticket): then it is answered with
 * the threat-intel analysis even without a command in front.
 */
export function looksLikePastedIndicators(text: string): boolean {
  const report = extractIocs(text);
  const { indicators } = enrichableIndicators(report);
  if (indicators.length === 0) return false;
  const indicatorCharacters = enrichableTypes
    .flatMap((type) => report[type])
    .flatMap((ioc) => ioc.occurrences)
    .reduce((total, occurrence) => total + (occurrence.end - occurrence.start), 0);
  const meaningful = text.replace(/[\s,;|]+/g, '').length;
  return indicatorCharacters >= meaningful * 0.6;
}

/**
 * "check 8.8.8[.]8 and evil[.]com": the quick verdict list, one line of verdict per indicator plus the ATT&CK
 * techniques the text shows. "analyze …" and pasted indicators get the full threat-intel analysis (intel.ts).
 */
export const checkIndicators: MessageHandler = async (turn) => {
  const text = turn.groups.text ?? turn.text;
  const report = extractIocs(text);
  const { indicators, omitted } = enrichableIndicators(report);
  if (indicators.length === 0) {
    throw new CopilotError('bad_input', 'no indicators in the message', {
      userMessage:
        'I found no IP address, domain, URL or file hash to look up. Defanged forms like 203.0.113[.]7 and hxxps://evil[.]example work.',
    });
  }
  await replyWithWork(turn, {
    name: `enrich ${indicators.length} indicators`,
    slow: turn.services.enrichment.providerNames.length > 0,
    working: {
      activity: 'Checking threat intelligence…',
      subject: `${indicators.length} indicator${indicators.length === 1 ? '' : 's'}`,
    },
    build: async () => {
      const result = await turn.services.enrichment.enrich(indicators);
      const card = enrichmentCard(result, { techniques: techniquesIn(text, report, turn) });
      if (omitted > 0) turn.logger.info({ omitted }, 'indicators over the per-message limit were not looked up');
      return card;
    },
  });
};

function techniquesIn(text: string, report: IocReport, turn: Pick<MessageTurn, 'services'>) {
  const attack = turn.services.attack;
  const ids = [
    ...report.attackTechnique.map((ioc) => ioc.value),
    ...attack.techniquesForText(text).map((candidate) => candidate.id),
  ];
  const seen = new Set<string>();
  return ids
    .map((id) => attack.technique(id))
    .filter(
      (facts): facts is NonNullable<typeof facts> =>
        facts !== undefined && !seen.has(facts.id) && seen.add(facts.id) !== undefined,
    )
    .slice(0, maximumTechniques)
    .map((facts) => ({ id: facts.id, name: facts.fullName, tactics: facts.tactics }));
}
