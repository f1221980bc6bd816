import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { personalMessage } from '../../support/activities';
import { repliedCards } from '../../support/bot-harness';
import { startBuiltServer, type BuiltServer } from '../../support/built';
import { renderedText } from '../../support/cards';

/** The production entry point (`npm start` = node dist/index.js) as a real process. */
let dataDirectory: string;
beforeAll(() => {
  dataDirectory = mkdtempSync(path.join(tmpdir(), 'soc-copilot-process-'));
});
afterAll(() => rmSync(dataDirectory, { recursive: true, force: true }));

describe('npm start with no configuration at all', () => {
  let server: BuiltServer;
  beforeAll(() => {
    server = startBuiltServer({ PORT: '0', LOG_FORMAT: 'json', STORE_DIRECTORY: dataDirectory });
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
    const server = startBuiltServer({ ...environment, STORE_DIRECTORY: dataDirectory });
    expect(await server.exited).toBe(2);
    expect(server.output()).toContain(expected);
    expect(server.output()).not.toMatch(/\n\s+at /);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM stops accepting, lets the store close and exits 0', async () => {
    const server = startBuiltServer({ PORT: '0', LOG_FORMAT: 'json', STORE_DIRECTORY: dataDirectory });
    const url = await server.url;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutting down');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
