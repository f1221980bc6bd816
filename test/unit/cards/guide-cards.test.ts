import type { CapabilityGuide } from '../../../src/cards/guide-cards';
import { helpCard, unknownInputCard, welcomeCard } from '../../../src/cards/guide-cards';
import { VERBS } from '../../../src/cards/verbs';
import { expectValidCard, renderedText } from '../../support/cards';

const entries: CapabilityGuide[] = [
  {
    title: 'Explain an alert',
    description: 'Plain-language explanation of an alert for anyone on the team.',
    examples: ['explain alert da638412345678901234', 'what does alert 42 mean?'],
  },
  {
    title: 'Analyze indicators',
    description: 'Verdicts and context for IPs, domains, URLs and hashes.',
    examples: ['analyze 203.0.113.7 and evil.example'],
  },
  { title: 'Write KQL', description: 'Turn a question into a time-bounded query.', examples: [] },
];

describe('welcomeCard', () => {
  it('greets with the bot name, examples and a help button', () => {
    const card = welcomeCard({ botName: 'SOC Copilot', examples: ['explain alert 42', 'analyze evil.example'] });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain("Hi, I'm SOC Copilot");
    expect(shown).toContain('• “explain alert 42”');
    expect(shown).toContain('• “analyze evil[.]example”');
    expect(card.actions).toEqual([{ type: 'Action.Execute', title: 'Show help', verb: VERBS.showHelp, data: {} }]);
  });

  it('has no example section without examples', () => {
    const card = welcomeCard({ botName: 'SOC Copilot', examples: [] });
    expectValidCard(card);
    expect(renderedText(card)).not.toContain('Try asking');
  });
});

describe('helpCard', () => {
  it('lists every capability with its description and examples', () => {
    const card = helpCard({ botName: 'SOC Copilot', entries });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('What SOC Copilot can do');
    expect(shown).toContain('**Explain an alert**');
    expect(shown).toContain('Verdicts and context for IPs, domains, URLs and hashes.');
    expect(shown).toContain('• “analyze 203.0.113[.]7 and evil[.]example”');
    expect(card.body).toHaveLength(1 + entries.length);
  });

  it('stays valid with many long entries', () => {
    const many = Array.from({ length: 80 }, (_, index) => ({
      title: `Capability ${index}`,
      description: 'd'.repeat(2000),
      examples: Array.from({ length: 20 }, () => 'e'.repeat(1000)),
    }));
    expectValidCard(helpCard({ botName: 'SOC Copilot', entries: many }));
  });
});

describe('unknownInputCard', () => {
  it('echoes the input and lists what the bot can do, with one example each', () => {
    const card = unknownInputCard({ input: 'please fix the printer', entries });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain("I didn't understand “please fix the printer”.");
    expect(shown).toContain('• **Explain an alert** — e.g. “explain alert da638412345678901234”');
    expect(shown).toContain('• **Write KQL**');
    expect(shown).not.toContain('what does alert 42 mean?');
    expect(card.actions).toEqual([expect.objectContaining({ verb: VERBS.showHelp })]);
  });

  it('truncates, defangs and neutralises the echoed input', () => {
    const input = `[click](http://evil.example) <at>everyone</at> ${'x'.repeat(5000)}`;
    const card = unknownInputCard({ input, entries });
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('[click] (hxxp://evil[.]example) ‹at›everyone‹/at›');
    expect(shown).not.toContain('x'.repeat(200));
    expect(shown).toMatch(/x…”\./);
  });

  it('handles empty input', () => {
    const card = unknownInputCard({ input: '   ', entries });
    expectValidCard(card);
    expect(renderedText(card)).toContain("I didn't catch that.");
  });
});
