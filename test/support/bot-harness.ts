import { startBot, type RunningBot } from '../../src/bootstrap';
import { loadConfig } from '../../src/config';
import { silentLogger, type Logger } from '../../src/logger';
import type { Services } from '../../src/services';
import { MemoryStore } from '../../src/store';
import type { AlertFeedRuntimeOptions } from '../../src/teams/feed/runtime';
import { expectValidCard } from './cards';
import { startFakeConnector, type FakeConnector } from './fake-connector';

export interface TestBot {
  url: string;
  bot: RunningBot;
  /** POSTs an activity to /api/messages. */
  post(activity: Record<string, unknown>): Promise<{ status: number; headers: Headers; body: any }>;
  stop(): Promise<void>;
}

export interface TestBotOptions {
  environment?: Record<string, string>;
  overrides?: Partial<Omit<Services, 'config' | 'logger'>>;
  logger?: Logger;
  /** Alert feed runtime options (worker backoffs, …). */
  feed?: AlertFeedRuntimeOptions;
}

/** The real bot (server, adapter, routes) on a free loopback port, with a memory store and no LLM. */
export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    STORE: 'memory',
    LOG_LEVEL: 'silent',
    KQL_WARMUP: 'false',
    ...options.environment,
  });
  const bot = await startBot(
    config,
    options.logger ?? silentLogger(),
    { store: new MemoryStore(), ...options.overrides },
    options.feed,
  );
  const url = bot.server.url;
  return {
    url,
    bot,
    async post(activity) {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
    },
    stop: () => bot.shutdown(1000),
  };
}

export interface ConnectedBot {
  connector: FakeConnector;
  testBot: TestBot;
}

/**
 * Registers jest hooks that start a loopback Bot Connector and the test bot before the file's (or describe block's)
 * tests and stop both after them. The fields are set once the beforeAll hook has run: read them inside tests.
 */
export function useConnectedBot(options: TestBotOptions = {}): ConnectedBot {
  const running = {} as ConnectedBot;
  beforeAll(async () => {
    running.connector = await startFakeConnector();
    running.testBot = await startTestBot(options);
  });
  afterAll(async () => {
    await running.testBot.stop();
    await running.connector.stop();
  });
  return running;
}

/** The Adaptive Cards in the activities of an expectReplies body. */
export function repliedCards(
  body: { activities?: Array<Record<string, any>> } | undefined,
): Array<Record<string, any>> {
  return (body?.activities ?? []).flatMap((activity) =>
    ((activity.attachments ?? []) as Array<{ contentType: string; content: Record<string, any> }>)
      .filter((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')
      .map((attachment) => attachment.content),
  );
}

/** POSTs an expectReplies activity and returns the cards of the answer, after checking HTTP 200 and every card. */
export async function validRepliedCards(
  testBot: TestBot,
  activity: Record<string, unknown>,
): Promise<Array<Record<string, any>>> {
  const response = await testBot.post(activity);
  expect(response.status).toBe(200);
  const cards = repliedCards(response.body);
  cards.forEach((card) => expectValidCard(card));
  return cards;
}

/** The same for an answer of exactly one card. */
export async function onlyRepliedCard(
  testBot: TestBot,
  activity: Record<string, unknown>,
): Promise<Record<string, any>> {
  const response = await testBot.post(activity);
  expect(response.status).toBe(200);
  const cards = repliedCards(response.body);
  expect(cards).toHaveLength(1);
  expectValidCard(cards[0]);
  return cards[0];
}
