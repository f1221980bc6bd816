import type { ResolvedConcept } from './resolve';
import type { ConceptActor, ConceptAnswer, ConceptPoint, ConceptTactic, ConceptTechnique } from './schema';

export const noGroundedSource = 'I have no grounded source for that.';

function list(values: readonly string[], maximum = 4): string {
  const shown = values.slice(0, maximum);
  const more = values.length > maximum ? ` and ${values.length - maximum} more` : '';
  if (shown.length <= 1) return `${shown.join('')}${more}`;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}${more}`;
}

function techniqueSentence(technique: ConceptTechnique): string {
  const kind = technique.id.includes('.') ? 'sub-technique' : 'technique';
  const tactics = technique.tactics.length > 0 ? ` of ${list(technique.tactics)}` : '';
  const platforms = technique.platforms.length > 0 ? ` on ${list(technique.platforms, 5)}` : '';
  return `${technique.name} (${technique.id}) is a MITRE ATT&CK ${kind}${tactics}${platforms}.`;
}

function techniquePoints(technique: ConceptTechnique): ConceptPoint[] {
  const ids = [technique.id];
  const points: ConceptPoint[] = [];
  if (technique.description !== undefined)
    points.push({ text: technique.description, source: 'attack', techniqueIds: ids });
  if (technique.dataSources.length > 0) {
    points.push({
      text: `Data sources to detect it: ${list(technique.dataSources, 6)}.`,
      source: 'attack',
      techniqueIds: ids,
    });
  }
  for (const line of technique.detection.slice(0, 2))
    points.push({ text: `Detection: ${line}`, source: 'attack', techniqueIds: ids });
  if (technique.mitigations.length > 0) {
    points.push({
      text: `Mitigations: ${list(
        technique.mitigations.map((mitigation) => `${mitigation.name} (${mitigation.id})`),
        5,
      )}.`,
      source: 'attack',
      techniqueIds: ids,
    });
  }
  return points;
}

function actorSentence(actor: ConceptActor): string {
  const what = actor.kind === 'group' ? 'a threat group' : 'software';
  const aliases = actor.aliases.filter((alias) => alias !== actor.name);
  const known = aliases.length > 0 ? `, also known as ${list(aliases, 4)}` : '';
  return `${actor.name} (${actor.id}) is ${what} MITRE ATT&CK tracks${known}; ATT&CK links it to ${actor.techniqueCount} technique${actor.techniqueCount === 1 ? '' : 's'}.`;
}

function tacticSentence(tactic: ConceptTactic): string {
  const examples = tactic.techniques.slice(0, 4).map((technique) => `${technique.name} (${technique.id})`);
  return `${tactic.name} (${tactic.id}) is a MITRE ATT&CK tactic: an adversary goal, step ${tactic.order} of the Enterprise matrix. ATT&CK lists ${tactic.techniqueCount} techniques and sub-techniques for it${examples.length > 0 ? `, such as ${list(examples)}` : ''}.`;
}

/**
 * The offline answer: only what ATT&CK says about the concept, in sentences built from its facts, and a
 * plain "no grounded source" when it says nothing.
 */
export function answerOffline(
  question: string,
  resolved: ResolvedConcept,
  attackVersion: string,
  detailsConfigured: boolean,
): ConceptAnswer {
  const techniques = dedupe(resolved.sides.flatMap((side) => side.techniques));
  const actors = resolved.sides.flatMap((side) => side.actors);
  const tactics = resolved.sides.flatMap((side) => side.tactics);
  const grounded = techniques.length > 0 || actors.length > 0 || tactics.length > 0;
  const sentences: string[] = [];
  const points: ConceptPoint[] = [];

  if (resolved.unknownIds.length > 0) {
    sentences.push(
      `${list(resolved.unknownIds)} ${resolved.unknownIds.length === 1 ? 'is not a technique' : 'are not techniques'} in MITRE ATT&CK Enterprise v${attackVersion}.`,
    );
  }
  if (!grounded) {
    sentences.push(noGroundedSource);
    if (resolved.closestTechniques.length > 0) {
      sentences.push(
        `The closest ATT&CK techniques by name: ${list(resolved.closestTechniques.map((technique) => `${technique.name} (${technique.id})`))}.`,
      );
    } else {
      sentences.push(
        'It does not match a MITRE ATT&CK technique, group or software name, and no LLM is configured to explain it.',
      );
    }
  } else if (resolved.kind === 'comparison') {
    sentences.push(...compare(resolved));
  } else {
    for (const technique of techniques) sentences.push(techniqueSentence(technique));
    for (const actor of actors) sentences.push(actorSentence(actor));
    for (const tactic of tactics) sentences.push(tacticSentence(tactic));
    const first = techniques[0];
    if (first?.description !== undefined) sentences.push(first.description);
    if (first?.matchedBy === 'keywords') {
      sentences.push(
        `"${resolved.subject}" is not an ATT&CK name; these techniques are what ATT&CK's keywords map it to.`,
      );
    }
  }
  for (const technique of techniques) points.push(...techniquePoints(technique));
  if (grounded && techniques.length > 0 && !detailsConfigured) {
    points.push({
      text: 'Descriptions, detection guidance and mitigations appear when the operator sets ATTACK_STIX_PATH to MITRE’s bundle.',
      source: 'general',
      techniqueIds: [],
    });
  }
  return {
    question,
    subject: resolved.subject,
    kind: resolved.kind,
    grounded,
    answer: sentences.join(' '),
    points,
    techniques,
    actors,
    tactics,
    closestTechniques: resolved.closestTechniques,
    unknownIds: resolved.unknownIds,
    attackVersion,
  };
}

