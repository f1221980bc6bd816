import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { summarizeLatencies } from './lib/load.mjs';
import { findFreePort, startServerProcess, stopServerProcess } from './lib/servers.mjs';

/**
 * `npm run bench -- --only feed`: the alert feed through the built bot (dist/index.js, durable SQLite store with
 * synchronous=FULL, a subscribed channel, real HMAC signatures), with a loopback Bot Connector in this process.
 *
 * - end-to-end latency: one signed alert at a time (paced under Teams' 7/s and 60/30 s per-conversation limits),
 *   from the webhook request to the card's POST at the connector;
 * - ingestion throughput: closed-loop signed webhook requests (single alerts, then batches) answered 202, each
 *   alert stored with its outbox job before the answer.
 * Settings: BENCH_FEED_SECONDS (8) per throughput run, BENCH_FEED_CONCURRENCY (16), BENCH_FEED_LATENCY_ALERTS (50).
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsFile = fileURLToPath(new URL('./results/feed.json', import.meta.url));
const secret = 'bench-feed-secret-0123456789abcdef0123456789';
const channel = '19:bench-soc@thread.tacv2';
const log = (line) => console.log(line);

const numberSetting = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

function startConnector(onPost) {
  let next = 1;
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST') onPost(Buffer.concat(chunks).toString('utf8'), performance.now());
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: `activity-${next++}` }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function graphAlert(id) {
  return {
    '@odata.type': '#microsoft.graph.security.alert',
    id,
    incidentId: '42',
    status: 'new',
    severity: 'high',
    title: `Suspicious PowerShell download ${id}`,
    description: 'PowerShell downloaded a script from hxxps://cdn.evil.example/stage2.ps1 and ran it.',
    serviceSource: 'microsoftDefenderForEndpoint',
    category: 'Execution',
    mitreTechniques: ['T1059.001', 'T1105'],
    createdDateTime: new Date().toISOString(),
    lastUpdateDateTime: new Date().toISOString(),
    evidence: [
      { '@odata.type': '#microsoft.graph.security.deviceEvidence', deviceDnsName: 'ws-0142.contoso.local', roles: [] },
      { '@odata.type': '#microsoft.graph.security.ipEvidence', ipAddress: '203.0.113.7', roles: [] },
    ],
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One signed POST to /api/alerts; resolves with the status and the latency in ms. */
function sendSigned(url, body) {
  const raw = JSON.stringify(body);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`;
  return new Promise((resolve) => {
    const started = performance.now();
    const request = http.request(`${url}/api/alerts`, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(raw),
        'x-soc-timestamp': String(timestamp),
        'x-soc-signature': signature,
      },
    });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, latencyMs: performance.now() - started }));
    });
    request.on('error', () => resolve({ status: 0, latencyMs: performance.now() - started }));
    request.end(raw);
  });
}

async function startFeedBot(connectorUrl) {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'soc-feed-bench-'));
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startServerProcess({
    name: 'SOC Copilot (feed)',
    script: path.join(root, 'dist/index.js'),
    url,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      KQL_WARMUP: 'false',
      STORE: 'sqlite',
      STORE_DIRECTORY: directory,
      ALERTS_WEBHOOK_SECRET: secret,
      ALERT_FEED_DEFAULT_SEVERITY: 'low',
    },
  });
  const mention = '<at>SOC Copilot</at>';
  const subscribe = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: 'bench-subscribe',
      channelId: 'msteams',
      serviceUrl: connectorUrl,
      from: { id: '29:bench', name: 'Bench Analyst', aadObjectId: '00000000-0000-0000-0000-0000000000b1' },
      recipient: { id: '28:bot', name: 'SOC Copilot' },
      conversation: { id: `${channel};messageid=1`, conversationType: 'channel', isGroup: true, tenantId: 't' },
      channelData: { tenant: { id: 't' }, team: { id: '19:team@thread.tacv2' }, channel: { id: channel } },
      text: `${mention} use this channel for alerts`,
      entities: [{ type: 'mention', text: mention, mentioned: { id: '28:bot', name: 'SOC Copilot' } }],
      deliveryMode: 'expectReplies',
    }),
  });
  if (!subscribe.ok || !(await subscribe.text()).includes('Alert feed on'))
    throw new Error('bench: subscription failed');
  return {
    url,
    async stop() {
      await stopServerProcess(server);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function measureLatency(count) {
  const arrivals = new Map();
  const connector = await startConnector((body, at) => {
    const match = /"alertId":"(bench-latency-\d+)"/.exec(body);
    if (match && !arrivals.has(match[1])) arrivals.set(match[1], at);
  });
  const connectorUrl = `http://127.0.0.1:${connector.address().port}/`;
  const bot = await startFeedBot(connectorUrl);
  const sent = new Map();
  const failures = [];
  try {
    for (let index = 0; index < count; index++) {
      const id = `bench-latency-${index}`;
      sent.set(id, performance.now());
      const { status } = await sendSigned(bot.url, graphAlert(id));
      if (status !== 202) failures.push(status);
      // 200 ms apart: 5 a second stays under 7/s, and 50 alerts under 60 per 30 s.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const deadline = Date.now() + 30_000;
    while (arrivals.size < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    await bot.stop();
    connector.close();
  }
  const latencies = [...sent].filter(([id]) => arrivals.has(id)).map(([id, at]) => arrivals.get(id) - at);
  return {
    alerts: count,
    posted: latencies.length,
    failures: failures.length,
    latencyMs: round(summarizeLatencies(latencies)),
  };
}

async function measureThroughput(batchSize, seconds, concurrency) {
  let posted = 0;
  const connector = await startConnector(() => {
    posted += 1;
  });
  const bot = await startFeedBot(`http://127.0.0.1:${connector.address().port}/`);
  let sequence = 0;
  let accepted = 0;
  let failed = 0;
  const latencies = [];
  try {
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    const worker = async () => {
      while (performance.now() < deadline) {
        const alerts = Array.from({ length: batchSize }, () => graphAlert(`bench-${batchSize}-${sequence++}`));
        const { status, latencyMs } = await sendSigned(bot.url, batchSize === 1 ? alerts[0] : alerts);
        if (status === 202) {
          accepted += batchSize;
          latencies.push(latencyMs);
        } else failed += 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsed = (performance.now() - started) / 1000;
    return {
      batchSize,
      concurrency,
      seconds: Number(elapsed.toFixed(1)),
      acceptedAlerts: accepted,
      alertsPerSecond: Math.round(accepted / elapsed),
      failedRequests: failed,
      requestLatencyMs: round(summarizeLatencies(latencies)),
      postedMeanwhile: posted,
    };
  } finally {
    await bot.stop();
    connector.close();
  }
}

function round(summary) {
  return Object.fromEntries(
    Object.entries(summary).map(([key, value]) => [key, value === undefined ? value : Number(value.toFixed(1))]),
  );
}

export async function runFeedBenchmark() {
  const seconds = numberSetting('BENCH_FEED_SECONDS', 8);
  const concurrency = numberSetting('BENCH_FEED_CONCURRENCY', 16);
  const latency = await measureLatency(numberSetting('BENCH_FEED_LATENCY_ALERTS', 50));
  const l = latency.latencyMs;
  log(
    `feed: webhook → card at the connector, ${latency.posted}/${latency.alerts} alerts: p50 ${l.p50} ms, ` +
      `p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms`,
  );
  const single = await measureThroughput(1, seconds, concurrency);
  log(
    `feed: ingestion, one alert per request (concurrency ${concurrency}): ${single.alertsPerSecond} alerts/s accepted ` +
      `(p50 ${single.requestLatencyMs.p50} ms, p99 ${single.requestLatencyMs.p99} ms per request, ${single.failedRequests} failed)`,
  );
  const batch = await measureThroughput(50, seconds, Math.max(1, Math.round(concurrency / 4)));
  log(
    `feed: ingestion, batches of 50 (concurrency ${batch.concurrency}): ${batch.alertsPerSecond} alerts/s accepted ` +
      `(p50 ${batch.requestLatencyMs.p50} ms, p99 ${batch.requestLatencyMs.p99} ms per request, ${batch.failedRequests} failed)`,
  );
  const results = {
    finishedAt: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    latency,
    single,
    batch,
  };
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  log(`results: ${resultsFile}`);
  if (
    latency.failures > 0 ||
    latency.posted < latency.alerts ||
    single.failedRequests > 0 ||
    batch.failedRequests > 0
  ) {
    process.exitCode = 1;
  }
  return results;
}

const runDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (runDirectly) {
  runFeedBenchmark().catch((error) => {
    console.error(`bench: ${error.stack ?? error}`);
    process.exitCode = 1;
  });
}
