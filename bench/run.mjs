import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runIocBenchmark } from './iocs.mjs';
import { runKqlBenchmark } from './kql.mjs';
import { runFeedBenchmark } from './feed.mjs';
import { runLoadBenchmark } from './load.mjs';
import { combineRuns, runLoad } from './lib/load.mjs';
import { describeMachine } from './lib/machine.mjs';
import {
  findFreePort,
  forkServerProcess,
  processCpuMs,
  startServerProcess,
  stopServerProcess,
} from './lib/servers.mjs';
import { readPositiveNumber } from './lib/settings.mjs';

/**
 * `npm run bench`: the per-turn overhead of SOC Copilot against a bare botbuilder echo bot on this machine.
 * Both run as child processes on 127.0.0.1; this process is the load generator. Each scenario sends the same
 * text to both with `deliveryMode: expectReplies`, so the replies come back in the HTTP response and no
 * Bot Connector is involved. Every response is checked, so a broken bot cannot look fast.
 *
 * Settings (environment): BENCH_CONCURRENCY (8); BENCH_WARMUP_SECONDS (3) and BENCH_SECONDS (8), each per server
 * and scenario; BENCH_ROUNDS (8), how many alternating slices the measured seconds are cut into.
 * Exit code 1 when any request failed or a server did not start; a missed target is reported, not fatal.
 *
 * Sections: `http` (the above), `iocs` (IOC extraction throughput and precision against ioc-extractor, see
 * bench/iocs.mjs), `kql` (KQL validator cold start, latency and memory, see bench/kql.mjs), `feed` (alert feed
 * ingestion and webhook-to-post latency, see bench/feed.mjs) and `load` (concurrent conversations with a fake LLM
 * of realistic latency, see bench/load.mjs).
 * `npm run bench -- --only iocs` or BENCH_ONLY=iocs runs one section.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDirectory = fileURLToPath(new URL('./results/', import.meta.url));
const botName = 'SOC Copilot';

const settings = {
  concurrency: readPositiveNumber('BENCH_CONCURRENCY', 8),
  warmupMs: readPositiveNumber('BENCH_WARMUP_SECONDS', 3) * 1000,
  durationMs: readPositiveNumber('BENCH_SECONDS', 8) * 1000,
  rounds: Math.max(1, Math.round(readPositiveNumber('BENCH_ROUNDS', 8))),
};

/** Add a scenario here: the text an analyst sends, and how to recognise our bot's right answer. */
const scenarios = [
  {
    name: 'help',
    text: 'help',
    check: adaptiveCardContaining(`What ${botName} can do`),
    // Help does no copilot work, so it shows our fixed per-turn cost: edge, Teams AI routing and turn state, one card.
    minimumRatio: 0.5,
  },
  {
    name: 'explain-alert (offline)',
    text: 'explain alert da-1009',
    check: adaptiveCardContaining('Immediate risk'),
  },
];

/**
 * A Teams-like 1:1 message. Each worker has its own conversation and user: Teams delivers one conversation's
 * turns one after another, and concurrent turns in one conversation would race on its stored turn state.
 */
