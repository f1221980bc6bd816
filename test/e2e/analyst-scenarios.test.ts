import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DevLoop } from './support/dev-loop';
import { cardText, type BotMessage } from './support/playground';

/**
 * The ways analysts use the bot, in Microsoft's local Teams client (the Agents Playground) over its own
 * HTTP/WebSocket API: asking in the SOC channel, running what the bot wrote, asking for a report in 1:1 chat,
 * follow-ups in a thread, and what a person sees when something is wrong.
 */

interface CardAction {
  type: string;
  title: string;
  url?: string;
  verb?: string;
  data?: Record<string, unknown>;
}

function actionsOf(message: BotMessage): CardAction[] {
  const card = message.attachments[0]?.content as { actions?: CardAction[] } | undefined;
  return card?.actions ?? [];
}

/** A DevLoop whose bot talks to an OpenAI-compatible endpoint known only once the fake is listening. */
class DevLoopWithFailingLlm {
  private loop: DevLoop | undefined;
  async startWith(baseUrl: string): Promise<void> {
    this.loop = new DevLoop({
      LLM_PROVIDER: 'openai-compatible',
      OPENAI_BASE_URL: baseUrl,
      OPENAI_API_KEY: 'test-key-not-secret',
      OPENAI_MODEL: 'fake-model',
    });
    await this.loop.start();
  }
  get playground() {
    if (!this.loop) throw new Error('not started');
    return this.loop.playground;
  }
  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}

describe('asking the bot in the SOC channel', () => {
  const loop = new DevLoop();
  beforeAll(() => loop.start());
  afterAll(() => loop.stop());
  const playground = () => loop.playground;

  it('investigates a demo incident in the thread of the mention', async () => {
    const channel = playground().channel('SOC Alerts');
    const { sent, reply } = await playground().sendAndWaitForReply(channel.id, 'investigate incident 42', {
      mentionBot: true,
    });
    expect(reply.conversationId).toBe(sent.replyConversationId);
    const text = cardText(reply);
    expect(text).toContain('Assessment');
    expect(text).toContain('Timeline');
    expect(text).toContain('Containment');
  });

  it('analyzes pasted indicators, defanged, with their verdicts', async () => {
    const channel = playground().channel('SOC Alerts');
    const { reply } = await playground().sendAndWaitForReply(
      channel.id,
      'analyze 203.0.113[.]7 hxxps://login-contoso[.]example/reset',
      { mentionBot: true },
    );
    const text = cardText(reply);
    expect(text).toContain('203.0.113[.]7');
    expect(text).toContain('login-contoso[.]example');
    expect(text).not.toContain('https://login-contoso.example');
  });

  it('writes a hunting query, runs it from the Run query button, and shows the rows', async () => {
    const channel = playground().channel('SOC Alerts');
    const { sent, reply } = await playground().sendAndWaitForReply(
      channel.id,
      'hunt for encoded PowerShell in defender',
      {
        mentionBot: true,
      },
    );
    expect(cardText(reply)).toContain('Validated against the Defender advanced hunting schema');
    const run = actionsOf(reply).find((action) => action.verb === 'runHuntQuery');
    expect(run?.title).toBe('Run query');

    const after = playground().position();
    await playground().clickCardAction(sent.replyConversationId, reply.messageId, {
      verb: 'runHuntQuery',
      data: run?.data,
      title: run?.title,
    });
    const results = await playground().waitForBotMessage(sent.replyConversationId, {
      after,
      description: 'the query results',
    });
    expect(cardText(results)).toContain('Query results');
    expect(cardText(results)).toMatch(/\d+ rows?|No rows matched/);
  });

  it('turns a question into KQL, and "run it" in the same thread runs it', async () => {
    const channel = playground().channel('SOC Alerts');
    const { sent, reply } = await playground().sendAndWaitForReply(
      channel.id,
      'kql failed sign-ins from new countries last 24h',
      { mentionBot: true },
    );
    expect(cardText(reply)).toContain('SigninLogs');
    const followUp = await playground().sendAndWaitForReply(sent.replyConversationId, 'run it', { mentionBot: true });
    expect(followUp.reply.conversationId).toBe(sent.replyConversationId);
    expect(cardText(followUp.reply)).toContain('Query results');
  });

  it('answers an unknown alert id with a clear error card, not silence', async () => {
    const channel = playground().channel('SOC Alerts');
    const { reply } = await playground().sendAndWaitForReply(channel.id, 'explain alert no-such-alert-77', {
      mentionBot: true,
    });
    const text = cardText(reply);
    expect(text).toContain('Not found');
    expect(text).toContain('no-such-alert-77');
  });
});

