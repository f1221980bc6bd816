import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../../support/built';
import { getText, startProcess, waitFor, type ManagedProcess, type ProcessTracker } from './processes';
import { connectWebSocket, type WebSocketConnection } from './websocket-client';

/**
 * The Microsoft 365 Agents Playground (a local Teams client) driven over its own HTTP and WebSocket API,
 * the same calls its web UI makes (read from version 0.2.28's client bundle):
 *
 * - POST /_conversation/v1/conversations/:id/messages — the user sends a message. In a channel the
 *   Playground starts a new thread and answers `postConversationId` (`<channel>;messageid=<root>`).
 * - POST /_conversation/v1/invoke — a card button (`adaptiveCard/action`).
 * - POST /_debug/conversation/:id/installation — installs the bot (installationUpdate + membersAdded).
 * - WebSocket /_ws_conversation/v1/conversations/stream — everything the bot posts or updates.
 */

export const playgroundCli = path.join(projectRoot, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');

const AttachmentSchema = z.object({ contentType: z.string(), content: z.unknown() });
const StreamEventSchema = z.object({
  action: z.string(),
  actionConversationId: z.string(),
  message: z
    .object({
      messageId: z.string(),
      from: z.object({ id: z.string() }),
      text: z.string().optional(),
      attachments: z.array(AttachmentSchema).default([]),
      postConversationId: z.string().optional(),
    })
    .passthrough()
    .optional(),
});
export type StreamEvent = z.infer<typeof StreamEventSchema>;

const ConfigSchema = z.object({
  config: z.object({
    bot: z.object({ id: z.string(), name: z.string() }),
    currentUser: z.object({ id: z.string(), name: z.string() }),
    personalChat: z.object({ id: z.string() }),
    groupChats: z.array(z.object({ id: z.string(), name: z.string() })),
    teams: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        channels: z.array(z.object({ id: z.string(), name: z.string() })),
      }),
    ),
  }),
});
export type PlaygroundConfig = z.infer<typeof ConfigSchema>['config'];

const SendResponseSchema = z.object({ messageId: z.string(), postConversationId: z.string().optional() });

/** A message the bot posted (or updated), as the Playground's UI receives it. */
export interface BotMessage {
  action: 'createMessage' | 'updateMessage';
  /** The conversation it landed in: the chat, or for a channel the thread `<channel>;messageid=<root>`. */
  conversationId: string;
  messageId: string;
  /** Set when the bot started a new channel thread with this message. */
  startedThread?: string;
  text?: string;
  attachments: Array<{ contentType: string; content?: unknown }>;
  /** Position in the stream, for waiting on what comes after it. */
  sequence: number;
}

export interface SentMessage {
  messageId: string;
  /** Where replies go: the chat id, or in a channel the thread the message started or continued. */
  replyConversationId: string;
  /** Stream position at the time of sending: replies come after it. */
  sequence: number;
}

export interface SendOptions {
  /** @mention the bot the way the Playground's compose box does (needed in channels and group chats). */
  mentionBot?: boolean;
}

export interface WaitOptions {
  timeoutMs?: number;
  /** Only messages after this stream position (default: any seen so far). */
  after?: number;
  /** What the test is waiting for, for the timeout message. */
  description?: string;
  predicate?: (message: BotMessage) => boolean;
}

export interface StartPlaygroundOptions {
  /** The bot's Bot Framework endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  port: number;
  /** Defaults to the repository's .m365agentsplayground.yml. */
  configFile?: string;
  tracker?: ProcessTracker;
}

export class Playground {
  private readonly events: StreamEvent[] = [];
  private readonly streamListeners = new Set<() => void>();
  private streamProblem: string | undefined;

  private constructor(
    readonly url: string,
    readonly config: PlaygroundConfig,
    readonly process: ManagedProcess,
    /** The Playground's working directory: its config copy and devTools/m365agentsplayground.log. */
    readonly workDirectory: string,
    private readonly stream: WebSocketConnection,
  ) {
    stream.onMessage((text) => {
      const parsed = StreamEventSchema.safeParse(parseJson(text));
      if (parsed.success) this.events.push(parsed.data);
      else this.streamProblem = `unexpected stream event ${text.slice(0, 300)}: ${parsed.error.message}`;
      this.streamListeners.forEach((listener) => listener());
    });
    stream.onClose((reason) => {
      this.streamProblem ??= `the conversation stream ended: ${reason}`;
      this.streamListeners.forEach((listener) => listener());
    });
  }

