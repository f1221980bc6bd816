const techniqueId = /^T(\d{4})(?:[./](\d{3}))?$/i;

/**
 * ATT&CK technique IDs in canonical form (`T1059.001`), first occurrence kept, duplicates and anything
 * that is not a technique ID (tactic names, free text, "T12") dropped. Sources spell sub-techniques
 * "t1059.001" and occasionally "T1059/001"; both are accepted.
 */
export function normalizeTechniqueIds(values: Iterable<string>): string[] {
  const result = new Set<string>();
  for (const value of values) {
    const canonical = toTechniqueId(value);
    if (canonical !== undefined) result.add(canonical);
  }
  return [...result];
}

export function toTechniqueId(value: string): string | undefined {
  const match = techniqueId.exec(value.trim());
  if (!match) return undefined;
  const [, technique, subTechnique] = match;
  return subTechnique === undefined ? `T${technique}` : `T${technique}.${subTechnique}`;
}
