import type { KeywordRule } from './keyword-rules';
import { findTechniqueIds } from './technique-id';
import type { Confidence, TechniqueInfo, TechniqueMatch, TextMappingOptions } from './types';

// Alert text and command lines are attacker-controlled; only this much is examined so a pathological input cannot make
// the rule scan expensive. Titles, descriptions and command lines fit easily.
export const maximumTextLength = 20_000;
const maximumQuotedLength = 60;

const confidenceRank: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };
const weaker: Record<Confidence, Confidence> = { high: 'medium', medium: 'low', low: 'low' };

// Alert descriptions often list behaviours as examples ("attackers use ways like brute force, spear phishing etc.");
// a keyword that only ever appears in such a list is context rather than an observation, so it counts one level less.
// "looks like" / "seems like" introduce an observation, not an example.
const exampleCue = /(?:(?<!looks |seems |appears )\blike|such as|e\.g\.|for example|for instance)\b[^.;!?\n]{0,40}$/i;
const exampleContextLength = 60;

interface RuleHit {
  matched: string;
  onlyAsExample: boolean;
}

const globalPatterns = new WeakMap<KeywordRule, RegExp>();

function globalPatternOf(rule: KeywordRule): RegExp {
  let pattern = globalPatterns.get(rule);
  if (pattern === undefined) {
    pattern = new RegExp(
      rule.pattern.source,
      rule.pattern.flags.includes('g') ? rule.pattern.flags : `${rule.pattern.flags}g`,
    );
    globalPatterns.set(rule, pattern);
  }
  return pattern;
}

function findRuleHit(text: string, rule: KeywordRule): RuleHit | undefined {
  let first: RuleHit | undefined;
  for (const found of text.matchAll(globalPatternOf(rule))) {
    const before = text.slice(Math.max(0, found.index - exampleContextLength), found.index);
    const hit = { matched: found[0], onlyAsExample: exampleCue.test(before) };
    if (!hit.onlyAsExample) return hit;
    first ??= hit;
  }
  return first;
}

type TechniqueResolver = (id: string) => TechniqueInfo | undefined;

// The matched words are quoted back to the analyst; whitespace is folded and the quote is kept short.
function quote(matched: string): string {
  const folded = matched.replace(/\s+/g, ' ').trim();
  return folded.length <= maximumQuotedLength ? folded : `${folded.slice(0, maximumQuotedLength - 1)}…`;
}

function explicitIdMatches(text: string, resolve: TechniqueResolver): TechniqueMatch[] {
  const matches: TechniqueMatch[] = [];
  for (const id of findTechniqueIds(text)) {
    const technique = resolve(id);
    if (technique === undefined) continue;
    const revokedNote = technique.resolvedFrom === undefined ? '' : ` (revoked; replaced by ${technique.id})`;
    const deprecatedNote = technique.deprecated ? ' (deprecated in ATT&CK)' : '';
    matches.push({
      technique,
      confidence: 'high',
      reason: `The text names technique ${id}${revokedNote}${deprecatedNote}.`,
      source: 'explicit-id',
    });
  }
  return matches;
}

function ruleMatches(text: string, rules: readonly KeywordRule[], resolve: TechniqueResolver): TechniqueMatch[] {
  const matches: TechniqueMatch[] = [];
  for (const rule of rules) {
    const hit = findRuleHit(text, rule);
    if (hit === undefined || rule.unless?.test(text) === true) continue;
    const exampleNote = hit.onlyAsExample ? ', mentioned only as an example' : '';
    for (const ruleTechnique of rule.techniques) {
      const technique = resolve(ruleTechnique.id);
      if (technique === undefined) continue;
      matches.push({
        technique,
        confidence: hit.onlyAsExample ? weaker[ruleTechnique.confidence] : ruleTechnique.confidence,
        reason: `Matched "${quote(hit.matched)}" (${rule.label}${exampleNote}).`,
        source: 'keyword-rule',
        ruleId: rule.id,
      });
    }
  }
  return matches;
}

/**
 * Likely techniques for free text: explicit technique IDs first, then the curated keyword rules. One match per
 * technique (the most confident one), strongest first; ties keep the order in which they were found.
 */
export function mapTextToTechniques(
  text: string,
  rules: readonly KeywordRule[],
  resolve: TechniqueResolver,
  options: TextMappingOptions = {},
): TechniqueMatch[] {
  const examined = text.slice(0, maximumTextLength);
  const best = new Map<string, TechniqueMatch>();
  for (const match of [...explicitIdMatches(examined, resolve), ...ruleMatches(examined, rules, resolve)]) {
    const existing = best.get(match.technique.id);
    if (existing === undefined || confidenceRank[match.confidence] > confidenceRank[existing.confidence]) {
      best.set(match.technique.id, match);
    }
  }
  const minimumRank = confidenceRank[options.minimumConfidence ?? 'low'];
  const ranked = [...best.values()]
    .filter((match) => confidenceRank[match.confidence] >= minimumRank)
    // Array.prototype.sort is stable, so equal confidences keep the order in which they were found.
    .sort((left, right) => confidenceRank[right.confidence] - confidenceRank[left.confidence]);
  return options.limit === undefined ? ranked : ranked.slice(0, Math.max(0, options.limit));
}
