import { parseListRequest } from '../../../../src/teams/handlers/browse';

const now = new Date('2026-11-27T15:30:00.000Z');

describe('parseListRequest', () => {
  it.each([
    ['', { minimumSeverity: undefined, windowMs: undefined, description: 'newest' }],
    [' high last 24h', { minimumSeverity: 'high', windowMs: 86_400_000, description: 'high, last 24h' }],
    [
      ' medium and above past 7 days',
      { minimumSeverity: 'medium', windowMs: 7 * 86_400_000, description: 'medium and above, last 7d' },
    ],
    [' critical', { minimumSeverity: 'high', description: 'high' }],
    [' last 30 minutes', { minimumSeverity: undefined, windowMs: 30 * 60_000, description: 'last 30m' }],
    [' today', { windowMs: 15.5 * 3_600_000, description: 'today (UTC)' }],
  ])('%j', (words, expected) => {
    expect(parseListRequest(words, now)).toMatchObject(expected);
  });
});
