import type { AdaptiveCard, CardAction, CardElement } from './card-kit';
import { LIMITS, adaptiveCard, executeAction, joinText, label, text, textBlock } from './card-kit';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';
import { VERBS } from './verbs';

export interface ClarifyChoice {
  /** What the button says ("Incident 42 · Ransomware on FS-01"). Attacker-influenced titles are fine: sanitised. */
  title: string;
  /** The command the button runs, exactly as if the analyst had typed it ("investigate incident 42"). */
  command: string;
}

/** Teams shows at most six buttons in a row before it folds them into "…". */
const MAXIMUM_CHOICES = 5;

/**
 * A short question instead of a guess: what was asked (echoed safely), what is missing, and buttons that run
 * the likely commands. Each button sends a command back through the same routing and permission checks as
 * typed text, so a button can do nothing the analyst could not type.
 */
export function clarifyCard(input: {
  asked: string;
  question: string;
  choices: ClarifyChoice[];
  hint?: string;
}): AdaptiveCard {
  const body: CardElement[] = [
    textBlock(joinText([label('You asked “'), text(input.asked, LIMITS.echo), label('”.')]), { weight: 'bolder' }),
    textBlock(text(input.question, LIMITS.note), { spacing: 'small' }),
  ];
  if (input.hint !== undefined) body.push(textBlock(text(input.hint, LIMITS.note), { isSubtle: true, size: 'small' }));
  const actions: CardAction[] = input.choices
    .slice(0, MAXIMUM_CHOICES)
    .map((choice) =>
      executeAction(shortTitle(choice.title), VERBS.runCommand, { command: choice.command.slice(0, 2000) }),
    );
  return fitCard(adaptiveCard(body, actions), CARD_BUDGET_BYTES).card;
}

/** Button titles are plain text in Teams (no Markdown), but long ones are cut by the client anyway. */
function shortTitle(title: string): string {
  const single = title.replace(/\s+/g, ' ').trim();
  return single.length <= 60 ? single : `${single.slice(0, 59)}…`;
}
