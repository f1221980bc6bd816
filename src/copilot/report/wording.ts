import type { IncidentContext } from '../context';

/**
 * Careful wording: "breach", "exfiltrated" and "data stolen" have legal weight (notification duties, disclosure)
 * and must not appear in a report unless the evidence shows data leaving the organisation. Without that
 * evidence such words are rewritten and the rewrite is listed in the notes.
 */

const rewrites: Array<{ pattern: RegExp; replacement: string; word: string }> = [
  { pattern: /\bdata\s+breach(?:es)?\b/gi, replacement: 'security incident', word: 'data breach' },
  { pattern: /\bbreach(?:ed|es)?\b/gi, replacement: 'security incident', word: 'breach' },
  {
    pattern:
      /\b(?:data|files|records|information|e-?mails?)\s+(?:was|were|has been|have been|got)?\s*(?:exfiltrated|stolen|leaked)\b/gi,
    replacement: 'data access (not confirmed by the evidence)',
    word: 'data exfiltrated',
  },
  {
    pattern: /\b(?:exfiltrated|stole|stolen|leaked)\s+(?:the\s+)?(?:data|files|records|information|e-?mails?)\b/gi,
    replacement: 'possibly accessed data (not confirmed by the evidence)',
    word: 'exfiltrated data',
  },
  {
    pattern: /\bexfiltrat(?:ed|ion|ing|e)\b/gi,
    replacement: 'possible data transfer (not confirmed)',
    word: 'exfiltration',
  },
  { pattern: /\bdata\s+theft\b/gi, replacement: 'possible data access (not confirmed)', word: 'data theft' },
];

/** True when the evidence itself shows data leaving: an Exfiltration technique or an alert categorised so. */
export function hasExfiltrationEvidence(context: IncidentContext): boolean {
  return (
    context.techniques.some((technique) => technique.tactics.includes('Exfiltration')) ||
    context.alerts.some(
      (alert) =>
        /exfiltration/i.test(alert.category ?? '') || alert.tactics.some((tactic) => /exfiltration/i.test(tactic)),
    )
  );
}

export class WordingCheck {
  readonly flagged = new Set<string>();

  constructor(private readonly allowed: boolean) {}

  /** The text with unsupported wording rewritten (unchanged when the evidence supports it). */
  apply(text: string): string {
    if (this.allowed) return text;
    let result = text;
    for (const rewrite of rewrites) {
      result = result.replace(rewrite.pattern, () => {
        this.flagged.add(rewrite.word);
        return rewrite.replacement;
      });
    }
    return result;
  }

  note(): string | undefined {
    if (this.flagged.size === 0) return undefined;
    return `Rewrote ${[...this.flagged].map((word) => `"${word}"`).join(', ')}: the evidence does not show data leaving the organisation, so the report does not say it did.`;
  }
}