  /**
   * Starts the Playground in a fresh temporary working directory (so its devTools/ log never mixes with
   * `npm run dev`'s), waits for /_debug/ping and subscribes to the conversation stream.
   */
  static async start(options: StartPlaygroundOptions): Promise<Playground> {
    const workDirectory = mkdtempSync(path.join(os.tmpdir(), 'soc-copilot-playground-'));
    copyFileSync(
      options.configFile ?? path.join(projectRoot, '.m365agentsplayground.yml'),
      path.join(workDirectory, '.m365agentsplayground.yml'),
    );
    const child = startProcess({
      name: 'playground',
      tracker: options.tracker,
      command: process.execPath,
      args: [playgroundCli, ...playgroundArguments(options.botEndpoint, options.port)],
      cwd: workDirectory,
      env: {
        PATH: process.env.PATH,
        HOME: workDirectory,
        // Without this it tries to open a browser with xdg-open and crashes on a machine without one.
        TEAMSAPPTESTER_BROWSER: 'none',
      },
    });
    const diagnostics = () =>
      `--- playground output ---\n${child.outputTail()}\n--- ${logPath(workDirectory)} (tail) ---\n${readLogTail(workDirectory)}`;
    try {
      // It falls back to a random port when the requested one is taken, so read the port it announces.
      let announcedPort: number | undefined;
      child.onLine((line) => {
        const match = /^Listening on (\d+)/.exec(line.trim());
        if (match) announcedPort = Number(match[1]);
      });
      const port = await waitFor('the Playground to announce "Listening on <port>"', async () => announcedPort, {
        timeoutMs: 30_000,
        diagnostics,
        giveUpIf: () => (child.hasExited() ? 'the Playground exited' : undefined),
      });
      if (port !== options.port) {
        throw new Error(`The Playground listens on ${port}, not on the requested ${options.port} (it was taken)`);
      }
      const url = `http://127.0.0.1:${port}`;
      await waitFor(
        `the Playground's ${url}/_debug/ping`,
        async () => ((await getText(`${url}/_debug/ping`)).body === 'pong' ? true : undefined),
        { timeoutMs: 30_000, diagnostics, giveUpIf: () => (child.hasExited() ? 'the Playground exited' : undefined) },
      );
      // It answers only after reaching the bot (it probes the bot endpoint first), hence the longer limit.
      const config = ConfigSchema.parse(parseJson((await getText(`${url}/_internal/v1/config`, 10_000)).body)).config;
      const stream = await connectWebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
      return new Playground(url, config, child, workDirectory, stream);
    } catch (error) {
      await child.stop();
      rmSync(workDirectory, { recursive: true, force: true });
      throw error;
    }
  }

  get bot(): PlaygroundConfig['bot'] {
    return this.config.bot;
  }

  get user(): PlaygroundConfig['currentUser'] {
    return this.config.currentUser;
  }

  /** A channel by name, e.g. 'SOC Alerts' (every team also has 'General', whose id is the team id). */
  channel(name: string): { id: string; name: string } {
    const channel = this.config.teams.flatMap((team) => team.channels).find((candidate) => candidate.name === name);
    if (!channel) throw new Error(`The Playground configuration has no channel named "${name}"`);
    return channel;
  }

  /** The current stream position; messages that arrive later have a higher sequence. */
  position(): number {
    return this.events.length;
  }

  /**
   * Sends a message as the current user, with exactly the body the Playground's compose box posts.
   * With mentionBot the text starts with `<at>Bot name</at>` and carries the matching mention.
   */
  async sendMessage(conversationId: string, text: string, options: SendOptions = {}): Promise<SentMessage> {
    const sequence = this.position();
    const mentionText = `<at>${this.bot.name}</at>`;
    const body = options.mentionBot
      ? {
          type: 'text',
          text: `${mentionText} ${text}`,
          textFormat: 'plain',
          from: { id: this.user.id },
          mentions: [{ mentioned: { id: this.bot.id, name: this.bot.name }, text: mentionText }],
        }
      : { type: 'text', text, textFormat: 'plain', from: { id: this.user.id } };
    const response = await this.post(
      `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
      body,
    );
    const sent = SendResponseSchema.parse(response);
    return { messageId: sent.messageId, replyConversationId: sent.postConversationId ?? conversationId, sequence };
  }

  /** Clicks an Action.Execute button on a bot card, as the UI does; returns the invoke response. */
  async clickCardAction(
    conversationId: string,
    cardMessageId: string,
    action: { verb: string; data?: Record<string, unknown>; title?: string },
  ): Promise<unknown> {
    return this.post('/_conversation/v1/invoke', {
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: action.verb, data: action.data ?? {}, title: action.title } },
      from: { id: this.user.id },
      conversation: { id: conversationId },
      replyToId: cardMessageId,
    });
  }

  /** Installs the bot in a conversation: the bot receives installationUpdate and membersAdded. */
  async installBot(conversationId: string): Promise<void> {
    await this.post(`/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {});
  }