function dedupe(techniques: ConceptTechnique[]): ConceptTechnique[] {
  return techniques.filter((technique, index) => techniques.findIndex((other) => other.id === technique.id) === index);
}

/** A comparison from the facts alone: what each side is, what they share and where they differ. */
function compare(resolved: ResolvedConcept): string[] {
  const [left, right] = resolved.sides;
  const sentences: string[] = [];
  for (const side of [left, right]) {
    const technique = side.techniques[0];
    const actor = side.actors[0];
    const tactic = side.tactics[0];
    if (technique !== undefined) sentences.push(techniqueSentence(technique));
    else if (actor !== undefined) sentences.push(actorSentence(actor));
    else if (tactic !== undefined) sentences.push(tacticSentence(tactic));
    else sentences.push(`"${side.subject}": ${noGroundedSource}`);
  }
  const a = left.techniques[0];
  const b = right.techniques[0];
  if (a === undefined || b === undefined) return sentences;
  if (a.id === b.id) {
    sentences.push('ATT&CK files both under the same technique.');
    return sentences;
  }
  const parentA = a.id.split('.')[0];
  if (parentA === b.id.split('.')[0] && a.id.includes('.') && b.id.includes('.')) {
    sentences.push(
      `Both are sub-techniques of ${parentA} (${a.name.split(':')[0]}): they are two ways of doing the same thing.`,
    );
  }
  const sharedTactics = a.tactics.filter((tactic) => b.tactics.includes(tactic));
  if (sharedTactics.length > 0) sentences.push(`Both serve ${list(sharedTactics)}.`);
  const onlyA = a.dataSources.filter((source) => !b.dataSources.includes(source));
  const onlyB = b.dataSources.filter((source) => !a.dataSources.includes(source));
  if (onlyA.length > 0 || onlyB.length > 0) {
    const parts: string[] = [];
    if (onlyA.length > 0) parts.push(`${a.id} also shows in ${list(onlyA, 3)}`);
    if (onlyB.length > 0) parts.push(`${b.id} also shows in ${list(onlyB, 3)}`);
    sentences.push(`For detection, ${parts.join('; ')}.`);
  }
  return sentences;
}
