import { Writable } from 'node:stream';
import pino from 'pino';
import { startBot, type RunningBot } from '../../../src/bootstrap';
import { loadConfig } from '../../../src/config';
import { feedKeys } from '../../../src/feed/model';
import { redactedPaths } from '../../../src/logger';
import { MemoryStore } from '../../../src/store';
import { channelCardAction, channelId, channelMessage } from '../../support/activities';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { fault, startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { graphAlert, secret, sendAlerts, waitFor } from '../feed/support';
import { FaultTally, gapsBetween, seconds } from './fault-tally';

/**
 * Faults (issue 10), the Bot Connector throttling: the alert feed posts cards to a channel through a connector that
 * answers 429 with Retry-After and 502/503 for a while (a fault proxy in front of the loopback connector fake,
 * which times every call). Every alert ends up posted exactly once, the waits honour Retry-After, and the figures
 * are printed. A button click whose answer goes proactively into the alert's thread is retried by the Bot
 * Connector client when throttled briefly; throttled for longer, it fails with a logged error, the bot keeps
 * serving, and a later click answers. Not there yet: such a reply is logged as code "internal" (the connector's
 * RestError is not translated) and is not kept for a later retry the way the feed's outbox keeps alert cards.
 */

const tally = new FaultTally('faults (connector)');
const store = new MemoryStore();
const logLines: string[] = [];
let connector: FakeConnector;
let proxy: FaultProxy;
let bot: RunningBot;
let botUrl: string;
let serviceUrl: string;

/** The channel root: new posts (alert cards). Thread replies go to `${channel};messageid=…`. */
const CHANNEL_POSTS = `POST /v3/conversations/${encodeURIComponent(channelId)}/activities`;
const THREAD_POSTS = `POST /v3/conversations/${encodeURIComponent(`${channelId};messageid=`)}`;

beforeAll(async () => {
  connector = await startFakeConnector();
  proxy = await startFaultProxy(connector.url);
  serviceUrl = `${proxy.url}/`;
  // The app's pino configuration (with its redaction), writing JSON lines into memory.
  const logger = pino(
    { level: 'info', redact: { paths: redactedPaths, censor: '[redacted]' } },
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        logLines.push(chunk.toString());
        callback();
      },
    }),
  );
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    STORE: 'memory',
    LOG_LEVEL: 'info',
    KQL_WARMUP: 'false',
    ALERTS_WEBHOOK_SECRET: secret,
  });
  // Production backs off from 1 s; 200 ms keeps the suite short. Retry-After still sets the floor of each wait.
  bot = await startBot(config, logger, { store }, { worker: { baseBackoffMs: 200, maxBackoffMs: 2000, idleMs: 50 } });
  botUrl = bot.server.url;
  const subscribed = await postActivity(channelMessage('use this channel for alerts low and above', { serviceUrl }));
  expect(subscribed.status).toBe(200);
});
afterAll(async () => {
  await bot?.shutdown(1000);
  await proxy?.stop();
  await connector?.stop();
  console.log(tally.summary());
});
beforeEach(() => {
  proxy.recover();
  proxy.only(undefined);
  proxy.requests.length = 0;
  connector.reset();
  logLines.length = 0;
});

async function postActivity(activity: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const response = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const alertIdOf = (body: Record<string, unknown>) => /"alertId":"([^"]+)"/.exec(JSON.stringify(body))?.[1];
const postedActivityId = async (alertId: string): Promise<string | undefined> =>
  (await store.get<any>(feedKeys.alert(alertId)))?.value.posts[channelId]?.activityId;
const outboxEmpty = async () => (await store.list(feedKeys.outboxPrefix)).length === 0 || undefined;

describe('the alert feed while the Bot Connector throttles', () => {
  it('posts every alert exactly once, honouring Retry-After, and the figures are printed', async () => {
    await tally.run('feed: 429 (Retry-After 1 s) and 502/503 on channel posts', async () => {
      const ids = ['th-1', 'th-2', 'th-3', 'th-4', 'th-5', 'th-6'];
      proxy.only(CHANNEL_POSTS);
      proxy.script(
        fault.status(429, 1),
        fault.status(503),
        fault.status(429, 1),
        fault.status(502),
        fault.status(429, 1),
      );
      const sentAt = Date.now();
      const accepted = await sendAlerts(
        botUrl,
        ids.map((id) => graphAlert(id)),
      );
      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({ new: ids.length });
      for (const id of ids) await waitFor(() => postedActivityId(id), `the post of ${id}`, 30_000);
      await waitFor(outboxEmpty, 'an empty outbox', 10_000);
      const lastPostedAt = Date.now();

      // No loss, no duplicate: the connector fake holds each alert's card once, and each record its own post.
      const posted = connector
        .cards()
        .filter((entry) => entry.call.method === 'POST' && entry.call.conversationId === channelId)
        .map((entry) => alertIdOf(entry.card) ?? alertIdOf(entry.call.body));
      expect([...posted].sort()).toEqual([...ids].sort());
      const activityIds = await Promise.all(ids.map(postedActivityId));
      expect(new Set(activityIds).size).toBe(ids.length);

      // Retry-After honoured: after each 429 the next post to the channel came at least 1 s later.
      const channelPosts = proxy.requests.filter((request) =>
        `${request.method} ${request.path}`.startsWith(CHANNEL_POSTS),
      );
      const waitsAfter429 = channelPosts
        .map((request, index) => ({ request, next: channelPosts[index + 1] }))
        .filter(({ request, next }) => request.status === 429 && next !== undefined)
        .map(({ request, next }) => next.at - request.at);
      expect(waitsAfter429).toHaveLength(3);
      for (const wait of waitsAfter429) expect(wait).toBeGreaterThanOrEqual(990);
      const throttled = channelPosts.filter((request) => request.status === 429).length;
      const failed5xx = channelPosts.filter((request) => (request.status ?? 0) >= 500).length;
      expect(channelPosts.filter((request) => request.status === 200)).toHaveLength(ids.length);

      tally.figure('feed alerts sent / posted / duplicates', `${ids.length} / ${posted.length} / 0`);
      tally.figure(
        'feed connector answers',
        `${channelPosts.length} posts: ${throttled} × 429, ${failed5xx} × 5xx, ${ids.length} × 200 ` +
          `(${channelPosts.length - ids.length} retries)`,
      );
      tally.figure('feed waits after a 429 (Retry-After 1 s)', waitsAfter429.map((wait) => `${wait} ms`).join(', '));
      tally.figure(
        'feed waits after each failed post',
        gapsBetween(channelPosts.map((request) => request.at))
          .slice(0, channelPosts.length - ids.length)
          .map((gap) => `${gap} ms`)
          .join(', '),
      );
      tally.figure('feed max lag (webhook accepted → last card posted)', seconds(lastPostedAt - sentAt));
    });
  });
});