function activityFor(text, sequence, workerIndex) {
  return JSON.stringify({
    type: 'message',
    id: `bench-${sequence}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    // Never called: with expectReplies the replies travel in the HTTP response. Loopback so nothing can leave.
    serviceUrl: 'http://127.0.0.1:9/',
    deliveryMode: 'expectReplies',
    from: { id: `bench-user-${workerIndex}`, name: 'Bench Analyst' },
    recipient: { id: 'bench-bot', name: botName },
    conversation: { id: `bench-conversation-${workerIndex}`, conversationType: 'personal' },
    locale: 'en-US',
    text,
  });
}

function repliesIn(body) {
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return { problem: `body is not JSON (${error.message})` };
  }
  const activities = parsed?.activities;
  if (!Array.isArray(activities) || activities.length === 0) return { problem: 'no activities in the body' };
  return { activities };
}

function adaptiveCardContaining(marker) {
  return (_status, body) => {
    const { activities, problem } = repliesIn(body);
    if (problem) return problem;
    const cards = activities.flatMap((activity) =>
      (activity.attachments ?? []).filter(
        (attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive',
      ),
    );
    if (cards.length === 0) {
      return `no Adaptive Card in the replies (${activities.map((activity) => activity.type).join(', ')})`;
    }
    if (!cards.some((card) => JSON.stringify(card.content).includes(marker))) {
      return `no card contains "${marker}" (an error card?): ${JSON.stringify(cards[0].content).slice(0, 200)}`;
    }
    return undefined;
  };
}

function echoOf(text) {
  return (_status, body) => {
    const { activities, problem } = repliesIn(body);
    if (problem) return problem;
    const expected = `echo: ${text}`;
    return activities.some((activity) => activity.type === 'message' && activity.text === expected)
      ? undefined
      : `no "${expected}" reply`;
  };
}

/** One server in one scenario: how to load it and check its answers, and the runs collected so far. */
function contender(scenario, server, check) {
  return {
    server,
    runs: [],
    cpuMs: 0,
    load: (durationMs) =>
      runLoad({
        url: `${server.url}/api/messages`,
        bodyFor: (sequence, workerIndex) => activityFor(scenario.text, sequence, workerIndex),
        check,
        concurrency: settings.concurrency,
        durationMs,
      }),
  };
}

/**
 * The servers take turns in short rounds, so other work on the machine slows both alike instead of whichever
 * happened to run during it; who goes first alternates, so a slow spell does not always land on the same one.
 */
async function measureInRounds(contenders) {
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const entry of round % 2 === 0 ? contenders : [...contenders].reverse()) {
      const cpuBefore = processCpuMs(entry.server.pid);
      entry.runs.push(await entry.load(settings.durationMs / settings.rounds));
      const cpuAfter = processCpuMs(entry.server.pid);
      entry.cpuMs = cpuBefore === undefined ? undefined : entry.cpuMs + (cpuAfter - cpuBefore);
    }
  }
}

function figuresOf({ warmup, runs, cpuMs }) {
  const figures = combineRuns(runs);
  return {
    ...figures,
    warmupRequests: warmup.latencies.length,
    warmupErrors: warmup.errors,
    problems: [...warmup.problems, ...figures.problems].slice(0, 5),
    serverCpuMsPerRequest: cpuMs === undefined ? undefined : cpuMs / figures.requests,
    serverCpuPercent: cpuMs === undefined ? undefined : (cpuMs / figures.elapsedMs) * 100,
  };
}

const format = (value, digits = 1) => (value === undefined || Number.isNaN(value) ? '-' : value.toFixed(digits));

function printTable(results) {
  const header = [
    'scenario',
    'server',
    'requests',
    'req/s',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'cpu ms/req',
    'errors',
    'ratio',
  ];
  const rows = results.flatMap((result) =>
    [
      ['echo', result.echo, ''],
      ['soc-copilot', result.bot, format(result.throughputRatio, 2)],
    ].map(([server, figures, ratio]) => [
      result.name,
      server,
      String(figures.requests),
      format(figures.throughput, 0),
      format(figures.latencyMs.p50, 2),
      format(figures.latencyMs.p90, 2),
      format(figures.latencyMs.p99, 2),
      format(figures.serverCpuMsPerRequest, 3),
      String(figures.errors + figures.warmupErrors),
      ratio,
    ]),
  );
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells) =>
    cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

async function main() {
  const machine = describeMachine();
  console.log(
    `bench: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, node ${machine.node}, botbuilder ${machine.botbuilder}, ` +
      `restify ${machine.restify}, load ${machine.loadAverageAtStart.join(' ')}, commit ${machine.commit}`,
  );
  console.log(
    `bench: concurrency ${settings.concurrency}, warm-up ${settings.warmupMs / 1000} s, measured ${settings.durationMs / 1000} s ` +
      `per server and scenario in ${settings.rounds} alternating rounds`,
  );

  const servers = [];
  // A hung server or turn must not hang CI: give up well after the expected run time.
  const expectedMs = scenarios.length * 2 * (settings.warmupMs + settings.durationMs);
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${Math.round((expectedMs + 60_000) / 1000)} s`);
    for (const server of servers) server.child.kill('SIGKILL');
    process.exit(1);
  }, expectedMs + 60_000);
  watchdog.unref();

  try {
    const botPort = await findFreePort();
    const started = await Promise.allSettled([
      forkServerProcess({
        name: 'echo bot',
        script: fileURLToPath(new URL('./echo-bot.mjs', import.meta.url)),
        env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: '0' },
      }),
      startServerProcess({
        name: 'soc-copilot',
        script: `${root}dist/index.js`,
        url: `http://127.0.0.1:${botPort}`,
        // An explicit environment: no app id (anonymous), no LLM keys from the caller's shell, nothing on disk.
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          PORT: String(botPort),
          HOST: '127.0.0.1',
          STORE: 'memory',
          LLM_PROVIDER: 'none',
          SECURITY_SOURCE: 'demo',
          LOG_LEVEL: 'warn',
          LOG_FORMAT: 'json',
          BOT_NAME: botName,
        },
      }),
    ]);
    // Keep whichever started, so the finally block stops it even when the other failed.
    for (const outcome of started) if (outcome.status === 'fulfilled') servers.push(outcome.value);
    const failure = started.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
    const [echo, bot] = servers;

    const pairs = scenarios.map((scenario) => [
      contender(scenario, echo, echoOf(scenario.text)),
      contender(scenario, bot, scenario.check),
    ]);
    // Every scenario warms up before any is measured: a Node server keeps speeding up for several seconds
    // (JIT tiers, each conversation's first turn), and the first scenario measured would otherwise pay for it.
    for (const entry of pairs.flat()) entry.warmup = await entry.load(settings.warmupMs);
    const results = [];
    for (const [index, scenario] of scenarios.entries()) {
      await measureInRounds(pairs[index]);
      const [echoFigures, botFigures] = pairs[index].map(figuresOf);
      const throughputRatio = botFigures.throughput / echoFigures.throughput;
      results.push({
        name: scenario.name,
        text: scenario.text,
        echo: echoFigures,
        bot: botFigures,
        throughputRatio,
        p50LatencyRatio: botFigures.latencyMs.p50 / echoFigures.latencyMs.p50,
        // Echo's CPU per request over ours: the same comparison, less moved by other work on the machine.
        cpuRatio: echoFigures.serverCpuMsPerRequest / botFigures.serverCpuMsPerRequest,
        minimumRatio: scenario.minimumRatio,
        targetMet: scenario.minimumRatio === undefined ? undefined : throughputRatio >= scenario.minimumRatio,
      });
    }

    console.log('');
    printTable(results);
    console.log('ratio: our req/s ÷ echo req/s; cpu ms/req: the server process CPU time per request (Linux /proc)');
    for (const result of results.filter((entry) => entry.minimumRatio !== undefined)) {
      console.log(
        `target: ${result.name} throughput ≥ ${result.minimumRatio} × echo — ${result.targetMet ? 'MET' : 'NOT MET'} ` +
          `(${format(result.throughputRatio, 2)}; by server CPU per request ${format(result.cpuRatio, 2)})`,
      );
    }
    let failed = false;
    for (const result of results) {
      for (const [server, figures] of [
        ['echo', result.echo],
        ['soc-copilot', result.bot],
      ]) {
        if (figures.errors + figures.warmupErrors === 0) continue;
        failed = true;
        console.error(`errors: ${result.name} / ${server}: ${figures.errors + figures.warmupErrors}`);
        for (const problem of figures.problems) console.error(`  ${problem}`);
      }
    }
    // The servers log at warn level, so their last lines usually say why turns failed.
    for (const server of failed ? servers : []) {
      const lastLines = server.output.trim().split('\n').slice(-10).join('\n');
      if (lastLines) console.error(`--- ${server.name}: last output ---\n${lastLines}`);
    }

    mkdirSync(resultsDirectory, { recursive: true });
    const file = `${resultsDirectory}latest.json`;
    writeFileSync(
      file,
      `${JSON.stringify({ finishedAt: new Date().toISOString(), machine, settings, scenarios: results }, null, 2)}\n`,
    );
    console.log(`results: ${file}`);
    if (failed) process.exitCode = 1;
  } finally {
    clearTimeout(watchdog);
    await Promise.all(servers.map((server) => stopServerProcess(server)));
  }
}

