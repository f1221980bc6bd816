import { isKnownTld } from './tlds';

/**
 * Refanging: undoing the defang styles analysts, vendors and threat feeds use, before extraction.
 *
 *   dots     [.] (.) {.} [dot] (dot) {dot} [,]  `evil [.] com`  partial `evil[.com` `evil.]com`
 *            `evil\.com` (regex-escaped, as in YARA and Sigma rules)  full-width `evil。com`
 *            ` dot ` as a word (`evil dot com`, `10 dot 0 dot 0 dot 1`) — see below
 *   schemes  hxxp hXXp hxxps h**p h__p hxtp htxp meow → http(s); fxp fxps sfxp → ftp(s), sftp
 *            `http[:]//` `hxxp[://]` `http(:)//` `http:[//]` `http:[/][/]` `http:\/\/`
 *   colons   [:] (:) {:}     slashes [/] (/) {/} and the JSON escape \/
 *   at       [@] (@) {@} [at] (at) {at}; ` at ` as a word — see below
 *
 * The word forms are where refanging can invent indicators, so they are held to more context:
 * - ` dot ` joins labels only when the joined name ends in a known TLD (or makes a dotted quad) and does not
 *   start with a common English word, so "the dot com bubble" stays prose;
 * - ` at ` joins a local part and a domain only when the domain is itself written with ` dot `
 *   (`jsmith at evil dot com`) or the local part looks like a mailbox (`john.smith at evil[.]com`: a dot,
 *   digit, `_`, `-` or `+`), so "hosted at evil[.]com" stays prose.
 * Plain `.` with spaces around it (`evil . com`) is not refanged: it is how sentences end.
 *
 * One pass, linear in the text: a defang of a defang (`evil[[.]]com`) comes out defanged once (`evil[.]com`).
 */

/** One replacement: `[originalStart, originalEnd)` of the input became `replacement`. */
interface Edit {
  originalStart: number;
  originalEnd: number;
  replacement: string;
}

export interface RefangResult {
  text: string;
  /**
   * Maps an offset in the refanged text back to the input. An offset inside a replacement maps to the start of
   * what it replaced (`side: 'start'`) or to its end (`side: 'end'`), so a span maps to the whole input span.
   */
  originalOffset(offset: number, side: 'start' | 'end'): number;
}

const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';
const COLON_FORMS = '\\[:\\]|\\(:\\)|\\{:\\}';
const SLASH_PAIR = '\\/\\/|\\[\\/\\/\\]|\\(\\/\\/\\)|\\{\\/\\/\\}|\\[\\/\\]\\[\\/\\]|\\\\\\/\\\\\\/';

/**
 * The bracket and scheme styles, in one pass. Every alternative starts with a literal character, so the scan
 * skips through ordinary text quickly; what must surround a match (not inside a word, label characters on both
 * sides) is checked in code.
 */
const SYMBOL_PATTERN = new RegExp(
  [
    `(?<scheme>h(?:xx|\\*\\*|__|xt|tx|tt)ps?|meows?|f[xt]ps?|sf[xt]p)` +
      `(?:(?:${COLON_FORMS}|:)(?:${SLASH_PAIR})|\\[:\\/\\/\\]|\\(:\\/\\/\\)|\\{:\\/\\/\\})`,
    // A dot, comma, `dot` or `at` between brackets of any kind: [.] (dot) {.} [,] [@] (at) [.) …
    '(?<bracketed>[\\[({][ \\t]*(?:\\.|dot|,|@|at)[ \\t]*[\\])}])',
    `(?<colon>${COLON_FORMS})`,
    // [/] (/) {/}, and \/ as JSON and JavaScript escape a slash (`https:\/\/evil.com\/a` pasted from a raw log).
    '(?<slash>\\[\\/\\]|\\(\\/\\)|\\{\\/\\}|\\\\\\/)',
    '(?<partial>[\\[(]\\.|\\.[\\])]|[\u3002\uff0e\uff61])',
  ].join('|'),
  'gi',
);

const WORD_DOT = '[ \\t]+dot[ \\t]+';
const ANY_DOT = `(?:${WORD_DOT}|[ \\t]*[\\[({][ \\t]*(?:\\.|dot)[ \\t]*[\\])}][ \\t]*|\\.)`;
const WORD_SEPARATOR = /[ \t]+(at|dot)[ \t]+/gi;
const WORD_DOT_PATTERN = new RegExp(WORD_DOT, 'gi');
const ANY_DOT_PATTERN = new RegExp(ANY_DOT, 'giu');
/** Anchored where a word form was found: the domain after ` at `, the chain of labels around ` dot `. */
const DOMAIN_AFTER_AT = new RegExp(`${LABEL}(?:${ANY_DOT}${LABEL})+(?![\\p{L}\\p{N}_-])`, 'iuy');
const WORD_DOT_CHAIN = new RegExp(`${LABEL}(?:${WORD_DOT}${LABEL})+(?![\\p{L}\\p{N}_-])`, 'iuy');

