import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import { createServices } from '../../../src/bootstrap';
import { loadConfig } from '../../../src/config';
import { silentLogger } from '../../../src/logger';
import { MemoryStore } from '../../../src/store';
import { createBotAdapter } from '../../../src/teams/adapter';
import { createTeamsBot, type TeamsBot } from '../../../src/teams/bot';
import { personalMessage } from '../../support/activities';

/** A memory store that logs its reads and writes of the thread memory (keys `threads/…`). */
class RecordingStore extends MemoryStore {
  threadAccess: Array<'get' | 'put'> = [];
  override async get<T>(key: string) {
    if (key.startsWith('threads/')) this.threadAccess.push('get');
    return super.get<T>(key);
  }
  override async put<T>(key: string, value: T, options?: Parameters<MemoryStore['put']>[2]) {
    if (key.startsWith('threads/')) this.threadAccess.push('put');
    return super.put(key, value, options);
  }
}

/** One expectReplies turn through the adapter, without an HTTP server; resolves with the reply activities. */
async function turn(bot: TeamsBot, activity: Record<string, unknown>): Promise<Array<Record<string, any>>> {
  let body: { activities?: Array<Record<string, any>> } | undefined;
  const response = {
    socket: {},
    status: () => response,
    header: () => response,
    send: (sent: unknown) => {
      body = sent as typeof body;
      return response;
    },
    end: () => response,
  };
  const request = { body: activity, headers: {}, method: 'POST' };
  await bot.process(request as unknown as Request, response as unknown as Response, randomUUID());
  return body?.activities ?? [];
}

describe('thread memory reads', () => {
  it('"run it" reads the thread memory once for the router and the hunt, then updates it', async () => {
    const store = new RecordingStore();
    const config = loadConfig({ STORE: 'memory', LOG_LEVEL: 'silent', KQL_WARMUP: 'false' });
    const services = await createServices(config, silentLogger(), { store, llm: undefined });
    const bot = createTeamsBot(services, createBotAdapter(undefined, silentLogger()));
    const conversation = { id: `a:personal-${randomUUID()}`, conversationType: 'personal' };

    await turn(bot, { ...personalMessage('investigate incident 1'), conversation });
    await turn(bot, { ...personalMessage('hunt for encoded PowerShell in defender'), conversation });
    store.threadAccess = [];
    const replies = await turn(bot, { ...personalMessage('run it'), conversation });

    expect(JSON.stringify(replies)).toContain('Query results');
    // One read to resolve "run it" and to file the run under the thread's incident; then the turn's own update
    // of the memory (a read for its etag, and the write).
    expect(store.threadAccess).toEqual(['get', 'get', 'put']);
    await bot.drain(1000);
  });
});
