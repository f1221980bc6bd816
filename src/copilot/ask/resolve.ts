import {
  describeTechniqueQuery,
  firstParagraph,
  plainAttackText,
  type AttackKnowledge,
  type TechniqueInfo,
} from '../../intel/attack';
import type { ConceptActor, ConceptTactic, ConceptTechnique } from './schema';

/** What a question is about and what ATT&CK knows of it. */
export interface ResolvedConcept {
  subject: string;
  kind: 'technique' | 'comparison' | 'actor' | 'tactic' | 'concept';
  /** One entry per subject compared ("pass-the-hash", "pass-the-ticket"), or the one subject. */
  sides: Array<{ subject: string; techniques: ConceptTechnique[]; actors: ConceptActor[]; tactics: ConceptTactic[] }>;
  closestTechniques: Array<{ id: string; name: string }>;
  unknownIds: string[];
}

const leadIn =
  /^(?:(?:what|who)(?:\s+(?:is|are|was|were|does|do)|['’]s)|explain(?:\s+to\s+me)?|describe|define|tell\s+me\s+about|look\s*up|how\s+(?:do|does|can|would)\s+(?:attackers?|adversaries|adversary|threat\s+actors?|hackers?)\s+(?:use|abuse|perform|do|run)|how\s+(?:does|do|is|are|can|would|could|should)(?:\s+(?:i|we|you|one))?(?:\s+(?:detect|spot|find|stop|prevent|mitigate))?|why\s+(?:is|are|do|does)|can\s+you\s+explain)\s+/i;
const trailing =
  /\s+(?:work|works|mean|means|do|does|happen|happens|used\s+for|all\s+about|in\s+(?:mitre\s+)?att&?ck|attacks?|technique|sub-?technique)$/i;
const comparisons = [
  /^(?:(?:what|what['’]s|what\s+is)\s+)?(?:the\s+)?differences?\s+between\s+(?<left>.+?)\s+(?:and|vs\.?|versus)\s+(?<right>.+)$/i,
  /^(?:explain\s+the\s+difference\s+between|compare)\s+(?<left>.+?)\s+(?:and|with|to|vs\.?|versus)\s+(?<right>.+)$/i,
  /^(?<left>[^,]{2,60}?)\s+(?:vs\.?|versus)\s+(?<right>[^,]{2,60})$/i,
];

function clean(text: string): string {
  return text
    .trim()
    .replace(/[?!.]+$/, '')
    .trim();
}

/** "What is a golden ticket?" → "golden ticket"; "how does kerberoasting work" → "kerberoasting". */
export function subjectOf(question: string): string {
  let subject = clean(question).replace(leadIn, '');
  subject = subject.replace(/^(?:the|an?)\s+/i, '');
  for (let pass = 0; pass < 2; pass += 1) subject = subject.replace(trailing, '');
  return subject.replace(/^["'“”‘’`]+|["'“”‘’`]+$/g, '').trim();
}

/** The two subjects of "difference between X and Y", "compare X and Y", "X vs Y"; undefined otherwise. */
export function comparedSubjects(question: string): [string, string] | undefined {
  const cleaned = clean(question);
  for (const pattern of comparisons) {
    const match = pattern.exec(cleaned);
    if (match?.groups) return [subjectOf(match.groups.left), subjectOf(match.groups.right)];
  }
  return undefined;
}

const maximumTechniquesPerSide = 3;

/**
 * Finds what ATT&CK says about a question: the techniques it names (by ID, by name, then by the keyword
 * rules), or the group or software it names. Nothing that ATT&CK does not have is returned; when nothing
 * matches, the techniques whose names come closest are offered instead.
 */
export async function resolveConcept(question: string, knowledge: AttackKnowledge): Promise<ResolvedConcept> {
  const compared = comparedSubjects(question);
  const subjects = compared ?? [subjectOf(question)];
  const unknownIds: string[] = [];
  const sides: ResolvedConcept['sides'] = [];
  for (const subject of subjects) {
    const side = await resolveSubject(subject, knowledge, unknownIds);
    sides.push({ subject, ...side });
  }
  const matched = sides.some((side) => side.techniques.length > 0 || side.actors.length > 0 || side.tactics.length > 0);
  const closestTechniques = matched ? [] : closestByName(subjects, knowledge);
  let kind: ResolvedConcept['kind'] = 'concept';
  if (compared !== undefined) kind = 'comparison';
  else if (sides[0]?.techniques.length) kind = 'technique';
  else if (sides[0]?.actors.length) kind = 'actor';
  else if (sides[0]?.tactics.length) kind = 'tactic';
  return {
    subject: compared === undefined ? subjects[0] : `${subjects[0]} vs ${subjects[1]}`,
    kind,
    sides,
    closestTechniques,
    unknownIds,
  };
}

const commonWords = new Set(
  'the and for with from into what how does work attack attacks attacker attackers technique use used using about this that'.split(
    ' ',
  ),
);
const maximumClosest = 3;

/**
 * Techniques whose names come closest: by the whole subject, then word by word ("DLL sideloading" finds the DLL
 * techniques although ATT&CK spells no "sideloading").
 */
function closestByName(subjects: string[], knowledge: AttackKnowledge): Array<{ id: string; name: string }> {
  const found = new Map<string, string>();
  const add = (query: string): void => {
    for (const technique of knowledge.search(query, { limit: maximumClosest })) {
      if (found.size < maximumClosest && !found.has(technique.id)) found.set(technique.id, technique.fullName);
    }
  };
  for (const subject of subjects) if (subject.length >= 3) add(subject);
  if (found.size === 0) {
    const words = subjects
      .flatMap((subject) => subject.split(/[^\p{L}\p{N}]+/u))
      .filter((word) => word.length >= 3 && !commonWords.has(word.toLowerCase()));
    for (const word of words.slice(0, 6)) add(word);
  }
  return [...found].map(([id, name]) => ({ id, name }));
}

async function resolveSubject(
  subject: string,
  knowledge: AttackKnowledge,
  unknownIds: string[],
): Promise<{ techniques: ConceptTechnique[]; actors: ConceptActor[]; tactics: ConceptTactic[] }> {
  const none = { techniques: [], actors: [], tactics: [] };
  if (subject === '') return none;
  // A tactic's exact name or ID first: "persistence" is the tactic, not "Clear Persistence".
  const tactic = tacticFor(subject, knowledge);
  if (tactic !== undefined) return { ...none, tactics: [tactic] };
  const query = describeTechniqueQuery(`what is ${subject}`, knowledge);
  if (query !== undefined) {
    unknownIds.push(...query.unknownIds);
    const techniques = await Promise.all(
      query.techniques
        .slice(0, maximumTechniquesPerSide)
        .map((technique) => conceptTechnique(technique, query.by, knowledge)),
    );
    if (techniques.length > 0 || query.unknownIds.length > 0) return { ...none, techniques };
  }
  const actor = actorFor(subject, knowledge);
  if (actor !== undefined) return { ...none, actors: [actor] };
  const mapped = knowledge
    .techniquesForText(subject, { minimumConfidence: 'medium', limit: 2 })
    .map((match) => match.technique);
  const techniques = await Promise.all(mapped.map((technique) => conceptTechnique(technique, 'keywords', knowledge)));
  return { ...none, techniques };
}

const maximumTacticTechniques = 12;

function tacticFor(subject: string, knowledge: AttackKnowledge): ConceptTactic | undefined {
  const tactic = knowledge.tactic(subject);
  if (tactic === undefined) return undefined;
  const techniques = knowledge
    .activeTechniques()
    .filter((technique) => technique.tactics.some((candidate) => candidate.id === tactic.id));
  return {
    id: tactic.id,
    name: tactic.name,
    order: tactic.order,
    techniqueCount: techniques.length,
    techniques: techniques
      .filter((technique) => !technique.isSubtechnique)
      .sort((left, right) => (left.id < right.id ? -1 : 1))
      .slice(0, maximumTacticTechniques)
      .map((technique) => ({ id: technique.id, name: technique.fullName })),
  };
}

function actorFor(subject: string, knowledge: AttackKnowledge): ConceptActor | undefined {
  if (subject.replace(/[^\p{L}\p{N}]/gu, '').length < 3) return undefined;
  const group = knowledge.group(subject);
  if (group !== undefined) {
    return {
      kind: 'group',
      id: group.id,
      name: group.name,
      aliases: group.aliases.slice(0, 8),
      techniqueCount: group.techniqueIds.length,
    };
  }
  const software = knowledge.software(subject);
  if (software !== undefined) {
    return {
      kind: 'software',
      id: software.id,
      name: software.name,
      aliases: software.aliases.filter((alias) => alias !== software.name).slice(0, 8),
      techniqueCount: software.techniqueIds.length,
    };
  }
  return undefined;
}

const maximumDetectionLines = 4;
const maximumMitigations = 8;

async function conceptTechnique(
  technique: TechniqueInfo,
  matchedBy: ConceptTechnique['matchedBy'],
  knowledge: AttackKnowledge,
): Promise<ConceptTechnique> {
  const details = knowledge.detailsConfigured ? await knowledge.details(technique.id) : undefined;
  const concept: ConceptTechnique = {
    id: technique.id,
    name: technique.fullName,
    tactics: technique.tactics.map((tactic) => tactic.name),
    platforms: [...technique.platforms],
    matchedBy,
    detection: [],
    mitigations: [],
    dataSources: technique.dataComponents.map((component) => component.name),
  };
  if (details === undefined) return concept;
  const description = firstParagraph(plainAttackText(details.description)).trim();
  if (description !== '') concept.description = description;
  concept.detection = details.detection
    .flatMap((strategy) =>
      strategy.analytics.length > 0
        ? strategy.analytics.map((analytic) => {
            const platforms = analytic.platforms.length > 0 ? `${analytic.platforms.join(', ')}: ` : '';
            return `${platforms}${firstParagraph(plainAttackText(analytic.description))}`;
          })
        : [plainAttackText(strategy.description ?? strategy.name)],
    )
    .filter((line) => line.trim() !== '')
    .slice(0, maximumDetectionLines);
  concept.mitigations = details.mitigations
    .slice(0, maximumMitigations)
    .map((mitigation) => ({ id: mitigation.id, name: mitigation.name }));
  if (details.dataComponents.length > 0)
    concept.dataSources = details.dataComponents.map((component) => component.name);
  return concept;
}