const WORD_CHARACTER = /[\p{L}\p{N}_]/u;
const LABEL_CHARACTER = /[\p{L}\p{N}-]/u;
const LOCAL_PART_CHARACTER = /[\p{L}\p{N}_.%+=-]/u;
/** Before a ` dot ` chain or a `\.` name: nothing that would make the first label part of a longer name or path. */
const NAME_CONTINUATION = /[\p{L}\p{N}_.\\-]/u;

/** Words that start prose, not host names: "the dot com bubble", "a dot on the map". */
const PROSE_WORDS = new Set(
  'a an the this that its it one no any each every per via big new old first last his her our their your'.split(' '),
);

export function refang(text: string): string {
  return refangWithOffsets(text).text;
}

export function refangWithOffsets(text: string): RefangResult {
  const edits: Edit[] = [];
  collectSymbolEdits(text, edits);
  const separate = edits.length;
  if (/[ \t](?:dot|at)[ \t]/i.test(text)) collectWordEdits(text, edits);
  if (text.includes('\\.')) collectEscapedDotEdits(text, edits);
  return applyEdits(text, edits.length === separate ? edits : withoutOverlaps(edits));
}

function push(edits: Edit[], originalStart: number, length: number, replacement: string): void {
  edits.push({ originalStart, originalEnd: originalStart + length, replacement });
}

function collectSymbolEdits(text: string, edits: Edit[]): void {
  SYMBOL_PATTERN.lastIndex = 0;
  for (let match = SYMBOL_PATTERN.exec(text); match !== null; match = SYMBOL_PATTERN.exec(text)) {
    const groups = match.groups as Record<string, string | undefined>;
    const start = match.index;
    const end = start + match[0].length;
    if (groups.scheme !== undefined) {
      if (!WORD_CHARACTER.test(text.charAt(start - 1))) editScheme(edits, start, match[0], groups.scheme);
    } else if (groups.bracketed !== undefined) {
      editBracketed(edits, text, start, end);
    } else if (groups.colon !== undefined) {
      push(edits, start, match[0].length, ':');
    } else if (groups.slash !== undefined) {
      // `\\/` is an escaped backslash before a slash, not an escaped slash (and refanging stays idempotent).
      if (text.charAt(start - 1) !== '\\') push(edits, start, match[0].length, '/');
    } else if (isLabelCharacter(text.charAt(start - 1)) && isLabelCharacter(text.charAt(end))) {
      push(edits, start, match[0].length, '.');
    }
  }
}

function editScheme(edits: Edit[], start: number, written: string, scheme: string): void {
  const lower = scheme.toLowerCase();
  const secure = lower.endsWith('s') ? 's' : '';
  const base = lower.startsWith('sf') ? 'sftp' : lower.startsWith('f') ? `ftp${secure}` : `http${secure}`;
  const fanged = `${base}://`;
  // Already-fanged schemes keep the case they were written in; only defanged ones are rewritten.
  if (written.toLowerCase() !== fanged) push(edits, start, written.length, fanged);
}

/** `[.]` → `.`, `[at]` → `@`; the spaces around it go too when label characters sit beyond them (`evil [.] com`). */
function editBracketed(edits: Edit[], text: string, start: number, end: number): void {
  const replacement = /@|at/i.test(text.slice(start, end)) ? '@' : '.';
  let before = start;
  while (before > 0 && (text.charAt(before - 1) === ' ' || text.charAt(before - 1) === '\t')) before -= 1;
  let after = end;
  while (text.charAt(after) === ' ' || text.charAt(after) === '\t') after += 1;
  const between = isLabelCharacter(text.charAt(before - 1)) && isLabelCharacter(text.charAt(after));
  if (between) push(edits, before, after - before, replacement);
  else push(edits, start, end - start, replacement);
}

/** ` at ` and ` dot ` as words, found by their separators and checked against the words around them. */
function collectWordEdits(text: string, edits: Edit[]): void {
  let handledUntil = 0;
  WORD_SEPARATOR.lastIndex = 0;
  for (let match = WORD_SEPARATOR.exec(text); match !== null; match = WORD_SEPARATOR.exec(text)) {
    if (match.index < handledUntil) continue;
    if (match[1].toLowerCase() === 'at') {
      const localStart = startOfRun(text, match.index, LOCAL_PART_CHARACTER);
      if (localStart === match.index || LOCAL_PART_CHARACTER.test(text.charAt(localStart - 1))) continue;
      DOMAIN_AFTER_AT.lastIndex = match.index + match[0].length;
      const domain = DOMAIN_AFTER_AT.exec(text);
      if (domain === null) continue;
      editWordEmail(edits, text.slice(localStart, match.index), match, domain);
      handledUntil = domain.index + domain[0].length;
    } else {
      const chainStart = startOfRun(text, match.index, LABEL_CHARACTER);
      if (chainStart === match.index || NAME_CONTINUATION.test(text.charAt(chainStart - 1))) continue;
      WORD_DOT_CHAIN.lastIndex = chainStart;
      const chain = WORD_DOT_CHAIN.exec(text);
      if (chain === null) continue;
      if (joinsIntoIndicator(chain[0].split(WORD_DOT_PATTERN))) pushWordDots(edits, chain.index, chain[0]);
      handledUntil = chain.index + chain[0].length;
    }
  }
}

