import { startBot, type RunningBot } from '../../src/bootstrap';
import { loadConfig } from '../../src/config';
import { silentLogger, type Logger } from '../../src/logger';
import type { Services } from '../../src/services';
import { MemoryStore } from '../../src/store';

export interface TestBot {
  url: string;
  bot: RunningBot;
  /** POSTs an activity to /api/messages. */
  post(activity: Record<string, unknown>): Promise<{ status: number; headers: Headers; body: any }>;
  stop(): Promise<void>;
}

/** The real bot (server, adapter, routes) on a free loopback port, with a memory store and no LLM. */
export async function startTestBot(
  options: {
    environment?: Record<string, string>;
    overrides?: Partial<Omit<Services, 'config' | 'logger'>>;
    logger?: Logger;
  } = {},
): Promise<TestBot> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    STORE: 'memory',
    LOG_LEVEL: 'silent',
    KQL_WARMUP: 'false',
    ...options.environment,
  });
  const bot = await startBot(config, options.logger ?? silentLogger(), {
    store: new MemoryStore(),
    ...options.overrides,
  });
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
