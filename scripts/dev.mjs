#!/usr/bin/env node
// `npm run dev`: the bot and the Microsoft 365 Agents Playground (a local Teams client) on this machine.
//
//   npm run dev                 watch src/ (tsc --watch), restart the bot after every clean build
//   npm run dev -- --no-watch   build once, then run (also DEV_WATCH=0)
//   npm run dev -- --teams      use the bot identity the Agents Toolkit provisioned (also DEV_USE_BOT_ID=1)
//
// Settings: env/.env.local supplies defaults (KEY=VALUE lines); real environment variables win. PORT is the
// bot's port (3978), DEV_PLAYGROUND_PORT the Playground's (56150).
//
// The Playground talks to the bot in anonymous local mode. After "Debug in Teams" provisions, env/.env.local holds
// BOT_ID (and BOT_TENANT_ID, BOT_ENDPOINT…): those identity settings from the file are ignored unless you opt in
// with --teams or DEV_USE_BOT_ID=1, which also reads the secret (BOT_PASSWORD or SECRET_BOT_PASSWORD) from
// env/.env.local.user, where the toolkit writes it. Identity variables set in the real environment always count.
// Without a MicrosoftAppId the bot runs in anonymous local mode, so unless HOST is set it listens on 127.0.0.1 only.
//
// Every child runs in its own process group; Ctrl-C (SIGINT) or SIGTERM stops all of them, and a second
// Ctrl-C kills them at once. Only `npm start` (node dist/index.js) is for production.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tscCli = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const playgroundCli = join(root, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
const playgroundLog = join(root, 'devTools', 'm365agentsplayground.log');
const usesProcessGroups = process.platform !== 'win32';

const watchMode = !process.argv.includes('--no-watch') && process.env.DEV_WATCH !== '0';

// ---- configuration ------------------------------------------------------------------------------------------

/** KEY=VALUE lines; `#` comments, blank lines and an optional `export ` prefix; surrounding quotes removed. */
function parseEnvFile(file) {
  const values = {};
  if (!existsSync(file)) return values;
  for (const [index, rawLine] of readFileSync(file, 'utf8').split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      warn(`${file}:${index + 1}: ignoring a line that is not KEY=VALUE`);
      continue;
    }
    let value = match[2];
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, ''); // a trailing comment, as in most .env dialects
    values[match[1]] = value;
  }
  return values;
}

const envFile = join(root, 'env', '.env.local');
const userEnvFile = join(root, 'env', '.env.local.user');
const useBotId = process.argv.includes('--teams') || /^(1|true|yes)$/i.test(process.env.DEV_USE_BOT_ID ?? '');
const fileDefaults = devFileDefaults(parseEnvFile(envFile), useBotId);
const botEnvironment = { ...fileDefaults, ...process.env };

/**
 * env/.env.local as the bot should see it: without the provisioned bot identity (anonymous local mode for the
 * Playground) unless `useBotId`; with it, plus the secret from env/.env.local.user.
 */
function devFileDefaults(values, withIdentity) {
  const identity = /^(BOT_(ID|PASSWORD|TYPE|TENANT_ID)|SECRET_BOT_PASSWORD|MicrosoftApp[A-Za-z]*)$/;
  if (!withIdentity) {
    const dropped = Object.keys(values).filter((name) => identity.test(name) && values[name] !== '');
    if (dropped.length > 0) {
      say(
        `anonymous local mode: ignoring ${dropped.join(', ')} from env/.env.local (npm run dev -- --teams uses them)`,
      );
    }
    return Object.fromEntries(Object.entries(values).filter(([name]) => !identity.test(name)));
  }
  const secrets = parseEnvFile(userEnvFile);
  const password = secrets.BOT_PASSWORD || secrets.SECRET_BOT_PASSWORD || values.BOT_PASSWORD;
  if (!password && !process.env.BOT_PASSWORD && !process.env.MicrosoftAppPassword) {
    warn('--teams: no BOT_PASSWORD or SECRET_BOT_PASSWORD in env/.env.local.user (run "Provision" in the toolkit)');
  }
  return { ...values, ...(password ? { BOT_PASSWORD: password } : {}) };
}
// Anonymous local mode accepts unauthenticated activities: keep it off the network unless asked otherwise.
if (!botEnvironment.HOST && !botEnvironment.MicrosoftAppId && !botEnvironment.BOT_ID) botEnvironment.HOST = '127.0.0.1';

const botPort = parsePort('PORT', botEnvironment.PORT ?? '3978');
const playgroundPort = parsePort('DEV_PLAYGROUND_PORT', process.env.DEV_PLAYGROUND_PORT ?? '56150');
const botHost = botEnvironment.HOST ?? '0.0.0.0';
const botLocalHost = ['0.0.0.0', '::', ''].includes(botHost) ? '127.0.0.1' : botHost;
const botUrl = `http://${botLocalHost.includes(':') ? `[${botLocalHost}]` : botLocalHost}:${botPort}`;
const playgroundUrl = `http://127.0.0.1:${playgroundPort}`;

