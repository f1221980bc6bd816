import { helpCard, unknownInputCard, welcomeCard } from '../../cards';
import { helpEntries } from '../routes';
import type { MessageHandler, Responder } from './types';

export const help: MessageHandler = async (turn) => {
  await turn.responder.sendCard(helpCard({ botName: turn.services.config.botName, entries: helpEntries() }));
};

export const unknownInput: MessageHandler = async (turn) => {
  await turn.responder.sendCard(unknownInputCard({ input: turn.text, entries: helpEntries() }));
};

export async function sendWelcome(botName: string, responder: Responder): Promise<void> {
  const examples = helpEntries().flatMap((entry) => entry.examples.slice(0, 1));
  await responder.sendCard(welcomeCard({ botName, examples }));
}

export const greeting: MessageHandler = async (turn) => {
  await sendWelcome(turn.services.config.botName, turn.responder);
};
