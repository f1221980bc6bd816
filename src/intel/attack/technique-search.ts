import type { CompactTechnique } from './compact-data';
import { lookupKey } from './technique-id';

export interface SearchCandidate {
  technique: CompactTechnique;
  /** "Parent: Name" for sub-techniques, the name otherwise */
  fullName: string;
}

// Scores, highest first: exact name, name prefix, substring, every query word present, then a small edit distance
// for typos ("powershel", "kerberosting").
const exactScore = 100;
const prefixScore = 80;
const substringScore = 60;
const allWordsScore = 40;
const typoScore = 30;

function editDistance(left: string, right: string, ceiling: number): number {
  if (Math.abs(left.length - right.length) > ceiling) return ceiling + 1;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= right.length; column += 1) {
      const substitution = previous[column - 1] + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(Math.min(previous[column] + 1, current[column - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length];
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

function score(query: string, candidate: SearchCandidate): number {
  const queryKey = lookupKey(query);
  const nameKey = lookupKey(candidate.technique.name);
  const fullKey = lookupKey(candidate.fullName);
  if (queryKey === nameKey || queryKey === fullKey) return exactScore;
  if (nameKey.startsWith(queryKey) || fullKey.startsWith(queryKey)) return prefixScore;
  if (fullKey.includes(queryKey)) return substringScore;
  const candidateWords = words(candidate.fullName);
  const queryWords = words(query);
  if (queryWords.every((word) => candidateWords.some((candidateWord) => candidateWord.startsWith(word)))) {
    return allWordsScore;
  }
  // Allow roughly one typo per six characters, so short queries do not match everything.
  const ceiling = Math.max(1, Math.floor(queryKey.length / 6));
  const distance = Math.min(editDistance(queryKey, nameKey, ceiling), editDistance(queryKey, fullKey, ceiling));
  return distance <= ceiling ? typoScore - distance : 0;
}

/** Candidates ranked by how well their name matches; deprecated ones rank after active ones with the same score. */
export function rankByName(query: string, candidates: SearchCandidate[], limit: number): SearchCandidate[] {
  if (lookupKey(query).length === 0) return [];
  return candidates
    .map((candidate) => ({ candidate, score: score(query, candidate) }))
    .filter((scored) => scored.score > 0)
    .sort(
      (left, right) =>
        right.score - left.score ||
        Number(left.candidate.technique.deprecated) - Number(right.candidate.technique.deprecated) ||
        (left.candidate.technique.id < right.candidate.technique.id ? -1 : 1),
    )
    .slice(0, Math.max(0, limit))
    .map((scored) => scored.candidate);
}
