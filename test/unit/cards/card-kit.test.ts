import {
  OPTIONAL,
  SEVERITY_STYLES,
  actionSet,
  adaptiveCard,
  cardTime,
  collapsibleText,
  column,
  columnSet,
  container,
  executeAction,
  factSet,
  heading,
  label,
  openUrlAction,
  optional,
  severityStyle,
  showCardAction,
  text,
  textBlock,
  toggleVisibilityAction,
} from '../../../src/cards/card-kit';
import { attackTechniqueUrl } from '../../../src/cards/links';
import { VERBS } from '../../../src/cards/verbs';
import { expectValidCard } from '../../support/cards';

describe('card kit', () => {
  it('builds a valid 1.5 card from every element and action type we use', () => {
    const url = attackTechniqueUrl('T1059');
    if (url === undefined) throw new Error('expected a technique URL');
    const card = adaptiveCard(
      [
        heading(label('Title')),
        textBlock(text('body'), { isSubtle: true, size: 'small', color: 'warning' }),
        factSet([{ title: label('Host'), value: text('ws1.contoso.com') }]),
        columnSet([column([textBlock(label('a'))], 'auto'), column([textBlock(label('b'))])]),
        container([textBlock(label('in a box'))], { style: 'attention', bleed: true }),
        actionSet([toggleVisibilityAction('Toggle', ['hidden'])]),
        textBlock(label('hidden'), { id: 'hidden', isVisible: false }),
      ],
      [
        executeAction('Explain', VERBS.explainAlert, { alertId: 'a1' }, 'positive'),
        showCardAction('More', [textBlock(label('more'))]),
        openUrlAction('ATT&CK', url),
      ],
      { fullWidth: true },
    );
    expectValidCard(card);
    expect(card).toMatchObject({
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.5',
      msteams: { width: 'Full' },
    });
    expect(card.body[2]).toEqual({ type: 'FactSet', facts: [{ title: 'Host', value: 'ws1[.]contoso[.]com' }] });
  });

  it('leaves out actions and msteams when there are none', () => {
    const card = adaptiveCard([textBlock(label('x'))]);
    expect(card).not.toHaveProperty('actions');
    expect(card).not.toHaveProperty('msteams');
  });

  it('always wraps text and shows a dash instead of an empty block or fact', () => {
    expect(textBlock(text('  '))).toEqual({ type: 'TextBlock', text: '—', wrap: true });
    expect(factSet([{ title: label('User'), value: text('') }]).facts[0].value).toBe('—');
  });

  it('maps severity to colours', () => {
    expect(severityStyle('high')).toEqual({ container: 'attention', color: 'attention', label: 'High' });
    expect(severityStyle('medium').container).toBe('warning');
    expect(severityStyle('low').container).toBe('accent');
    expect(severityStyle('informational').container).toBe('default');
    expect(Object.keys(SEVERITY_STYLES).sort()).toEqual(['high', 'informational', 'low', 'medium']);
  });

  it('marks optional elements without putting the mark into the JSON', () => {
    const element = optional(textBlock(label('x')));
    expect(element[OPTIONAL]).toBe(true);
    expect(JSON.stringify(element)).toBe('{"type":"TextBlock","text":"x","wrap":true}');
  });

  it('collapses long text behind a toggle and keeps short text plain', () => {
    const long = 'word '.repeat(200);
    const collapsed = collapsibleText('what', text(long, 2000), text(long, 50));
    expect(collapsed).toHaveLength(3);
    expect(collapsed[0]).toMatchObject({ id: 'what-preview', text: expect.stringMatching(/…$/) });
    expect(collapsed[1]).toMatchObject({ id: 'what-full', isVisible: false });
    expect(collapsed[2]).toMatchObject({
      type: 'ActionSet',
      actions: [{ type: 'Action.ToggleVisibility', targetElements: ['what-preview', 'what-full'] }],
    });
    expectValidCard(adaptiveCard(collapsed));
    expect(collapsibleText('short', text('short'), text('short'))).toEqual([textBlock(text('short'))]);
  });

  it('renders times with the Adaptive Cards DATE and TIME functions in whole seconds', () => {
    expect(cardTime('2025-03-04T09:15:30.123Z')).toBe(
      '{{DATE(2025-03-04T09:15:30Z, SHORT)}} {{TIME(2025-03-04T09:15:30Z)}}',
    );
    expect(cardTime('2025-03-04T10:15:30+01:00')).toBe(
      '{{DATE(2025-03-04T09:15:30Z, SHORT)}} {{TIME(2025-03-04T09:15:30Z)}}',
    );
    expect(cardTime('yesterday at evil.com')).toBe('yesterday at evil[.]com');
    expect(cardTime(undefined)).toBe('—');
  });
});
