import { normalizeMessageText } from '../../../src/teams/turn-info';

describe('normalizeMessageText', () => {
  it.each([
    [undefined, ''],
    ['  help  ', 'help'],
    ['<at>SOC Copilot</at> help', 'help'],
    ['<p>explain alert da-1009</p>', 'explain alert da-1009'],
    ['explain&nbsp;alert&nbsp;da-1009', 'explain alert da-1009'],
    ['explain {&quot;id&quot;: &quot;x&quot;}', 'explain {"id": "x"}'],
    ['explain<br>{"a":1}', 'explain\n{"a":1}'],
    ['a &lt;b&gt; &amp; c', 'a <b> & c'],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeMessageText(input)).toBe(expected);
  });

  it('decodes &amp; last, so an encoded entity is not decoded twice', () => {
    expect(normalizeMessageText('&amp;quot;')).toBe('&quot;');
  });
});
