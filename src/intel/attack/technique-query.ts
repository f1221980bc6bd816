import { attackKnowledge, type AttackKnowledge } from './knowledge';
import { findTechniqueIds, lookupKey } from './technique-id';
import type { TechniqueInfo } from './types';

/** A chat message that asks what an ATT&CK technique is, and the techniques it names. */
export interface TechniqueQuery {
  /** how the message named the technique: by ID (T1566.001) or by name (kerberoasting) */
  by: 'id' | 'name';
  /** the IDs as written (canonical) or the name searched for */
  asked: string;
  /** known techniques, in the order asked (revoked IDs resolved, with `resolvedFrom`); best match first for names */
  techniques: TechniqueInfo[];
  /** IDs in the message that are not ATT&CK techniques, so the answer can say so rather than invent one */
  unknownIds: string[];
}

// A question about a technique starts with one of these; "explain" alone also fronts "explain alert …", which the
// subject rules below keep out.
const leadIn =
  /^(?:(?:what|who)(?:\s+is|['’]s|\s+are)|explain|describe|define|tell\s+me\s+about|show(?:\s+me)?|look\s*up|lookup)\s+/i;
const techniqueWord = /^(?:the\s+)?(?:(?:mitre\s+)?att&?ck\s+|mitre\s+)?(?:technique|sub-?technique)\s+/i;
const trailingWords = /\s+(?:technique|sub-?technique|attack|in\s+(?:mitre\s+)?att&?ck)$/i;
const subjectOfIds = /^(?:T\d{4}(?:[./_-]\d{3})?)(?:\s*(?:,|and|&|\/|\s)\s*T\d{4}(?:[./_-]\d{3})?)*$/i;
// Subjects that are another capability's input ("explain alert 42", "what is 10.0.0.1", "what is evil.com"), never a
// technique name.
const otherSubjects = /^(?:alerts?|incidents?|iocs?|indicators?|kql|query|this|that|it|the\s+(?:alert|incident))\b/i;
const indicatorLike = /\d+\.\d+\.\d+|:\/\/|@|\b[0-9a-f]{32,}\b|^[\w-]+(?:\.[\w-]+)+$/i;
const maximumNameWords = 6;
const maximumNameLength = 60;
const nameResults = 3;
const minimumNameShare = 0.4;

function subjectOf(text: string): { subject: string; hadLeadIn: boolean } {
  const cleaned = text
    .trim()
    .replace(/[?!.]+$/, '')
    .trim();
  const withoutLeadIn = cleaned.replace(leadIn, '');
  const hadLeadIn = withoutLeadIn !== cleaned;
  const subject = withoutLeadIn
    .replace(techniqueWord, '')
    .replace(/^(?:the|an?)\s+/i, '')
    .replace(trailingWords, '')
    .replace(/^["'“”‘’`]+|["'“”‘’`]+$/g, '')
    .trim();
  return { subject, hadLeadIn: hadLeadIn || subject !== withoutLeadIn.trim() };
}

/**
 * Recognises "what is T1566.001", "explain T1558.003", "T1059", "T1059 and T1566" and "what is kerberoasting" (a
 * name or part of one, through the compact facts' search). Returns undefined for anything else, including names
 * that match no technique, so the message can go to other routes. An unknown ID is still a technique question: it
 * comes back in `unknownIds` for an honest "not a technique I know" answer.
 */
export function describeTechniqueQuery(
  text: string,
  knowledge: AttackKnowledge = attackKnowledge(),
): TechniqueQuery | undefined {
  const { subject, hadLeadIn } = subjectOf(text);
  if (subject === '') return undefined;
  if (subjectOfIds.test(subject)) {
    const ids = findTechniqueIds(subject);
    const techniques: TechniqueInfo[] = [];
    const unknownIds: string[] = [];
    for (const id of ids) {
      const technique = knowledge.technique(id);
      if (technique === undefined) unknownIds.push(id);
      else if (!techniques.some((known) => known.id === technique.id)) techniques.push(technique);
    }
    return { by: 'id', asked: ids.join(', '), techniques, unknownIds };
  }
  // A bare word is ordinary chat ("phishing?" in a conversation); only a question names a technique by name.
  if (!hadLeadIn || otherSubjects.test(subject) || indicatorLike.test(subject)) return undefined;
  if (subject.length > maximumNameLength || subject.split(/\s+/).length > maximumNameWords) return undefined;
  const techniques = knowledge
    .search(subject, { limit: nameResults * 2 })
    .filter((technique) => namesTechnique(subject, technique))
    .slice(0, nameResults);
  return techniques.length === 0 ? undefined : { by: 'name', asked: subject, techniques, unknownIds: [] };
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/**
 * The search is built for an analyst who knows they are looking up a technique, so a fragment is enough there
 * ("help" finds Netsh Helper DLL). In chat the words must name the technique: the whole name, a typo of it, or whole
 * words of it that make up a good part of the name ("lsass" for LSASS Memory, but not "time" for Time Providers).
 */
function namesTechnique(subject: string, technique: TechniqueInfo): boolean {
  const query = lookupKey(subject);
  const name = lookupKey(technique.name);
  if (query === name || query === lookupKey(technique.fullName)) return true;
  const nearInLength = Math.abs(query.length - name.length) <= Math.max(1, Math.floor(query.length / 6));
  if (nearInLength) return true;
  const nameWords = new Set(words(technique.fullName));
  const wholeWords = words(subject).every((word) => nameWords.has(word));
  return wholeWords && query.length >= minimumNameShare * name.length;
}
