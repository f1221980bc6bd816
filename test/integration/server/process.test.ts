import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { personalMessage } from '../../support/activities';
import { repliedCards } from '../../support/bot-harness';
import { builtFile, projectRoot } from '../../support/built';
import { renderedText } from '../../support/cards';

/** The production entry point (`npm start` = node dist/index.js) as a real process. */
interface Started {
  child: ChildProcess;
  output: () => string;
  url: Promise<string>;
  exited: Promise<number | null>;
}

function startServer(environment: Record<string, string>): Started {
  // Only what a clean machine has: no inherited bot, LLM or store settings from the developer's shell.
  const child = spawn(process.execPath, [builtFile('index.js')], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => reject(new Error(`server exited before listening:\n${output}`)));
  });
  url.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, url, exited };
}

let dataDirectory: string;
beforeAll(() => {
  dataDirectory = mkdtempSync(path.join(tmpdir(), 'soc-copilot-process-'));
});
afterAll(() => rmSync(dataDirectory, { recursive: true, force: true }));

describe('npm start with no configuration at all', () => {
  let server: Started;
  beforeAll(() => {
    server = startServer({ PORT: '0', LOG_FORMAT: 'json', STORE_DIRECTORY: dataDirectory });
  });
  afterAll(async () => {
    server.child.kill('SIGKILL');
    await server.exited;
  });

  it('serves /healthz and /readyz, and says loudly it is in anonymous local mode', async () => {
    const url = await server.url;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { store: 'ok', dataSource: 'ok' } });
    expect(server.output()).toContain('ANONYMOUS LOCAL MODE');
  });

  it('answers "help" with the help card and explains a demo alert offline', async () => {
    const url = await server.url;
    const post = async (text: string) => {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(personalMessage(text)),
      });
      return repliedCards((await response.json()) as { activities?: Array<Record<string, any>> });
    };
    expect(renderedText((await post('help'))[0])).toContain('What SOC Copilot can do');
    expect(renderedText((await post('explain alert da-1001'))[0])).toContain('Offline analysis — no LLM was used');
  });
});

describe('bad configuration stops start-up with a message naming the variable', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a whole number'],
    [{ LLM_PROVIDER: 'openai' }, 'OPENAI_API_KEY'],
    [{ MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'x' }, 'MicrosoftAppTenantId'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of'],
  ])('%j', async (environment, expected) => {
    const server = startServer({ ...environment, STORE_DIRECTORY: dataDirectory });
    expect(await server.exited).toBe(2);
    expect(server.output()).toContain(expected);
    expect(server.output()).not.toMatch(/\n\s+at /);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM stops accepting, lets the store close and exits 0', async () => {
    const server = startServer({ PORT: '0', LOG_FORMAT: 'json', STORE_DIRECTORY: dataDirectory });
    const url = await server.url;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutting down');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
