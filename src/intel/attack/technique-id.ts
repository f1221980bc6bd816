// Accepts the spellings analysts and tools use: T1059.001, t1059.001, T1059/001 (the attack.mitre.org URL form),
// T1059-001 and T1059_001 (file-name friendly forms some exporters write).
const wholeTechniqueId = /^\s*T(\d{4})(?:\s*[./_-]\s*(\d{3}))?\s*$/i;
const techniqueIdInText = /(?<![A-Za-z0-9])T(\d{4})(?:[./_-](\d{3}))?(?![A-Za-z0-9])/gi;

function canonical(base: string, sub: string | undefined): string {
  return sub === undefined ? `T${base}` : `T${base}.${sub}`;
}

/** Canonical form (T1059.001) of a technique ID written in any common spelling, or undefined if it is not one. */
export function normalizeTechniqueId(text: string): string | undefined {
  const match = wholeTechniqueId.exec(text);
  return match === null ? undefined : canonical(match[1], match[2]);
}

/** Every technique ID written in free text, canonical and de-duplicated, in order of first appearance. */
export function findTechniqueIds(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(techniqueIdInText)) found.add(canonical(match[1], match[2]));
  return [...found];
}

/** Folds case, spacing and punctuation so "Credential Access", "credential-access" and "CredentialAccess" agree. */
export function lookupKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}
