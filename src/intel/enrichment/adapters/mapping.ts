/** Small helpers the provider mappers share. */

/** Provider text is attacker-influenced (pulse names, tags): bounded in count and length, blanks dropped. */
export function uniqueLimited(values: Iterable<string | null | undefined>, limit: number, maxLength = 80): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of values) {
    const value = (raw ?? '').trim().replace(/\s+/g, ' ');
    if (value === '') continue;
    const bounded = value.length > maxLength ? `${value.slice(0, maxLength - 1)}…` : value;
    const key = bounded.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(bounded);
    if (result.length >= limit) break;
  }
  return result;
}

/** "1 pulse", "3 pulses". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Joins URL path segments onto a base URL that may or may not end in a slash. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
