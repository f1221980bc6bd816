import type { Confidence } from './types';

export interface RuleTechnique {
  id: string;
  confidence: Confidence;
}

/**
 * One curated mapping from words that appear in alert titles, descriptions, categories and command lines to the
 * ATT&CK techniques they usually indicate. Written by the project (not taken from ATT&CK); a unit test checks that
 * every technique ID here is active in the bundled ATT&CK table.
 */
export interface KeywordRule {
  /** stable slug, shown in reasons and used by tests */
  id: string;
  /** what the rule recognises, in words an analyst reads */
  label: string;
  pattern: RegExp;
  /** when this also matches, the rule does not apply (a more specific rule covers the text) */
  unless?: RegExp;
  techniques: RuleTechnique[];
}

/** Compact constructor so the rule tables read as one line of intent per rule. */
export function rule(
  id: string,
  label: string,
  pattern: RegExp,
  techniques: Array<[string, Confidence]>,
  unless?: RegExp,
): KeywordRule {
  const entry: KeywordRule = {
    id,
    label,
    pattern,
    techniques: techniques.map(([techniqueId, confidence]) => ({ id: techniqueId, confidence })),
  };
  if (unless !== undefined) entry.unless = unless;
  return entry;
}
