import type { AdaptiveCard, CardElement } from './card-kit';
import {
  LIMITS,
  adaptiveCard,
  bold,
  container,
  executeAction,
  heading,
  joinText,
  label,
  subtleNote,
  text,
  textBlock,
} from './card-kit';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';
import { VERBS } from './verbs';

/** Cards that tell people what the bot can do: on install, on "help", and when it did not understand. */

export interface CapabilityGuide {
  title: string;
  description: string;
  examples: string[];
}

const MAX_EXAMPLES = 6;

export function welcomeCard(input: { botName: string; examples: string[] }): AdaptiveCard {
  const botName = text(input.botName, LIMITS.label);
  const body: CardElement[] = [
    heading(joinText([label("Hi, I'm"), botName], ' '), { size: 'large', spacing: 'none' }),
    textBlock(
      text(
        // What the bot can do is listed by "help" (generated from the routing table), not promised here.
        'I am an AI security analyst for your SOC. Mention me in a channel, or chat with me here; ' +
          '"help" lists everything I can do.',
        LIMITS.note,
      ),
    ),
  ];
  if (input.examples.length > 0) {
    body.push(heading(label('Try asking')), ...exampleLines(input.examples));
  }
  body.push(
    subtleNote(
      text('Indicators in my answers are defanged (hxxps, [.]) so that nothing is clickable by accident.', LIMITS.note),
      {
        spacing: 'medium',
      },
    ),
  );
  return fitCard(adaptiveCard(body, [executeAction('Show help', VERBS.showHelp, {})]), CARD_BUDGET_BYTES).card;
}

export function helpCard(input: { botName: string; entries: CapabilityGuide[] }): AdaptiveCard {
  const body: CardElement[] = [
    heading(joinText([label('What'), text(input.botName, LIMITS.label), label('can do')], ' '), {
      size: 'large',
      spacing: 'none',
    }),
    ...input.entries.map((entry, index) =>
      container(
        [
          textBlock(bold(text(entry.title, LIMITS.label))),
          textBlock(text(entry.description, LIMITS.listItem), { spacing: 'none' }),
          ...exampleLines(entry.examples),
        ],
        { separator: index > 0, spacing: 'medium' },
      ),
    ),
  ];
  return fitCard(adaptiveCard(body), CARD_BUDGET_BYTES).card;
}

/** A short "here is what I can do" reply that echoes the input safely, so people see what was read. */
export function unknownInputCard(input: { input: string; entries: CapabilityGuide[] }): AdaptiveCard {
  const echoed = input.input.trim();
  const opening =
    echoed === ''
      ? label("I didn't catch that.")
      : joinText([label("I didn't understand “"), text(echoed, LIMITS.echo), label('”.')]);
  const body: CardElement[] = [
    textBlock(opening, { weight: 'bolder' }),
    textBlock(label('Here is what I can do:'), { spacing: 'small' }),
    ...input.entries.map((entry, index) => {
      const example = entry.examples[0];
      const line =
        example === undefined
          ? bold(text(entry.title, LIMITS.label))
          : joinText(
              [
                bold(text(entry.title, LIMITS.label)),
                joinText([label('e.g. “'), text(example, LIMITS.echo), label('”')]),
              ],
              ' — ',
            );
      return textBlock(joinText([label('•'), line], ' '), { spacing: index === 0 ? 'small' : 'none' });
    }),
  ];
  return fitCard(adaptiveCard(body, [executeAction('Show help', VERBS.showHelp, {})]), CARD_BUDGET_BYTES).card;
}

function exampleLines(examples: readonly string[]): CardElement[] {
  return examples.slice(0, MAX_EXAMPLES).map((example, index) =>
    textBlock(joinText([label('•'), joinText([label('“'), text(example, LIMITS.listItem), label('”')])], ' '), {
      isSubtle: true,
      spacing: index === 0 ? 'small' : 'none',
    }),
  );
}