const sections = ['http', 'iocs', 'kql', 'feed', 'load'];

/** The section `--only NAME` or BENCH_ONLY names, or undefined for all of them. */
function onlySection() {
  const flag = process.argv.indexOf('--only');
  const only = flag === -1 ? process.env.BENCH_ONLY || undefined : process.argv[flag + 1];
  if (only !== undefined && !sections.includes(only)) {
    console.error(`bench: --only takes ${sections.join(', ')}, not "${only}"`);
    process.exit(2);
  }
  return only;
}

async function runSections() {
  const only = onlySection();
  if (only === undefined || only === 'http') await main();
  // After the HTTP servers have stopped, so the extraction timings do not share the CPU with them.
  if (only === undefined || only === 'iocs') await runIocBenchmark();
  if (only === undefined || only === 'kql') await runKqlBenchmark();
  // The alert feed (bench/feed.mjs): webhook ingestion throughput and webhook-to-post latency.
  if (only === undefined || only === 'feed') await runFeedBenchmark();
  // Concurrent conversations with a fake LLM of realistic latency (bench/load.mjs): first-response and answer
  // latency at the loopback connector, errors, and the bot's peak RSS.
  if (only === undefined || only === 'load') await runLoadBenchmark();
  // docs/BENCHMARKS.md lists every figure of the latest results of each section, with the machine.
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/benchmarks-doc.mjs', import.meta.url))], {
    stdio: 'inherit',
  });
}

runSections().catch((error) => {
  console.error(`bench: ${error.stack ?? error}`);
  process.exitCode = 1;
});