describe('a button answer posted into the thread while the Bot Connector throttles', () => {
  let postId: string;
  const alertId = 'da-1004';
  beforeAll(async () => {
    await sendAlerts(botUrl, graphAlert(alertId, { title: 'Suspicious access to LSASS service' }));
    postId = await waitFor(() => postedActivityId(alertId), 'the posted card', 10_000);
    await waitFor(outboxEmpty, 'an empty outbox', 10_000);
  });

  const click = () =>
    postActivity(channelCardAction('explainAlert', { alertId, origin: 'feed' }, { serviceUrl, postId }));
  const threadReplies = () =>
    proxy.requests.filter((request) => `${request.method} ${request.path}`.startsWith(THREAD_POSTS));
  const work = async () => (await store.get<any>(feedKeys.alert(alertId)))?.value.work?.explain?.state;

  it('briefly throttled: the client retries after Retry-After and the answer is posted once', async () => {
    await tally.run('thread reply: two 429s (Retry-After 1 s)', async () => {
      proxy.only(THREAD_POSTS);
      proxy.script(fault.status(429, 1), fault.status(429, 1));
      const response = await click();
      expect(response.status).toBe(200);
      expect(response.body.type).toBe('application/vnd.microsoft.card.adaptive');
      await waitFor(async () => ((await work()) === 'done' ? true : undefined), 'the explanation done', 15_000);
      const replies = threadReplies();
      expect(replies.map((request) => request.status)).toEqual([429, 429, 200]);
      const gaps = gapsBetween(replies.map((request) => request.at));
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(990);
      const answers = connector.cards().filter((entry) => entry.call.conversationId.startsWith(`${channelId};`));
      expect(answers).toHaveLength(1);
      tally.figure('thread reply waits after a 429 (Retry-After 1 s)', gaps.map((gap) => `${gap} ms`).join(', '));
    });
  });

  it('throttled for longer: the answer fails with a logged error, the bot keeps serving, a later click answers', async () => {
    await tally.run('thread reply: sustained 429, then recovery', async () => {
      proxy.only(THREAD_POSTS);
      proxy.down(fault.status(429, 0));
      // The explanation was posted by the case before; a new revision of the alert lets it be asked again.
      await store.put(feedKeys.alert(alertId), { ...(await store.get<any>(feedKeys.alert(alertId)))!.value, work: {} });
      expect((await click()).status).toBe(200);
      await waitFor(async () => ((await work()) === 'failed' ? true : undefined), 'the explanation failed', 15_000);
      const attempts = threadReplies().length;
      // The Bot Connector client's own retries (it honours Retry-After) ran out for the answer and for the error
      // card that reports it; both failures are logged with the connector's status, and nothing crashed.
      const errors = logLines.filter((line) => line.includes('"level":50'));
      expect(errors.find((line) => line.includes('"msg":"turn failed"'))).toMatch(/"statusCode":429/);
      expect(errors.find((line) => line.includes('"msg":"could not deliver the error card"'))).toMatch(
        /"statusCode":429/,
      );
      expect(errors.find((line) => line.includes('"msg":"turn failed"'))).toMatch(/"code":"internal"/);
      expect((await fetch(`${botUrl}/healthz`)).status).toBe(200);

      proxy.recover();
      const again = await click();
      expect(again.status).toBe(200);
      await waitFor(async () => ((await work()) === 'done' ? true : undefined), 'the explanation done', 15_000);
      const answers = connector.cards().filter((entry) => entry.call.conversationId.startsWith(`${channelId};`));
      expect(answers.length).toBeGreaterThanOrEqual(1);
      tally.figure(
        'thread reply under sustained 429',
        `${attempts} attempts, then given up and logged; next click answered`,
      );
    });
  });
});
