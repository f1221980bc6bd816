import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * What the Dockerfile's runtime stage does, without a Docker engine: package.json, package-lock.json and .npmrc with
 * the built dist/ in an empty directory, `npm pkg delete scripts.prepare`, `npm ci --omit=dev` (install scripts on,
 * as npm 11's allowScripts permits), then the image's CMD `node dist/index.js` with the demo settings. If a runtime
 * import lives in devDependencies, or a native module does not install, this fails before any image is built.
 * Slow (minutes) where better-sqlite3 cannot download its prebuilt binary and compiles from source.
 */
const repositoryRoot = resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);

jest.setTimeout(600_000);

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor(url: string, deadline: number): Promise<Response> {
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
      lastError = new Error(`${url}: ${response.status}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((wake) => setTimeout(wake, 250));
  }
  throw lastError;
}

describe('the container runtime stage: npm ci --omit=dev and node dist/index.js', () => {
  let directory: string;
  let bot: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    if (!existsSync(join(repositoryRoot, 'dist', 'index.js'))) {
      await run('npm', ['run', 'build'], { cwd: repositoryRoot });
    }
    directory = mkdtempSync(join(tmpdir(), 'soc-copilot-runtime-'));
    for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
      cpSync(join(repositoryRoot, file), join(directory, file));
    }
    cpSync(join(repositoryRoot, 'dist'), join(directory, 'dist'), { recursive: true });
    await run('npm', ['pkg', 'delete', 'scripts.prepare'], { cwd: directory });
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts=false', '--no-audit', '--no-fund'], {
      cwd: directory,
      maxBuffer: 16 * 1024 * 1024,
    });
  });

  afterAll(async () => {
    if (bot && bot.exitCode === null) {
      const exited = new Promise((done) => bot?.once('exit', done));
      bot.kill('SIGTERM');
      await exited;
    }
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('installs no dev dependency', () => {
    const packageJson = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8'));
    for (const name of Object.keys(packageJson.devDependencies)) {
      // A dev dependency may still arrive as a production dependency's dependency (yaml via @microsoft/teams-ai).
      if (existsSync(join(directory, 'node_modules', name))) {
        const lock = JSON.parse(readFileSync(join(directory, 'package-lock.json'), 'utf8'));
        expect({ name, dev: lock.packages[`node_modules/${name}`]?.dev ?? false }).toEqual({ name, dev: false });
      }
    }
    expect(existsSync(join(directory, 'node_modules', 'typescript'))).toBe(false);
    expect(
      existsSync(join(directory, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')),
    ).toBe(true);
  });

  it('starts with the demo settings and answers /healthz and /readyz', async () => {
    const port = await freePort();
    bot = spawn(process.execPath, ['dist/index.js'], {
      cwd: directory,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(port),
        SECURITY_SOURCE: 'demo',
        STORE: 'sqlite',
        STORE_DIRECTORY: join(directory, 'data'),
        LOG_LEVEL: 'warn',
        KQL_WARMUP: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bot.stdout?.on('data', (chunk) => (output += chunk));
    bot.stderr?.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 60_000;
    try {
      const health = await waitFor(`http://127.0.0.1:${port}/healthz`, deadline);
      expect(health.status).toBe(200);
      const ready = await waitFor(`http://127.0.0.1:${port}/readyz`, deadline);
      expect(ready.status).toBe(200);
    } catch (error) {
      throw new Error(`${String(error)}\nbot output:\n${output}`);
    }
  });
});
