import { startBotProcess, type BotEnvironment, type BotProcess } from './bot-process';
import { Playground } from './playground';
import { freeLoopbackPort, ProcessTracker } from './processes';

/**
 * The built bot and the Agents Playground wired to it, both on free loopback ports: `npm run dev` for tests.
 * Create it at the top of a describe block, `start()` in beforeAll, `stop()` in afterAll; stop() also
 * ends a start that is still under way (a timed-out beforeAll must not leave processes behind).
 */
export class DevLoop {
  private readonly tracker = new ProcessTracker();
  private started: { bot: BotProcess; playground: Playground } | undefined;

  /** `botEnvironment` adds to the bot's clean test environment (e.g. an LLM endpoint). */
  constructor(private readonly botEnvironment: BotEnvironment = {}) {}

  async start(): Promise<void> {
    const bot = await startBotProcess(this.tracker, this.botEnvironment);
    const playground = await Playground.start({
      botEndpoint: bot.messagesEndpoint,
      port: await freeLoopbackPort(),
      tracker: this.tracker,
    });
    this.started = { bot, playground };
  }

  get bot(): BotProcess {
    return this.running().bot;
  }

  /**
   * Stops the bot process and starts a new one on the same port with the same environment, as a deployment or a
   * crash does; the Playground keeps its conversations and cards.
   */
  async restartBot(): Promise<void> {
    const { bot, playground } = this.running();
    await bot.stop();
    const restarted = await startBotProcess(this.tracker, this.botEnvironment, { port: bot.port });
    this.started = { bot: restarted, playground };
  }

  get playground(): Playground {
    return this.running().playground;
  }

  async stop(): Promise<void> {
    const playground = this.started?.playground;
    this.started = undefined;
    try {
      await playground?.stop();
    } finally {
      await this.tracker.stopAll();
    }
  }

  private running(): { bot: BotProcess; playground: Playground } {
    if (!this.started) throw new Error('The bot and the Playground are not running (did beforeAll fail?)');
    return this.started;
  }
}
