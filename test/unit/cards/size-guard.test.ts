import type { AdaptiveCard } from '../../../src/cards/card-kit';
import {
  adaptiveCard,
  container,
  executeAction,
  factSet,
  heading,
  label,
  optional,
  showCardAction,
  text,
  textBlock,
} from '../../../src/cards/card-kit';
import type { CardText } from '../../../src/cards/card-text';
import { cardByteSize, fitCard, TEAMS_CARD_LIMIT_BYTES, TRUNCATION_NOTE } from '../../../src/cards/size-guard';
import { VERBS } from '../../../src/cards/verbs';
import { expectValidCard, renderedText } from '../../support/cards';

/** Builds text without the per-field limit, to exercise the guard itself. */
function raw(value: string): CardText {
  return value as CardText;
}

function cardWithDescription(description: string): AdaptiveCard {
  return adaptiveCard(
    [
      heading(label('Suspicious sign-in')),
      textBlock(raw(description)),
      factSet([{ title: label('User'), value: text('alice@contoso.com') }]),
    ],
    [executeAction('Explain alert', VERBS.explainAlert, { alertId: 'a1' })],
  );
}

describe('fitCard', () => {
  it('returns a card that fits unchanged', () => {
    const card = cardWithDescription('short');
    const fitted = fitCard(card);
    expect(fitted.truncated).toBe(false);
    expect(fitted.card).toBe(card);
  });

  it('turns a 200 KB description into a valid card within 28 KB', () => {
    const card = cardWithDescription('Encoded payload: ' + 'A'.repeat(200 * 1024));
    const { card: fitted, truncated } = fitCard(card);
    expect(truncated).toBe(true);
    expectValidCard(fitted);
    expect(cardByteSize(fitted)).toBeLessThanOrEqual(TEAMS_CARD_LIMIT_BYTES);
    expect(cardByteSize(fitted)).toBeGreaterThan(TEAMS_CARD_LIMIT_BYTES - 1024);
    expect(renderedText(fitted)).toContain('Suspicious sign-in');
    expect(renderedText(fitted)).toContain('Encoded payload: AAAA');
    expect(renderedText(fitted)).toContain(TRUNCATION_NOTE);
    expect(fitted.actions).toHaveLength(1);
  });

  it('does not modify the card it was given', () => {
    const card = cardWithDescription('B'.repeat(40_000));
    const before = JSON.stringify(card);
    fitCard(card);
    expect(JSON.stringify(card)).toBe(before);
  });

  it('measures UTF-8 bytes and never splits a surrogate pair', () => {
    const card = cardWithDescription('😀'.repeat(20_000));
    const { card: fitted } = fitCard(card);
    expectValidCard(fitted);
    const texts = renderedText(fitted);
    expect(texts).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('cuts the longest texts first, including fact values and texts inside containers and show-cards', () => {
    const card = adaptiveCard(
      [
        heading(label('Title')),
        container([textBlock(raw('C'.repeat(15_000)))]),
        factSet([{ title: label('Command line'), value: raw('F'.repeat(15_000)) }]),
      ],
      [showCardAction('Details', [textBlock(raw('S'.repeat(15_000)))])],
    );
    const { card: fitted } = fitCard(card, 20_000);
    expectValidCard(fitted);
    expect(cardByteSize(fitted)).toBeLessThanOrEqual(20_000);
    expect(renderedText(fitted)).toContain('Title');
  });

  it('drops optional items from the end when cutting texts is not enough', () => {
    const manyShortTexts = (name: string) =>
      container(Array.from({ length: 60 }, (_, index) => textBlock(raw(`${name} ${index} ${'x'.repeat(300)}`))));
    const card = adaptiveCard([
      heading(label('Keep me')),
      optional(manyShortTexts('first')),
      manyShortTexts('required'),
      optional(manyShortTexts('last')),
    ]);
    const { card: fitted, truncated } = fitCard(card);
    expect(truncated).toBe(true);
    expectValidCard(fitted);
    const shown = renderedText(fitted);
    expect(shown).toContain('Keep me');
    expect(shown).toContain('required 59');
    expect(shown).not.toContain('last 0');
  });

  it('falls back to the title, the note and the buttons when nothing else fits', () => {
    const card = adaptiveCard(
      [
        heading(label('Title')),
        ...Array.from({ length: 500 }, (_, index) => textBlock(raw(`line ${index} ${'z'.repeat(60)}`))),
      ],
      [executeAction('Explain alert', VERBS.explainAlert, { alertId: 'a1' })],
    );
    const { card: fitted } = fitCard(card, 2_000);
    expectValidCard(fitted);
    expect(cardByteSize(fitted)).toBeLessThanOrEqual(2_000);
    expect(fitted.body.map((element) => element.type === 'TextBlock' && element.text)).toEqual([
      'Title',
      TRUNCATION_NOTE,
    ]);
    expect(fitted.actions).toHaveLength(1);
  });

  it('still returns a non-empty valid card for an absurdly small budget', () => {
    const { card: fitted, truncated } = fitCard(cardWithDescription('D'.repeat(5_000)), 100);
    expect(truncated).toBe(true);
    expect(fitted.body).toEqual([expect.objectContaining({ type: 'TextBlock', text: TRUNCATION_NOTE })]);
    expectValidCard(fitted);
  });
});
