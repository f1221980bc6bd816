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

/** Characters that continue an identifier: a match glued to one of these is part of a longer value. */
const identifierCharacter = /[\p{L}\p{N}_@-]/u;

/**
 * True when `needle` occurs in `haystack` as a whole value, not as a piece of a longer one: "10.0.0.1" is
 * not in "10.0.0.15", "evil.example" is not in "cdn.evil.example", but "alice@contoso.com" is in
 * "signed in as alice@contoso.com." and "203.0.113.7" is in "203.0.113.7:443". Both are lower-cased.
 */
function occursAsWholeValue(haystack: string, needle: string): boolean {
  const gluedBefore = (index: number): boolean => {
    if (!identifierCharacter.test(needle.charAt(0))) return false;
    const previous = haystack.charAt(index - 1);
    if (identifierCharacter.test(previous)) return true;
    // A dot joins labels ("cdn.evil.example") unless nothing identifier-like comes before it.
    return previous === '.' && identifierCharacter.test(haystack.charAt(index - 2));
  };
  const gluedAfter = (end: number): boolean => {
    if (!identifierCharacter.test(needle.charAt(needle.length - 1))) return false;
    const next = haystack.charAt(end);
    if (identifierCharacter.test(next)) return true;
    // A dot that ends a sentence is not part of the value; one followed by more of it is ("evil.example.com").
    return next === '.' && identifierCharacter.test(haystack.charAt(end + 1));
  };
  for (let index = haystack.indexOf(needle); index !== -1; index = haystack.indexOf(needle, index + 1)) {
    if (!gluedBefore(index) && !gluedAfter(index + needle.length)) return true;
  }
  return false;
}

/**
 * Keeps only values that occur (case-insensitively, as a whole value rather than a piece of a longer
 * one) in the input text. Pass the data itself, not the prompt around it: the instructions and reference
 * lists contain plenty of words a model could pass off as an entity.
 */
export function groundValues<T extends { value: string }>(items: T[], inputText: string): { kept: T[]; dropped: T[] } {
  const haystack = inputText.toLowerCase();
  const kept: T[] = [];
  const dropped: T[] = [];
  for (const item of items) {
    const needle = item.value.trim().toLowerCase();
    if (needle.length > 0 && occursAsWholeValue(haystack, needle)) kept.push(item);
    else dropped.push(item);
  }
  return { kept, dropped };
}