/** Where the run of `characters` that ends at `end` starts (at most 64 back: no label or local part is longer). */
function startOfRun(text: string, end: number, characters: RegExp): number {
  let start = end;
  while (start > 0 && end - start < 64 && characters.test(text.charAt(start - 1))) start -= 1;
  return start;
}

/** Whether labels joined by ` dot ` make a host name or an IPv4 address rather than prose. */
function joinsIntoIndicator(labels: string[]): boolean {
  const dottedQuad = labels.length === 4 && labels.every((label) => /^\d{1,3}$/.test(label));
  return dottedQuad || (isKnownTld(labels[labels.length - 1]) && !PROSE_WORDS.has(labels[0].toLowerCase()));
}

function pushWordDots(edits: Edit[], start: number, written: string): void {
  for (const separator of written.matchAll(WORD_DOT_PATTERN)) {
    push(edits, start + separator.index, separator[0].length, '.');
  }
}

/**
 * `local at domain`: the ` at ` becomes `@` only under the rule in the header comment; the domain's word dots
 * follow the ` dot ` rule (its bracketed dots are the symbol pass's).
 */
function editWordEmail(edits: Edit[], local: string, at: RegExpExecArray, domain: RegExpExecArray): void {
  const labels = domain[0].split(ANY_DOT_PATTERN);
  const wordObfuscated = /[ \t]dot[ \t]/i.test(domain[0]);
  const mailboxLike = /[._+\-\d]/.test(local) && !/^\.|\.$/.test(local);
  const emailAccepted = (wordObfuscated || mailboxLike) && isKnownTld(labels[labels.length - 1]);
  if (emailAccepted) push(edits, at.index, at[0].length, '@');
  if (emailAccepted || joinsIntoIndicator(labels)) {
    for (const dot of domain[0].matchAll(WORD_DOT_PATTERN)) push(edits, domain.index + dot.index, dot[0].length, '.');
  }
}

/** `evil\.com` (a regex-escaped name) → `evil.com`, unless the name continues a path (`C:\Users\bob\.ssh`). */
function collectEscapedDotEdits(text: string, edits: Edit[]): void {
  let chainAccepted = false;
  for (let index = text.indexOf('\\.'); index !== -1; index = text.indexOf('\\.', index + 2)) {
    if (!isLabelCharacter(text.charAt(index - 1)) || !isLabelCharacter(text.charAt(index + 2))) continue;
    const nameStart = startOfRun(text, index, LABEL_CHARACTER);
    const continuesChain = text.slice(nameStart - 2, nameStart) === '\\.';
    if (!continuesChain) chainAccepted = !NAME_CONTINUATION.test(text.charAt(nameStart - 1));
    if (chainAccepted) push(edits, index, 2, '.');
  }
}

function isLabelCharacter(character: string): boolean {
  return character !== '' && LABEL_CHARACTER.test(character);
}

/** Edits from the separate passes in text order; where two overlap, the one that starts first wins. */
function withoutOverlaps(edits: Edit[]): Edit[] {
  const sorted = [...edits].sort((left, right) => left.originalStart - right.originalStart);
  const kept: Edit[] = [];
  for (const edit of sorted) {
    const previous = kept[kept.length - 1];
    if (previous === undefined || edit.originalStart >= previous.originalEnd) kept.push(edit);
  }
  return kept;
}

function applyEdits(text: string, edits: Edit[]): RefangResult {
  if (edits.length === 0) return { text, originalOffset: (offset) => offset };
  const parts: string[] = [];
  // Parallel arrays: where each replacement starts and ends in the refanged text, for the offset map.
  const refangedStarts: number[] = [];
  const refangedEnds: number[] = [];
  let cursor = 0;
  let length = 0;
  for (const edit of edits) {
    parts.push(text.slice(cursor, edit.originalStart));
    length += edit.originalStart - cursor;
    refangedStarts.push(length);
    parts.push(edit.replacement);
    length += edit.replacement.length;
    refangedEnds.push(length);
    cursor = edit.originalEnd;
  }
  parts.push(text.slice(cursor));
  return {
    text: parts.join(''),
    originalOffset(offset, side) {
      const index = lastAtOrBefore(refangedStarts, offset);
      if (index === -1) return offset;
      const edit = edits[index];
      if (offset >= refangedEnds[index]) return edit.originalEnd + (offset - refangedEnds[index]);
      if (offset === refangedStarts[index]) return edit.originalStart;
      return side === 'end' ? edit.originalEnd : edit.originalStart;
    },
  };
}

/** Index of the last value ≤ target in an ascending array, or -1. */
function lastAtOrBefore(values: number[], target: number): number {
  let low = 0;
  let high = values.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (values[middle] <= target) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