function parsePort(name, value) {
  const port = Number(value);
  if (!/^\d+$/.test(String(value)) || port < 1 || port > 65535) fail(`${name}=${value} is not a port (1-65535)`);
  return port;
}

// ---- output -------------------------------------------------------------------------------------------------

function say(text) {
  console.log(`[dev] ${text}`);
}

function warn(text) {
  console.error(`[dev] ${text}`);
}

function fail(text) {
  warn(text);
  process.exit(1);
}

/** Forwards a piped stream line by line with a prefix, and hands each line to `onLine`. */
function forwardLines(stream, prefix, onLine = () => {}) {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (partial + chunk).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() !== '') console.log(`${prefix} ${line}`);
      onLine(line);
    }
  });
}

function playgroundLogTail(lines = 30) {
  if (!existsSync(playgroundLog)) return `(no ${playgroundLog})`;
  return readFileSync(playgroundLog, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

// ---- child processes ----------------------------------------------------------------------------------------

/** Live children: name → { child, exited }. */
const children = new Map();
let shuttingDown = false;

function startChild(name, command, args, options) {
  const child = spawn(command, args, { cwd: root, detached: usesProcessGroups, ...options });
  const exited = new Promise((resolveExit) => {
    child.once('exit', (code, signal) => {
      children.delete(name);
      resolveExit({ code, signal });
    });
    child.once('error', (error) => {
      warn(`${name}: ${error.message}`);
      children.delete(name);
      resolveExit({ code: null, signal: null });
    });
  });
  children.set(name, { child, exited });
  return { child, exited };
}

/** Signals the child's whole process group (the child and anything it started). */
function signalChild(child, signal) {
  if (child.pid === undefined) return;
  try {
    if (usesProcessGroups) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is what we wanted.
    if (error.code !== 'ESRCH') throw error;
  }
}

/** SIGTERM, then SIGKILL after the grace period; resolves when the child has exited. */
async function stopChild(entry, gracePeriodMs = 10_000) {
  signalChild(entry.child, 'SIGTERM');
  const timer = setTimeout(() => {
    warn(`pid ${entry.child.pid} did not stop within ${gracePeriodMs / 1000} s; killing it`);
    signalChild(entry.child, 'SIGKILL');
  }, gracePeriodMs);
  await entry.exited;
  clearTimeout(timer);
  // Anything the child left behind in its group goes too.
  signalChild(entry.child, 'SIGKILL');
}

async function shutdown(exitCode) {
  if (shuttingDown) return;
  shuttingDown = true;
  say('stopping…');
  await Promise.all([...children.values()].map((entry) => stopChild(entry)));
  say('stopped');
  process.exit(exitCode);
}

process.on('SIGINT', () => {
  if (!shuttingDown) return void shutdown(0);
  warn('second interrupt: killing everything now');
  for (const { child } of children.values()) signalChild(child, 'SIGKILL');
  process.exit(1);
});
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));
// Last resort (a crash in this script): no bot or Playground may outlive it.
process.on('exit', () => {
  for (const { child } of children.values()) signalChild(child, 'SIGKILL');
});
process.on('uncaughtException', (error) => {
  warn(`dev script failed: ${error.stack ?? error}`);
  void shutdown(1);
});
process.on('unhandledRejection', (reason) => {
  warn(`dev script failed: ${reason instanceof Error ? reason.stack : reason}`);
  void shutdown(1);
});

// ---- HTTP checks --------------------------------------------------------------------------------------------

