import { uniqueLimited } from './adapters/mapping';
import type { Associations, ProviderEvidence, ProviderFailure, Verdict } from './types';
import { VERDICTS } from './types';

/**
 * Combining what several providers say. The most severe verdict any provider gave wins: one reputable source
 * flagging an indicator is reason enough for an analyst to look, and every source's own verdict stays beside
 * it as evidence, so a disagreement is visible rather than averaged away.
 */

export function verdictRank(verdict: Verdict): number {
  return VERDICTS.indexOf(verdict);
}

export function combineVerdicts(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>(
    (worst, verdict) => (verdictRank(verdict) > verdictRank(worst) ? verdict : worst),
    'unknown',
  );
}

export function mergeAssociations(evidence: readonly ProviderEvidence[]): Associations {
  return {
    malwareFamilies: uniqueLimited(
      evidence.flatMap((item) => item.associations.malwareFamilies),
      8,
    ),
    groups: uniqueLimited(
      evidence.flatMap((item) => item.associations.groups),
      6,
    ),
    tags: uniqueLimited(
      evidence.flatMap((item) => item.associations.tags),
      10,
    ),
  };
}

const VERDICT_WORDS: Readonly<Record<Verdict, string>> = {
  malicious: 'Malicious',
  suspicious: 'Suspicious',
  harmless: 'Harmless',
  unknown: 'Unknown',
};

export function verdictWord(verdict: Verdict): string {
  return VERDICT_WORDS[verdict];
}

/** One line: who says what, and which providers could not answer. */
export function summarise(
  verdict: Verdict,
  evidence: readonly ProviderEvidence[],
  failures: readonly ProviderFailure[],
): string {
  const failed = failures.map((failure) => `${failure.provider} (${failure.kind})`).join(', ');
  if (evidence.length === 0) return failed === '' ? 'No provider was asked.' : `Every lookup failed: ${failed}.`;
  let line: string;
  if (verdict === 'unknown') {
    line = `No verdict from ${evidence.map((item) => item.provider).join(', ')}`;
  } else {
    const agreeing = evidence
      .filter((item) => item.verdict === verdict)
      .map((item) => (item.score === undefined ? item.provider : `${item.provider} (${item.score.label})`));
    line = `${verdictWord(verdict)} according to ${agreeing.join(', ')}`;
  }
  return failed === '' ? `${line}.` : `${line}; failed: ${failed}.`;
}
