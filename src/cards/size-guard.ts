import type { AdaptiveCard, CardAction, CardElement, TextBlock } from './card-kit';
import { OPTIONAL } from './card-kit';
import { truncateCodeUnits } from './card-text';

/** Teams rejects a message over 28 KB (DESIGN: Teams facts). */
export const TEAMS_CARD_LIMIT_BYTES = 28 * 1024;

/**
 * What our builders aim for. Teams' limit applies to the whole activity, and the envelope around the
 * card (conversation reference, ids, service URL) takes one to two kilobytes.
 */
export const CARD_BUDGET_BYTES = 26 * 1024;

export const TRUNCATION_NOTE = "Some details were shortened to fit Teams' card size limit (truncated).";

/** Texts are first cut no shorter than this, so every section keeps a readable start… */
const GENEROUS_FLOOR = 400;
/** …and only when dropping optional sections was not enough, down to this. */
const TIGHT_FLOOR = 40;

export interface FitResult {
  card: AdaptiveCard;
  truncated: boolean;
}

/** UTF-8 size of the card's JSON, as Teams measures it. */
export function cardByteSize(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/**
 * Makes a card fit in `maxBytes`. A card that fits is returned as is. Otherwise, on a copy, in order
 * of how much the reader loses: cut the longest texts (TextBlocks and fact values), not below a
 * generous floor, drop body items marked optional from the end, cut texts to a tight floor, and as a last
 * resort keep only the first line and the actions. A "(truncated)" note says so. Only string values
 * are shortened (never splitting a surrogate pair) and whole elements removed, so the JSON stays
 * valid, and the note guarantees a non-empty body.
 */
export function fitCard(card: AdaptiveCard, maxBytes: number = TEAMS_CARD_LIMIT_BYTES): FitResult {
  if (cardByteSize(card) <= maxBytes) return { card, truncated: false };
  const working = cloneMarked(card);
  const note: TextBlock = { type: 'TextBlock', text: TRUNCATION_NOTE, wrap: true, size: 'small', isSubtle: true };
  working.body.push(note);
  const fits =
    shrinkTexts(working, maxBytes, GENEROUS_FLOOR, note) ||
    dropOptionalItems(working, maxBytes) ||
    shrinkTexts(working, maxBytes, TIGHT_FLOOR, note);
  return { card: fits ? working : lastResort(working, note, maxBytes), truncated: true };
}

interface TextSlot {
  get(): string;
  set(value: string): void;
}

/**
 * Cuts every text longer than a cap down to the cap, choosing the largest cap (by binary search, not
 * below `floor`) that makes the card fit: the longest texts lose the most and short ones nothing. One
 * measurement per probe keeps this fast on cards with hundreds of long texts. When even `floor` does
 * not fit, the texts stay cut to `floor` for the next steps and the answer is false.
 */
function shrinkTexts(card: AdaptiveCard, maxBytes: number, floor: number, note: TextBlock): boolean {
  if (cardByteSize(card) <= maxBytes) return true;
  const slots = textSlots(card, note);
  const originals = slots.map((slot) => slot.get());
  const longest = originals.reduce((maximum, value) => Math.max(maximum, value.length), 0);
  if (longest <= floor) return false;
  const fitsWithCap = (cap: number): boolean => {
    slots.forEach((slot, index) => slot.set(truncateCodeUnits(originals[index], cap)));
    return cardByteSize(card) <= maxBytes;
  };
  if (!fitsWithCap(floor)) return false;
  let fitting = floor;
  let tooLong = longest;
  while (tooLong - fitting > 1) {
    const middle = Math.floor((fitting + tooLong) / 2);
    if (fitsWithCap(middle)) fitting = middle;
    else tooLong = middle;
  }
  return fitsWithCap(fitting);
}

function dropOptionalItems(card: AdaptiveCard, maxBytes: number): boolean {
  for (let index = card.body.length - 1; index >= 0; index -= 1) {
    if (card.body[index][OPTIONAL] !== true) continue;
    card.body.splice(index, 1);
    if (cardByteSize(card) <= maxBytes) return true;
  }
  return cardByteSize(card) <= maxBytes;
}

/** The first line (the title in our cards), the note, and the buttons if they still fit. */
function lastResort(card: AdaptiveCard, note: TextBlock, maxBytes: number): AdaptiveCard {
  const first = findFirstTextBlock(card.body.filter((element) => element !== note));
  const body: CardElement[] =
    first === undefined ? [note] : [{ ...first, text: truncateCodeUnits(first.text, 200) }, note];
  const withActions: AdaptiveCard = { ...card, body };
  if (cardByteSize(withActions) <= maxBytes) return withActions;
  const withoutActions: AdaptiveCard = { ...card, body };
  delete withoutActions.actions;
  if (cardByteSize(withoutActions) <= maxBytes) return withoutActions;
  // A budget this small cannot hold any content; the note alone still makes a valid, non-empty card.
  return { ...withoutActions, body: [note] };
}

function findFirstTextBlock(elements: CardElement[]): TextBlock | undefined {
  for (const element of elements) {
    if (element.type === 'TextBlock') return element;
    const nested = findFirstTextBlock(childElements(element));
    if (nested !== undefined) return nested;
  }
  return undefined;
}

function textSlots(card: AdaptiveCard, note: TextBlock): TextSlot[] {
  const slots: TextSlot[] = [];
  const visitActions = (actions: CardAction[]): void => {
    for (const action of actions) if (action.type === 'Action.ShowCard') visitElements(action.card.body);
  };
  const visitElements = (elements: CardElement[]): void => {
    for (const element of elements) {
      if (element.type === 'TextBlock' && element !== note) {
        slots.push({ get: () => element.text, set: (value) => (element.text = value) });
      } else if (element.type === 'FactSet') {
        for (const fact of element.facts) slots.push({ get: () => fact.value, set: (value) => (fact.value = value) });
      } else if (element.type === 'ActionSet') {
        visitActions(element.actions);
      }
      visitElements(childElements(element));
    }
  };
  visitElements(card.body);
  visitActions(card.actions ?? []);
  return slots;
}

function childElements(element: CardElement): CardElement[] {
  if (element.type === 'Container') return element.items;
  if (element.type === 'ColumnSet') return element.columns.flatMap((column) => column.items);
  if (element.type === 'Table') return element.rows.flatMap((row) => row.cells.flatMap((cell) => cell.items));
  return [];
}

/** A deep copy that keeps the OPTIONAL marks, which JSON-based or structured cloning would lose. */
function cloneMarked<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => cloneMarked(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string | symbol, unknown>;
  const copy: Record<string | symbol, unknown> = {};
  for (const key of Object.keys(source)) copy[key] = cloneMarked(source[key]);
  if (source[OPTIONAL] === true) copy[OPTIONAL] = true;
  return copy as T;
}