function httpGet(url, timeoutMs = 2_000) {
  return new Promise((resolveGet, rejectGet) => {
    const request = http.get(url, { timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolveGet({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    request.on('error', rejectGet);
  });
}

/** Polls until `check` is true; false on timeout or when `gaveUp` says the process behind it is gone. */
async function waitUntil(check, { timeoutMs, gaveUp = () => false }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !shuttingDown && !gaveUp()) {
    try {
      if (await check()) return true;
    } catch (error) {
      // Not listening yet (ECONNREFUSED) is the normal case while starting; keep polling.
      if (error.code !== 'ECONNREFUSED' && error.code !== 'ECONNRESET' && !/no answer/.test(error.message)) throw error;
    }
    await delay(250);
  }
  return false;
}

function portIsFree(port, host) {
  return new Promise((resolveFree) => {
    const server = net.createServer();
    server.once('error', () => resolveFree(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolveFree(true)));
  });
}

// ---- the bot ------------------------------------------------------------------------------------------------

let bot; // { child, exited, expectedExit } while running
let botRestarts = Promise.resolve();
let restartQueued = false;

/** Restarts run one after another; builds that finish while one is waiting share it. */
function scheduleBotRestart(reason) {
  if (restartQueued) return botRestarts;
  restartQueued = true;
  botRestarts = botRestarts
    .then(() => {
      restartQueued = false;
      return restartBot(reason);
    })
    .catch((error) => warn(`restart failed: ${error.message}`));
  return botRestarts;
}

async function restartBot(reason) {
  if (shuttingDown) return;
  if (bot) {
    say(`${reason}: restarting the bot`);
    const running = bot;
    bot = undefined;
    running.expectedExit = true;
    await stopChild(running);
  }
  // The previous bot has just released the port; anything else holding it gets named.
  const free = await waitUntil(() => portIsFree(botPort, botHost), { timeoutMs: 5_000 });
  if (!free) {
    warn(`port ${botPort} on ${botHost} is in use by another program. Stop it, or run with PORT=<another port>.`);
    if (!watchMode) return void shutdown(1);
    return;
  }
  const startedAt = Date.now();
  const entry = startChild('bot', process.execPath, [join(root, 'dist', 'index.js')], {
    env: { ...botEnvironment, PORT: String(botPort) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  bot = entry;
  entry.exited.then(({ code, signal }) => {
    if (entry.expectedExit || shuttingDown) return;
    if (bot === entry) bot = undefined;
    warn(`the bot exited (${signal ?? `code ${code}`}); see its output above.`);
    if (watchMode) say('fix the problem and save a file: the bot restarts after the next clean build');
    else void shutdown(1);
  });
  const ready = await waitUntil(async () => (await httpGet(`${botUrl}/readyz`)).status === 200, {
    timeoutMs: 60_000,
    gaveUp: () => bot !== entry,
  });
  if (ready) {
    say(`bot ready at ${botUrl}/api/messages (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
    await showBannerOnce();
  } else if (bot === entry) warn(`the bot did not report ready on ${botUrl}/readyz within 60 s`);
  return ready;
}

// ---- the build ----------------------------------------------------------------------------------------------

/** Builds once; resolves when tsc exits successfully. */
async function buildOnce() {
  say('building (tsc -p tsconfig.build.json)…');
  const { child, exited } = startChild('tsc', process.execPath, [tscCli, '-p', 'tsconfig.build.json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  forwardLines(child.stdout, '[tsc]');
  forwardLines(child.stderr, '[tsc]');
  const { code } = await exited;
  if (shuttingDown) return;
  if (code !== 0) {
    warn('the build failed; fix the errors above (or use `npm run dev` without --no-watch to fix them live)');
    return void shutdown(1);
  }
}

/** tsc --watch; calls onCleanBuild after every compilation without errors. */
function watchBuild(onCleanBuild) {
  say('building and watching src/ (tsc -p tsconfig.build.json --watch)…');
  const { child, exited } = startChild(
    'tsc',
    process.execPath,
    [tscCli, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const onLine = (line) => {
    // tsc ends every (re)compilation with "Found N error(s). Watching for file changes."
    const match = /Found (\d+) errors?\. Watching for file changes/.exec(line);
    if (!match) return;
    const errors = Number(match[1]);
    if (errors === 0) onCleanBuild();
    else if (bot) warn(`${errors} type error(s): the bot keeps running the last clean build until they are fixed`);
    else warn(`${errors} type error(s): the bot starts after the first clean build`);
  };
  forwardLines(child.stdout, '[tsc]', onLine);
  forwardLines(child.stderr, '[tsc]');
  exited.then(({ code, signal }) => {
    if (shuttingDown) return;
    warn(`tsc --watch exited (${signal ?? `code ${code}`})`);
    void shutdown(1);
  });
}

// ---- the Playground -----------------------------------------------------------------------------------------

async function startPlayground() {
  if (!existsSync(playgroundCli)) fail(`${playgroundCli} is missing: run npm install`);
  let announcedPort;
  const { child, exited } = startChild(
    'playground',
    process.execPath,
    [
      playgroundCli,
      ...['-e', `${botUrl}/api/messages`, '-c', 'msteams', '--dt', '-p', String(playgroundPort)],
      // The bot replies to this connector URL; a literal loopback address avoids `localhost` resolving to ::1.
      ...['--service-url', `${playgroundUrl}/_connector`],
    ],
    // Without TEAMSAPPTESTER_BROWSER=none it tries to open a browser (xdg-open) and crashes where there is none.
    { env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const onLine = (line) => {
    const match = /Listening on (\d+)/.exec(line);
    if (match) announcedPort = Number(match[1]);
  };
  forwardLines(child.stdout, '[playground]', onLine);
  forwardLines(child.stderr, '[playground]');
  let exitedEarly = false;
  exited.then(({ code, signal }) => {
    exitedEarly = true;
    if (shuttingDown) return;
    warn(`the Agents Playground exited (${signal ?? `code ${code}`}). The end of ${playgroundLog}:`);
    console.error(playgroundLogTail());
    void shutdown(1);
  });

  const pinged = await waitUntil(async () => (await httpGet(`${playgroundUrl}/_debug/ping`)).body === 'pong', {
    timeoutMs: 30_000,
    gaveUp: () => exitedEarly,
  });
  if (!pinged) {
    if (!exitedEarly && !shuttingDown) {
      warn(`the Playground did not answer ${playgroundUrl}/_debug/ping within 30 s. The end of ${playgroundLog}:`);
      console.error(playgroundLogTail());
      void shutdown(1);
    }
    return undefined;
  }
  if (announcedPort !== undefined && announcedPort !== playgroundPort) {
    // It falls back to a random port when its port is taken; the bot would then reply to the wrong one.
    warn(
      `the Playground took port ${announcedPort} instead of ${playgroundPort}; set DEV_PLAYGROUND_PORT to a free port`,
    );
    return void shutdown(1);
  }
  return true;
}

/**
 * The bot's name as the Playground knows it. Configuration problems (.m365agentsplayground.yml) appear only
 * in the Playground's log; this endpoint shows whether it loaded one. It answers only once the Playground
 * has reached the bot, so ask after the bot is ready.
 */
async function playgroundBotName() {
  try {
    const config = JSON.parse((await httpGet(`${playgroundUrl}/_internal/v1/config`, 10_000)).body).config;
    return config.bot.name;
  } catch (error) {
    warn(`the Playground is up but its configuration looks wrong (${error.message}). The end of ${playgroundLog}:`);
    console.error(playgroundLogTail());
    return 'the bot';
  }
}

// ---- main ---------------------------------------------------------------------------------------------------

const state = { playgroundReady: false, bannerShown: false };

/** The banner comes once, when the Playground and the bot are both ready for the first time. */
async function showBannerOnce() {
  if (state.bannerShown || !state.playgroundReady || shuttingDown) return;
  state.bannerShown = true;
  const botName = await playgroundBotName();
  // The bot's start-up lines arrive through pino's worker a moment later; let them pass so the banner stays last.
  await delay(500);
  printBanner(botName);
}

function printBanner(botName) {
  const store =
    (botEnvironment.STORE ?? 'sqlite') === 'memory'
      ? 'memory'
      : `sqlite in ${botEnvironment.STORE_DIRECTORY ?? './data'}`;
  console.log(
    [
      '',
      `  ${botName} is running in the Microsoft 365 Agents Playground.`,
      '',
      `    Open   ${playgroundUrl}/`,
      `    Bot    ${botUrl}/api/messages  (store: ${store}; settings from ${existsSync(envFile) ? 'env/.env.local + ' : ''}environment)`,
      '',
      '  Try in the Personal Chat:',
      '    help',
      '    explain alert da-1009',
      `  In a channel (SOC Alerts): type @${botName.split(' ')[0]}, pick ${botName}, then  explain alert da-1009`,
      '',
      watchMode
        ? '  Saving a file in src/ rebuilds and restarts the bot. Ctrl-C stops everything.'
        : '  Built once (--no-watch). Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

async function main() {
  if (!(await portIsFree(botPort, botHost))) {
    fail(`port ${botPort} on ${botHost} is in use (another bot?). Stop it, or run with PORT=<another port>.`);
  }
  // The Playground listens on all interfaces; check the same way it binds.
  if (!(await portIsFree(playgroundPort, undefined))) {
    fail(`port ${playgroundPort} is in use. Stop what holds it, or run with DEV_PLAYGROUND_PORT=<another port>.`);
  }
  say(`bot port ${botPort} (${botHost}), Playground port ${playgroundPort}; defaults from ${envFile}`);

  // The Playground does not need the bot to start, so it starts while TypeScript compiles.
  const playground = startPlayground();
  let firstBotStart;
  if (watchMode) {
    firstBotStart = new Promise((resolveFirst) => {
      let started = false;
      watchBuild(() => {
        const restart = scheduleBotRestart('rebuilt');
        if (!started) {
          started = true;
          resolveFirst(restart);
        }
      });
    });
  } else {
    await buildOnce();
    firstBotStart = scheduleBotRestart('built');
  }
  const [playgroundReady, botReady] = await Promise.all([playground, firstBotStart]);
  if (shuttingDown || !playgroundReady) return;
  state.playgroundReady = true;
  if (botReady) await showBannerOnce();
  else warn(`the Playground is at ${playgroundUrl}/ but the bot is not running: fix the problem above and save a file`);
}

main().catch((error) => {
  warn(`dev script failed: ${error.stack ?? error}`);
  void shutdown(1);
});
