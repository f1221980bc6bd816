import { errorCard } from '../../../src/cards/error-card';
import { expectValidCard, renderedText } from '../../support/cards';

describe('errorCard', () => {
  it('shows the message, the advice and the correlation id in small subtle text', () => {
    const card = errorCard({
      userMessage: 'The alert source did not answer.',
      correlationId: 'req-7f3a',
      retryable: true,
    });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('Something went wrong');
    expect(shown).toContain('The alert source did not answer.');
    expect(shown).toContain('try again in a minute');
    expect(card.body.at(-1)).toEqual({
      type: 'TextBlock',
      text: 'Reference: req-7f3a',
      wrap: true,
      size: 'small',
      isSubtle: true,
    });
    expect(card).not.toHaveProperty('actions');
  });

  it('uses the given title and says when retrying will not help', () => {
    const card = errorCard({
      title: 'Alert not found',
      userMessage: 'No alert has that id.',
      correlationId: 'req-1',
      retryable: false,
    });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('Alert not found');
    expect(shown).toContain('Trying again will not help');
    expect(shown).not.toContain('Something went wrong');
  });

  it('keeps an attacker-influenced message inert and bounded', () => {
    const card = errorCard({
      userMessage: `Could not parse [click](http://evil.example) <at>everyone</at> ${'y'.repeat(10_000)}`,
      correlationId: 'req-2',
      retryable: false,
    });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('[click] (hxxp://evil[.]example) ‹at›everyone‹/at›');
    expect(shown).not.toContain('y'.repeat(600));
  });
});
