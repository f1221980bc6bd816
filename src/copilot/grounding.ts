import type { AttackFacts } from './knowledge';

/**
 * Checks an LLM answer against what it was given. Technique IDs must exist in ATT&CK (names are
 * replaced by MITRE's); entities must appear in the input. What fails is dropped and reported.
 */
export function groundTechniques(
  techniques: Array<{ id: string; name: string; tactics: string[] }>,
  attack: AttackFacts,
): { kept: Array<{ id: string; name: string; tactics: string[] }>; dropped: string[] } {
  const kept: Array<{ id: string; name: string; tactics: string[] }> = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  for (const technique of techniques) {
    const facts = attack.technique(technique.id);
    if (!facts) {
      dropped.push(technique.id);
      continue;
    }
    if (seen.has(facts.id)) continue;
    seen.add(facts.id);
    kept.push({ id: facts.id, name: facts.fullName, tactics: facts.tactics });
  }
  return { kept, dropped };
}

/** Keeps only values that occur (case-insensitively) in the input text the model was given. */
export function groundValues<T extends { value: string }>(items: T[], inputText: string): { kept: T[]; dropped: T[] } {
  const haystack = inputText.toLowerCase();
  const kept: T[] = [];
  const dropped: T[] = [];
  for (const item of items) {
    const needle = item.value.trim().toLowerCase();
    if (needle.length > 0 && haystack.includes(needle)) kept.push(item);
    else dropped.push(item);
  }
  return { kept, dropped };
}
