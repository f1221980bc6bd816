import { existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../support/built';
import {
  freeLoopbackPort,
  getText,
  startProcess,
  waitFor,
  type ManagedProcess,
  type ProcessTracker,
} from './processes';

/**
 * The built bot (dist/index.js, what `npm start` runs) as a child process on a free loopback port, with
 * demo data, the offline engine and a memory store.
 */
export interface BotProcess {
  port: number;
  url: string;
  /** Where the Playground (or any Bot Framework client) posts activities. */
  messagesEndpoint: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

/** Extra environment for the bot; a function gets the bot's own address (e.g. for PUBLIC_BASE_URL). */
export type BotEnvironment = Record<string, string> | ((bot: { port: number; url: string }) => Record<string, string>);

export async function startBotProcess(
  tracker: ProcessTracker,
  environment: BotEnvironment = {},
  options: { port?: number } = {},
): Promise<BotProcess> {
  const entryPoint = path.join(projectRoot, 'dist', 'index.js');
  if (!existsSync(entryPoint)) {
    throw new Error(`${entryPoint} is missing: run npm run build (the e2e globalSetup normally builds it)`);
  }
  const port = options.port ?? (await freeLoopbackPort());
  const url = `http://127.0.0.1:${port}`;
  const extraEnv = typeof environment === 'function' ? environment({ port, url }) : environment;
  const child = startProcess({
    name: 'bot',
    tracker,
    command: process.execPath,
    args: [entryPoint],
    cwd: projectRoot,
    // A clean environment: a developer's OPENAI_API_KEY or MicrosoftAppId must not change what is tested.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      STORE: 'memory',
      SECURITY_SOURCE: 'demo',
      LLM_PROVIDER: 'none',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
  });
  const diagnostics = () => `--- bot output (last lines) ---\n${child.outputTail()}`;
  try {
    await waitFor(
      `the bot's /readyz on ${url}`,
      async () => ((await getText(`${url}/readyz`)).status === 200 ? true : undefined),
      {
        timeoutMs: 30_000,
        diagnostics,
        giveUpIf: () => (child.hasExited() ? 'the bot process exited' : undefined),
      },
    );
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { port, url, messagesEndpoint: `${url}/api/messages`, process: child, stop: () => child.stop() };
}
