import { firstSentences } from '../../../../src/copilot/explain-alert/plain-language';

describe('firstSentences', () => {
  it('keeps whole sentences that fit', () => {
    expect(firstSentences('One. Two is longer. Three.', 20)).toBe('One. Two is longer.');
  });

  it('cuts at a word when no sentence fits', () => {
    expect(firstSentences('a very long sentence without any end in sight', 15)).toBe('a very long…');
  });

  it('stays linear on hostile input: hundreds of kilobytes with dots but no sentence ends', () => {
    // This shape made the sentence pattern backtrack quadratically and hung the offline engine.
    const hostile = 'a.b'.repeat(100_000) + ' tail';
    const result = firstSentences(hostile, 400);
    expect(result.length).toBeLessThanOrEqual(400);
  });
});
