/**
 * MITRE's prose as plain text for chat, cards and JSON. The bundle's descriptions carry reference markers
 * ("(Citation: Unit 42 DarkHydrus July 2018)") whose sources we do not ship, Markdown links to attack.mitre.org
 * (kept as their text: a card must not turn text from a file into clickable links), and <code>/<b>/<br> tags.
 * Placeholders written as tags (\\<DOMAIN>\SYSVOL) stay, since they are part of the meaning.
 */
export function plainAttackText(value: string): string {
  return value
    .replace(/[ \t]*\(Citation:[^)]*\)/g, '')
    .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1')
    .replace(/<\/?(?:code|b|i|em|strong)>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The first paragraph, for a short preview. */
export function firstParagraph(value: string): string {
  const trimmed = value.trim();
  const end = trimmed.indexOf('\n\n');
  return end === -1 ? trimmed : trimmed.slice(0, end);
}
