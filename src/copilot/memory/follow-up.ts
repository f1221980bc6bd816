import type { RememberedIndicator, ThreadSubject } from './thread-memory';

/**
 * Follow-ups that lean on the thread's subject ("investigate it", "now the report for executives", "run it",
 * "how do I contain this?", "hunt for the second IP") rewritten into the explicit command the routing table
 * already knows. Pure: the same text and subject always give the same command, so the rewrite is testable and
 * the analyst sees the same answer as if they had typed the ids. When the thread has no such subject the
 * answer is a clarification request, never a guess.
 */
export type FollowUp =
  | { kind: 'command'; text: string }
  | { kind: 'clarify'; need: 'alert' | 'incident' | 'alertOrIncident' | 'query' | 'indicator'; asked: string };

const pronoun = String.raw`(?:it|this|that|this one|that one|the same|the (?:alert|incident))`;
const end = String.raw`\s*[.?!]*$`;
const lead = String.raw`^(?:(?:now|and|ok|okay|then|please|great|thanks)[\s,]+)*`;

const patterns = {
  investigate: new RegExp(`${lead}investigate(?:\\s+${pronoun})?${end}`, 'i'),
  explain: new RegExp(`${lead}explain\\s+${pronoun}${end}`, 'i'),
  analyze: new RegExp(`${lead}analy[sz]e\\s+${pronoun}${end}`, 'i'),
  report: new RegExp(
    `${lead}(?:(?:write|give me|get me|make|build|create)\\s+)?(?:(?:the|a|an)\\s+)?(?:incident\\s+)?report(?:\\s+(?:on|for|about)\\s+${pronoun})?(?:\\s+(?:for|to)\\s+(?:the\\s+)?(?<audience>executives?|execs?|leadership|management|the board|board|technical(?: team)?|engineers|regulators?))?${end}`,
    'i',
  ),
  remediate: new RegExp(
    `${lead}(?:how\\s+(?:do|can|should)\\s+(?:i|we)\\s+(?:contain|remediate|fix|respond to|stop|clean up)\\s+${pronoun}|(?:remediation|response steps|containment)(?:\\s+(?:for|of)\\s+${pronoun})?|(?:contain|remediate)\\s+${pronoun})${end}`,
    'i',
  ),
  run: new RegExp(`${lead}run(?:\\s+(?:it|this|that|again|it again|the query|this query|that query))?${end}`, 'i'),
  huntIndicator: new RegExp(
    `${lead}hunt(?:\\s+for)?\\s+(?:the\\s+)?(?<ordinal>first|second|third|fourth|fifth|last|\\d{1,2}(?:st|nd|rd|th)?)\\s+(?<kind>ip(?:\\s+address)?|address|domain|url|link|hash|file hash|indicator|ioc)(?:\\s+(?:in|on)\\s+(?<platform>defender|sentinel))?${end}`,
    'i',
  ),
};

const ordinals: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5 };

const kindTypes: Record<string, readonly string[]> = {
  ip: ['ipv4', 'ipv6'],
  address: ['ipv4', 'ipv6'],
  domain: ['domain'],
  url: ['url'],
  link: ['url'],
  hash: ['md5', 'sha1', 'sha256'],
};

/** Whether the text is a follow-up at all: only then is the thread's subject worth reading from the store. */
export function isFollowUp(text: string): boolean {
  const asked = text.trim();
  return Object.values(patterns).some((pattern) => pattern.test(asked));
}

export function resolveFollowUp(text: string, subject: ThreadSubject | undefined): FollowUp | undefined {
  const asked = text.trim();
  if (patterns.investigate.test(asked)) {
    return subject?.incidentId !== undefined
      ? { kind: 'command', text: `investigate incident ${subject.incidentId}` }
      : { kind: 'clarify', need: 'incident', asked };
  }
  if (patterns.explain.test(asked)) {
    return subject?.alertId !== undefined
      ? { kind: 'command', text: `explain alert ${subject.alertId}` }
      : { kind: 'clarify', need: 'alert', asked };
  }
  if (patterns.analyze.test(asked)) {
    return subject?.alertId !== undefined
      ? { kind: 'command', text: `analyze alert ${subject.alertId}` }
      : { kind: 'clarify', need: 'alert', asked };
  }
  const report = patterns.report.exec(asked);
  if (report) {
    if (subject?.incidentId === undefined) return { kind: 'clarify', need: 'incident', asked };
    return {
      kind: 'command',
      text: `report incident ${subject.incidentId} for ${audienceOf(report.groups?.audience)}`,
    };
  }
  if (patterns.remediate.test(asked)) {
    if (subject?.alertId !== undefined) return { kind: 'command', text: `remediation for alert ${subject.alertId}` };
    if (subject?.incidentId !== undefined)
      return { kind: 'command', text: `remediation for incident ${subject.incidentId}` };
    return { kind: 'clarify', need: 'alertOrIncident', asked };
  }
  if (patterns.run.test(asked)) {
    return subject?.query !== undefined
      ? { kind: 'command', text: `run in ${subject.query.platform}: ${subject.query.query}` }
      : { kind: 'clarify', need: 'query', asked };
  }
  const hunt = patterns.huntIndicator.exec(asked);
  if (hunt?.groups) {
    const indicator = pickIndicator(subject?.indicators ?? [], hunt.groups.ordinal, hunt.groups.kind);
    if (indicator === undefined) return { kind: 'clarify', need: 'indicator', asked };
    const platform = hunt.groups.platform ? ` in ${hunt.groups.platform.toLowerCase()}` : '';
    return { kind: 'command', text: `hunt for ${indicator.value}${platform}` };
  }
  return undefined;
}

/** Executives, the technical team or the regulator: the report's audiences; unspecified means technical. */
function audienceOf(said: string | undefined): string {
  const word = (said ?? '').toLowerCase();
  if (/exec|leadership|management|board/.test(word)) return 'executives';
  if (/regulator/.test(word)) return 'the regulator';
  return 'technical';
}

function pickIndicator(
  indicators: readonly RememberedIndicator[],
  ordinalWord: string,
  kindWord: string,
): RememberedIndicator | undefined {
  const kind = kindWord
    .toLowerCase()
    .replace(/\s+address$/, '')
    .replace(/^file\s+/, '');
  const types = kindTypes[kind];
  const candidates =
    types === undefined ? indicators : indicators.filter((indicator) => types.includes(indicator.type));
  const ordinal = ordinalWord.toLowerCase();
  if (ordinal === 'last') return candidates.at(-1);
  const position = ordinals[ordinal] ?? Number.parseInt(ordinal, 10);
  return Number.isInteger(position) && position >= 1 ? candidates[position - 1] : undefined;
}
