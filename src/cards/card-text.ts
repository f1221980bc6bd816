import { defangText } from '../intel/defang';

/**
 * Text that may go into a TextBlock or a fact: indicators defanged, Markdown that could become a link,
 * image or mention neutralised, length bounded. Teams renders Markdown in both places, and alert
 * titles, descriptions, entity values and LLM output are all attacker-influenced, so card builders
 * accept only this branded type: a raw string does not type-check.
 */
declare const cardTextBrand: unique symbol;
export type CardText = string & { readonly [cardTextBrand]: true };

/** Per-field limits in characters (code points), applied after defanging, which lengthens text. */
export const LIMITS = {
  title: 200,
  headline: 300,
  label: 80,
  factValue: 300,
  listItem: 500,
  note: 500,
  section: 2000,
  preview: 400,
  description: 4000,
  echo: 100,
} as const;

const ELLIPSIS = '…';

/**
 * The one entry point for attacker-influenced text: (a) defang indicators, (b) neutralise Markdown
 * that could turn into a link, image or mention, (c) truncate to `limit` with an ellipsis.
 */
export function text(value: string, limit: number = LIMITS.listItem): CardText {
  const { kept, cut } = preCut(value, limit);
  // A pre-cut input always shows its ellipsis, even when `&lt;` → `‹` made the rest short enough.
  return truncate(neutraliseMarkdown(defangText(kept)) + (cut ? ELLIPSIS : ''), limit) as CardText;
}

/**
 * Room kept past the limit before defanging. Defanging and neutralising lengthen text (apart from
 * `&lt;`), so what is shown comes from the start of the input; the margin keeps the scheme and host
 * of any indicator starting there whole (a host name is at most 253 characters), so it is defanged
 * just as in the full text.
 */
const PRE_CUT_MARGIN = 1024;

/** Cuts huge input (a 200 KB description) before the regex passes, which would otherwise run over all of it. */
function preCut(value: string, limit: number): { kept: string; cut: boolean } {
  const withoutControls = stripControlCharacters(value);
  const keep = 2 * limit + PRE_CUT_MARGIN; // two UTF-16 units per code point at most
  if (withoutControls.length <= keep) return { kept: withoutControls, cut: false };
  const splitsPair = /[\uD800-\uDBFF]/.test(withoutControls.charAt(keep - 1));
  return { kept: withoutControls.slice(0, splitsPair ? keep - 1 : keep), cut: true };
}

// Control characters have no business in a card and some break rendering; tab and newlines stay.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

function stripControlCharacters(value: string): string {
  return value.replace(CONTROL_CHARACTERS, '');
}

/**
 * Breaks every construct that Teams' Markdown could turn into something clickable or a ping:
 * - inline links and images need `](` with nothing in between, so a space goes there, and `![` too;
 * - reference-style definitions (`[id]: url` at a line start) lose their colon's position;
 * - `<at>` mentions, HTML-ish tags and `<scheme:…>` autolinks lose their `<` (also the `&lt;` spelling);
 * - bare autolinks: a live scheme (already defanged, kept as a second guard), `www.`, and `a@b` mail links.
 * It also makes invisible direction overrides visible: U+202E makes `invoice<U+202E>fdp.exe` display as
 * `invoiceexe.pdf`, and the analyst must see the trick, not fall for it.
 */
export function neutraliseMarkdown(value: string): string {
  return (
    stripControlCharacters(value)
      .replace(
        /[\u202A-\u202E\u2066-\u2069]/g,
        (character) => `[U+${character.charCodeAt(0).toString(16).toUpperCase()}]`,
      )
      .replace(/\]\(/g, '] (')
      .replace(/!\[/g, '! [')
      .replace(/^( {0,3}\[[^\]\n]*\]):/gm, '$1 :')
      .replace(/<(?=[A-Za-z/!?])/g, '‹')
      .replace(/&lt;(?=[A-Za-z/!?])/gi, '‹')
      // Close a neutralised tag with the matching angle so "‹alert id>" reads "‹alert id›".
      .replace(/(‹[^<>‹›\n]{0,200})(?:>|&gt;)/gi, '$1›')
      .replace(/(?<![\p{L}\p{N}_])(h)tt(ps?:\/\/)/giu, '$1xx$2')
      .replace(/(?<![\p{L}\p{N}_])(www)\.(?=[\p{L}\p{N}])/giu, '$1[.]')
      .replace(/(?<=[\p{L}\p{N}._%+-])@(?=[\p{L}\p{N}])/gu, '[@]')
  );
}

/** Cuts to `limit` code points, ending with an ellipsis, never splitting a surrogate pair. */
export function truncate(value: string, limit: number): string {
  if (value.length <= limit) return value;
  const codePoints = Array.from(value);
  if (codePoints.length <= limit) return value;
  return codePoints.slice(0, Math.max(0, limit - 1)).join('') + ELLIPSIS;
}

/** Cuts by UTF-16 length (cheap, for the size guard) without leaving half a surrogate pair. */
export function truncateCodeUnits(value: string, length: number): string {
  if (value.length <= length) return value;
  let end = Math.max(0, length - ELLIPSIS.length);
  const previous = value.charCodeAt(end - 1);
  if (previous >= 0xd800 && previous <= 0xdbff) end -= 1;
  return value.slice(0, end) + ELLIPSIS;
}

/** Short fixed wording of our own (headings, fact titles, button-like labels), bounded to LIMITS.label. */
export function label(value: string): CardText {
  return text(value, LIMITS.label);
}

export function bold(value: CardText): CardText {
  return value.trim() === '' ? value : (`**${value.trim()}**` as CardText);
}

/**
 * Joins safe pieces with our own separator. Each piece is safe alone, but `…]` + `(…`, `…!` + `[…` or
 * `…<` + `at>` could form a link or mention across the seam, so such seams get a space.
 */
export function joinText(parts: readonly CardText[], separator = ''): CardText {
  let joined = '';
  parts.forEach((part, index) => {
    const left = joined + (index === 0 ? '' : separator);
    const formsMarkup = /[\]!<]$/.test(left) && /^[([A-Za-z/!?]/.test(part);
    joined = left + (formsMarkup ? ' ' : '') + part;
  });
  return joined as CardText;
}