describe('requesting an incident report in chat', () => {
  // Download links point at the bot itself, so its public base URL is its own loopback address.
  const loop = new DevLoop(({ url }) => ({ PUBLIC_BASE_URL: url }));
  beforeAll(() => loop.start());
  afterAll(() => loop.stop());
  const playground = () => loop.playground;

  it('writes the executive and then the technical report in a 1:1 chat', async () => {
    const chat = playground().config.personalChat.id;
    const executive = cardText(
      (await playground().sendAndWaitForReply(chat, 'report incident 42 for executives')).reply,
    );
    expect(executive).toContain('TLP:AMBER');
    expect(executive).toContain('Impact assessment');
    const technicalReply = (await playground().sendAndWaitForReply(chat, 'now the report for technical')).reply;
    const technical = cardText(technicalReply);
    expect(technical).toContain('Technical details');
    expect(technical).toContain('TLP:AMBER');

    // The card's download buttons serve the full report from the bot, behind short-lived signed links.
    const downloads = actionsOf(technicalReply).filter((action) => action.type === 'Action.OpenUrl');
    expect(downloads.map((action) => action.title)).toEqual(['Download Markdown', 'Download HTML']);
    const html = await fetch(String(downloads[1].url));
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(await html.text()).toContain('TLP:AMBER');
    const markdown = await fetch(String(downloads[0].url));
    expect(markdown.status).toBe(200);
    expect(await markdown.text()).toContain('42');
    const tampered = new URL(String(downloads[1].url));
    tampered.searchParams.set('exp', String(Number(tampered.searchParams.get('exp')) + 3600));
    expect((await fetch(tampered)).status).toBe(403);
  });

  it('writes a report in the channel thread too', async () => {
    const channel = playground().channel('SOC Alerts');
    const { sent, reply } = await playground().sendAndWaitForReply(channel.id, 'report incident 43 for executives', {
      mentionBot: true,
    });
    expect(reply.conversationId).toBe(sent.replyConversationId);
    expect(cardText(reply)).toContain('TLP:AMBER');
  });
});

describe('when the LLM endpoint is down', () => {
  let failing: Server;
  let requests = 0;
  const loop = new DevLoopWithFailingLlm();

  beforeAll(async () => {
    failing = createServer((_request, response) => {
      requests += 1;
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'upstream exploded', type: 'server_error' } }));
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    await loop.startWith(`http://127.0.0.1:${(failing.address() as AddressInfo).port}/v1`);
  });
  afterAll(async () => {
    await loop.stop();
    await new Promise((resolve) => failing.close(resolve));
  });

  it('answers with the offline engine and says so', async () => {
    const chat = loop.playground.config.personalChat.id;
    const sent = await loop.playground.sendMessage(chat, 'explain alert da-1004');
    // The LLM path answers with a working card first, then replaces it with the answer.
    const answer = await loop.playground.waitForBotMessage(chat, {
      after: sent.sequence,
      timeoutMs: 60_000,
      description: 'the explanation after the LLM failed',
      predicate: (message) => cardText(message).includes('Immediate risk'),
    });
    const text = cardText(answer);
    expect(text).toContain('offline engine');
    expect(text).toContain('T1003.001');
    expect(requests).toBeGreaterThan(0);
  });
});

describe('after the bot restarts', () => {
  const storeDirectory = mkdtempSync(path.join(os.tmpdir(), 'soc-copilot-e2e-store-'));
  const loop = new DevLoop({ STORE: 'sqlite', STORE_DIRECTORY: storeDirectory });
  beforeAll(() => loop.start());
  afterAll(async () => {
    await loop.stop();
    rmSync(storeDirectory, { recursive: true, force: true });
  });

  it('still knows the thread ("run it") and answers a click on a card it posted before', async () => {
    const channel = loop.playground.channel('SOC Alerts');
    const { sent, reply } = await loop.playground.sendAndWaitForReply(
      channel.id,
      'hunt for encoded PowerShell in defender',
      {
        mentionBot: true,
      },
    );
    expect(cardText(reply)).toContain('Validated');
    const chat = loop.playground.config.personalChat.id;
    const list = (await loop.playground.sendAndWaitForReply(chat, 'alerts high')).reply;

    await loop.restartBot();

    const followUp = await loop.playground.sendAndWaitForReply(sent.replyConversationId, 'run it', {
      mentionBot: true,
    });
    expect(cardText(followUp.reply)).toContain('Query results');

    // The first row's Explain button, as the card rendered it before the restart.
    const buttons = JSON.stringify(list.attachments[0]?.content);
    const alertId = /"verb":"explainAlert","data":\{"alertId":"([^"]+)"/.exec(buttons)?.[1];
    expect(alertId).toBeDefined();
    const after = loop.playground.position();
    await loop.playground.clickCardAction(chat, list.messageId, {
      verb: 'explainAlert',
      data: { alertId },
      title: 'Explain',
    });
    const explanation = await loop.playground.waitForBotMessage(chat, {
      after,
      description: 'the explanation after the restart',
      predicate: (message) => cardText(message).includes('Immediate risk'),
    });
    expect(cardText(explanation)).toContain('What happened');
  });
});
