import { cardProblems, expectValidCard, TEAMS_LIMIT_BYTES } from '../../support/cards';

/** The card helper is the oracle for every card test, so it must be shown to fail. */

const base = { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5' };
const validCard = {
  ...base,
  body: [
    { type: 'TextBlock', text: 'Hello', wrap: true, id: 'greeting' },
    {
      type: 'TextBlock',
      text: '[T1059.001 PowerShell](https://attack.mitre.org/techniques/T1059/001/)',
      wrap: true,
    },
  ],
  actions: [
    { type: 'Action.Execute', title: 'Explain', verb: 'explainAlert', data: { alertId: 'a1', note: 'http://x.test' } },
    { type: 'Action.ToggleVisibility', title: 'Toggle', targetElements: ['greeting'] },
    { type: 'Action.OpenUrl', title: 'Portal', url: 'https://security.microsoft.com/alerts/a1' },
  ],
};

describe('expectValidCard', () => {
  it('accepts a valid 1.5 card with our own links', () => {
    expect(cardProblems(validCard)).toEqual([]);
    expect(() => expectValidCard(validCard)).not.toThrow();
  });

  it('rejects something that is not a card', () => {
    expect(() => expectValidCard({ type: 'Message' })).toThrow(/not an AdaptiveCard/);
    expect(() => expectValidCard(null)).toThrow(/not an AdaptiveCard/);
  });

  it('rejects an unknown element type', () => {
    const card = { ...base, body: [{ type: 'FancyBlock', text: 'x' }] };
    expect(() => expectValidCard(card)).toThrow(/UnknownElementType: Unknown element type .*FancyBlock/);
  });

  it('rejects an element that only exists in 1.6', () => {
    const card = {
      ...base,
      body: [
        { type: 'TextBlock', text: 'x', wrap: true },
        { type: 'Carousel', pages: [] },
      ],
    };
    expect(cardProblems(card)).toEqual([expect.stringMatching(/UnknownElementType: .*"Carousel"/)]);
  });

  it('rejects a property that only exists in 1.6', () => {
    const card = {
      ...base,
      body: [{ type: 'TextBlock', text: 'x' }],
      actions: [{ type: 'Action.Execute', title: 'x', role: 'Link' }],
    };
    expect(cardProblems(card).join('\n')).toMatch(/"role" is supported in version 1.6/);
  });

  it('rejects a version other than 1.5', () => {
    expect(cardProblems({ ...base, version: '1.6', body: [{ type: 'TextBlock', text: 'x' }] })).toEqual([
      'version must be "1.5", got "1.6"',
    ]);
  });

  it('rejects invalid property values, typos and dangling toggle targets', () => {
    const card = {
      ...base,
      body: [{ type: 'TextBlock', text: 'x', color: 'purple', colour: 'good' }],
      actions: [{ type: 'Action.ToggleVisibility', title: 't', targetElements: ['missing'] }],
    };
    expect(cardProblems(card)).toEqual([
      expect.stringMatching(/InvalidPropertyValue: Invalid value "purple" for property "color"/),
      'card.body[0]: property "colour" is not in the 1.5 schema of TextBlock',
      'toggle target "missing" does not exist',
    ]);
  });

  it('rejects an empty body', () => {
    expect(cardProblems({ ...base, body: [] })).toEqual(['body is empty']);
  });

  it('rejects a card over 28 KB', () => {
    const card = { ...base, body: [{ type: 'TextBlock', text: 'x'.repeat(TEAMS_LIMIT_BYTES), wrap: true }] };
    expect(() => expectValidCard(card)).toThrow(/over the 28672-byte Teams limit/);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const card = { ...base, body: [{ type: 'TextBlock', text: 'é'.repeat(15_000), wrap: true }] };
    expect(cardProblems(card)).toEqual([expect.stringMatching(/over the 28672-byte Teams limit/)]);
  });

  it.each([
    ['an OpenUrl action to another host', { type: 'Action.OpenUrl', title: 'x', url: 'https://evil.example/' }],
    ['an OpenUrl action over http', { type: 'Action.OpenUrl', title: 'x', url: 'http://security.microsoft.com/' }],
    ['a look-alike portal host', { type: 'Action.OpenUrl', title: 'x', url: 'https://portal.azure.com.evil.example/' }],
  ])('rejects %s', (_name, action) => {
    const card = { ...base, body: [{ type: 'TextBlock', text: 'x' }], actions: [action] };
    expect(cardProblems(card)).toEqual([expect.stringMatching(/^card\.actions\[0\]\.url: link to/)]);
  });

  it.each([
    ['a Markdown link', 'see [click](http://evil.example)', /Markdown link to http:\/\/evil.example/],
    ['a Markdown image', '![x](https://attack.mitre.org/x.png)', /Markdown image/],
    ['a mention', 'hi <at>everyone</at>', /mention/],
    ['a raw URL', 'go to https://evil.example/payload now', /raw URL https:\/\/evil.example\/payload/],
    ['a www autolink', 'go to www.evil.example', /www autolink/],
  ])('rejects %s in text', (_name, value, expected) => {
    const card = { ...base, body: [{ type: 'FactSet', facts: [{ title: 'x', value }] }] };
    expect(() => expectValidCard(card)).toThrow(expected);
  });

  it('rejects images', () => {
    const card = { ...base, body: [{ type: 'Image', url: 'https://evil.example/pixel.png' }] };
    expect(cardProblems(card)).toEqual([
      'card.body[0]: Image elements are not allowed',
      'card.body[0].url: link to https://evil.example/pixel.png',
    ]);
  });
});
