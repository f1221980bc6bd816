import type { CardText } from '../../../src/cards/card-text';
import {
  bold,
  joinText,
  label,
  LIMITS,
  neutraliseMarkdown,
  text,
  truncate,
  truncateCodeUnits,
} from '../../../src/cards/card-text';

describe('text', () => {
  it('defangs indicators', () => {
    expect(text('Beacon to https://c2.evil.example/gate from 10.0.0.5 by bob@contoso.com')).toBe(
      'Beacon to hxxps://c2[.]evil[.]example/gate from 10.0.0[.]5 by bob[@]contoso[.]com',
    );
  });

  it('breaks Markdown links, images and reference definitions', () => {
    expect(text('[click](http://evil.example)')).toBe('[click] (hxxp://evil[.]example)');
    expect(text('![x](http://evil.example/x.png)')).toBe('! [x] (hxxp://evil[.]example/x.png)');
    expect(text('[docs]\n[docs]: http://evil.example')).toBe('[docs]\n[docs] : hxxp://evil[.]example');
    expect(text('[a]( http://evil.example)')).not.toContain('](');
  });

  it('breaks mentions, tags and angle-bracket autolinks', () => {
    expect(text('<at>everyone</at>')).toBe('‹at›everyone‹/at›');
    expect(text('&lt;at&gt;General&lt;/at&gt;')).toBe('‹at›General‹/at›');
    expect(text('<mailto:x@evil.example>')).toBe('‹mailto:x[@]evil[.]example›');
    expect(text('if a < b and c<5')).toBe('if a < b and c<5');
  });

  it('breaks bare autolinks the defanger leaves alone', () => {
    expect(text('www.intranet.corp and bob@contoso.local')).toBe('www[.]intranet.corp and bob[@]contoso.local');
  });

  it('makes direction overrides visible and drops control characters', () => {
    expect(text('invoice\u202Efdp.exe')).toBe('invoice[U+202E]fdp.exe');
    expect(text('a\u0000b\u0007c\td\ne')).toBe('abc\td\ne');
  });

  it('keeps ordinary analyst text readable', () => {
    const value = 'powershell.exe -nop -w hidden -enc SQBFAFgA (T1059.001), v1.2.3 on C:\\Windows\\Temp\\a.ps1';
    expect(text(value)).toBe(value);
  });

  it('truncates to the limit with an ellipsis after defanging', () => {
    expect(text('abcdefghij', 5)).toBe('abcd…');
    expect(Array.from(text('x'.repeat(1000), LIMITS.title))).toHaveLength(LIMITS.title);
    expect(text('evil.com', 9)).toBe('evil[.]c…');
  });

  it('uses the default limit for list items', () => {
    expect(Array.from(text('y'.repeat(10_000)))).toHaveLength(LIMITS.listItem);
  });
});

describe('truncate', () => {
  it('counts code points and never splits a surrogate pair', () => {
    expect(truncate('😀😀😀', 3)).toBe('😀😀😀');
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncateCodeUnits('a😀b', 3)).toBe('a…');
    expect(truncateCodeUnits('ab😀', 4)).toBe('ab😀');
    expect(truncateCodeUnits('abcdef', 4)).toBe('abc…');
  });
});

describe('neutraliseMarkdown', () => {
  it('is stable on its own output', () => {
    const once = neutraliseMarkdown('[a](b) ![c](d) <at>x</at> www.x.y a@b http://q');
    expect(neutraliseMarkdown(once)).toBe(once);
  });
});

describe('joinText', () => {
  it('joins with our separator', () => {
    expect(joinText([label('a'), label('b')], ' · ')).toBe('a · b');
  });

  it('puts a space in seams that would form a link, image or mention', () => {
    expect(joinText([text('[click]'), text('(hxxp://x)')])).toBe('[click] (hxxp://x)');
    expect(joinText([text('wow!'), text('[x]')])).toBe('wow! [x]');
    expect(joinText([text('a <'), text('at>b')])).toBe('a < at>b');
  });

  it('bolds non-empty text only', () => {
    expect(bold(text(' High '))).toBe('**High**');
    expect(bold('' as CardText)).toBe('');
  });
});

describe('text on huge input', () => {
  it('gives the same result as on the whole input, quickly', () => {
    const head = 'Contacted https://login.evil.example/a and 10.0.0.1 from ws1. ';
    const huge = head.repeat(4000);
    const started = Date.now();
    const shown = text(huge, 300);
    expect(Date.now() - started).toBeLessThan(200);
    expect(shown).toBe(text(huge.slice(0, 5000), 300));
    expect(shown.startsWith('Contacted hxxps://login[.]evil[.]example/a and 10.0.0[.]1')).toBe(true);
  });

  it('marks the cut with an ellipsis even when neutralising shortened the rest', () => {
    const shown = text('&lt;b'.repeat(5000), 1000);
    expect(shown.endsWith('…')).toBe(true);
    expect(Array.from(shown).length).toBeLessThanOrEqual(1000);
  });

  it('does not split a surrogate pair at the cut', () => {
    const shown = text('a' + '😀'.repeat(10_000), 5_000);
    expect(shown).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(shown.endsWith('…')).toBe(true);
  });
});
