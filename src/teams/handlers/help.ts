import { helpCard, unknownInputCard, welcomeCard } from '../../cards';
import { helpEntries } from '../routes';
import type { AdaptiveCardJson, MessageHandler, Responder } from './types';

/**
 * The help and welcome cards depend only on the bot's name and the routing table, so each is built
 * once per name and reused: sanitising their text on every turn was a measurable share of a help turn.
 */
const builtCards = new Map<string, AdaptiveCardJson>();

function once(key: string, build: () => AdaptiveCardJson): AdaptiveCardJson {
  let card = builtCards.get(key);
  if (!card) {
    card = build();
    builtCards.set(key, card);
  }
  return card;
}

export const help: MessageHandler = async (turn) => {
  const botName = turn.services.config.botName;
  await turn.responder.sendCard(once(`help:${botName}`, () => helpCard({ botName, entries: helpEntries() })));
};

export const unknownInput: MessageHandler = async (turn) => {
  await turn.responder.sendCard(unknownInputCard({ input: turn.text, entries: helpEntries() }));
};

export async function sendWelcome(botName: string, responder: Responder): Promise<void> {
  const examples = helpEntries().flatMap((entry) => entry.examples.slice(0, 1));
  await responder.sendCard(once(`welcome:${botName}`, () => welcomeCard({ botName, examples })));
}

export const greeting: MessageHandler = async (turn) => {
  await sendWelcome(turn.services.config.botName, turn.responder);
};