  /** Waits for a message the bot posts in `conversationId` (for a channel: the thread id). */
  async waitForBotMessage(conversationId: string, options: WaitOptions = {}): Promise<BotMessage> {
    const timeoutMs = options.timeoutMs ?? 15_000;
    const matches = (message: BotMessage) =>
      message.conversationId === conversationId && (options.predicate ? options.predicate(message) : true);
    const find = () => this.botMessages(options.after ?? 0).find(matches);
    const describe = () =>
      `Timed out after ${timeoutMs} ms waiting for ${options.description ?? 'a bot message'} in ${conversationId}.\n` +
      `Bot messages seen: ${JSON.stringify(
        this.botMessages(0).map((message) => ({
          conversationId: message.conversationId,
          sequence: message.sequence,
          text: cardText(message).slice(0, 120),
        })),
      )}\n--- stream problems --- ${this.streamProblem ?? 'none'}\n--- ${logPath(this.workDirectory)} (tail) ---\n${readLogTail(this.workDirectory)}`;

    const found = find();
    if (found) return found;
    return new Promise<BotMessage>((resolve, reject) => {
      const listener = () => {
        const message = find();
        if (message) {
          finish();
          resolve(message);
        } else if (this.streamProblem) {
          finish();
          reject(new Error(`${this.streamProblem}\n${describe()}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(describe()));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.streamListeners.delete(listener);
      };
      this.streamListeners.add(listener);
    });
  }

  /** Sends a message and waits for the bot's first message in reply (in the thread, for a channel). */
  async sendAndWaitForReply(
    conversationId: string,
    text: string,
    options: SendOptions & Omit<WaitOptions, 'after'> = {},
  ): Promise<{ sent: SentMessage; reply: BotMessage }> {
    const sent = await this.sendMessage(conversationId, text, options);
    const reply = await this.waitForBotMessage(sent.replyConversationId, {
      ...options,
      after: sent.sequence,
      description: options.description ?? `the reply to "${text}"`,
    });
    return { sent, reply };
  }

  /** Everything the bot posted or updated, from stream position `after` on. */
  botMessages(after = 0): BotMessage[] {
    const messages: BotMessage[] = [];
    this.events.forEach((event, sequence) => {
      if (sequence < after || !event.message) return;
      if (event.action !== 'createMessage' && event.action !== 'updateMessage') return;
      if (event.message.from.id !== this.bot.id) return;
      messages.push({
        action: event.action,
        // A message that starts a channel thread lands on the channel; the thread id comes beside it.
        conversationId: event.actionConversationId,
        startedThread: event.message.postConversationId,
        messageId: event.message.messageId,
        text: event.message.text,
        attachments: event.message.attachments,
        sequence,
      });
    });
    return messages;
  }

  /** The tail of devTools/m365agentsplayground.log, where the Playground reports configuration errors. */
  logTail(lines = 40): string {
    return readLogTail(this.workDirectory, lines);
  }

  async stop(): Promise<void> {
    this.stream.close();
    try {
      await this.process.stop();
    } finally {
      rmSync(this.workDirectory, { recursive: true, force: true });
    }
  }

  private async post(pathname: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${this.url}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${pathname} answered ${response.status}: ${text.slice(0, 500)}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
}

/** The Playground command-line arguments; keep scripts/dev.mjs (`npm run dev`) in step with them. */
export function playgroundArguments(botEndpoint: string, port: number): string[] {
  return [
    '-e',
    botEndpoint,
    '-c',
    'msteams',
    '--dt',
    '-p',
    String(port),
    // The bot replies to this connector URL; a literal loopback address avoids `localhost` resolving to ::1.
    '--service-url',
    `http://127.0.0.1:${port}/_connector`,
  ];
}

/** JSON.parse that turns text which is not JSON into a value the schema check rejects (and reports). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return { notJson: text, reason: error instanceof Error ? error.message : String(error) };
  }
}

function logPath(workDirectory: string): string {
  return path.join(workDirectory, 'devTools', 'm365agentsplayground.log');
}

function readLogTail(workDirectory: string, lines = 40): string {
  const file = logPath(workDirectory);
  if (!existsSync(file)) return '(no log file yet)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** All visible text of a bot message: its text and every string an Adaptive Card shows (text, titles, facts). */
export function cardText(message: Pick<BotMessage, 'text' | 'attachments'>): string {
  const parts: string[] = message.text ? [message.text] : [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' && ['text', 'title', 'value'].includes(key)) parts.push(value);
        else visit(value);
      }
    }
  };
  message.attachments.forEach((attachment) => visit(attachment.content));
  return parts.join('\n');
}
