import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/**
 * The KQL validation section of `npm run bench`: what validating a query costs with the built validator
 * (dist/kql/validator), on the 97 KQLBench gold queries from ../shared/data/kqlbench/questions.dev.jsonl.
 *
 * - cold start: loading Microsoft's Kusto language service, building the Sentinel database (751 tables) and the
 *   first analysis, in a fresh child process so nothing else has warmed the JIT or the caches;
 * - latency: p50/p90/p99 per query after a warm-up, over BENCH_KQL_ROUNDS (5) passes of the dev set;
 * - memory: RSS and heap used once the Sentinel platform is loaded, and again with Defender as well.
 *
 * Runs alone with `node bench/kql.mjs` or `npm run bench -- --only kql` (after `npm run build`).
 */

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const questionsFile = fileURLToPath(new URL('../../shared/data/kqlbench/questions.dev.jsonl', import.meta.url));
const resultsFile = fileURLToPath(new URL('./results/kql-latest.json', import.meta.url));
const measureFlag = '--measure';

const megabytes = (bytes) => Math.round((bytes / 1024 ** 2) * 10) / 10;
const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** The measurement itself, in the child process: prints one JSON object on stdout. */
function measure() {
  const queries = readFileSync(questionsFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).KQL_query);
  const memoryAtStart = process.memoryUsage();
  const loadStarted = performance.now();
  const { validateKql, warmKqlValidator } = require(`${root}dist/kql/validator.js`);
  const moduleMs = performance.now() - loadStarted;
  const firstStarted = performance.now();
  const first = validateKql(queries[0], { platform: 'sentinel' });
  const coldStartMs = performance.now() - loadStarted;
  const firstAnalysisMs = performance.now() - firstStarted;
  if (!first.valid) throw new Error(`the first gold query is invalid: ${JSON.stringify(first.diagnostics)}`);
  const memoryAfterSentinel = process.memoryUsage();

  const warmupPasses = 3;
  for (let pass = 0; pass < warmupPasses; pass += 1)
    for (const query of queries) validateKql(query, { platform: 'sentinel' });
  const rounds = Math.max(1, Number(process.env.BENCH_KQL_ROUNDS ?? 5));
  const latencies = [];
  let invalid = 0;
  for (let pass = 0; pass < rounds; pass += 1) {
    for (const query of queries) {
      const started = performance.now();
      const result = validateKql(query, { platform: 'sentinel' });
      latencies.push(performance.now() - started);
      if (pass === 0 && !result.valid) invalid += 1;
    }
  }
  latencies.sort((left, right) => left - right);

  const defenderStarted = performance.now();
  warmKqlValidator({ platform: 'defender' });
  validateKql('DeviceProcessEvents | where Timestamp > ago(1d) | take 10', { platform: 'defender' });
  const defenderColdMs = performance.now() - defenderStarted;
  const memoryAfterBoth = process.memoryUsage();

  return {
    queries: queries.length,
    invalidGoldQueries: invalid,
    coldStartMs: round(coldStartMs),
    moduleLoadMs: round(moduleMs),
    firstAnalysisMs: round(firstAnalysisMs),
    defenderAddedMs: round(defenderColdMs),
    latencyMs: {
      samples: latencies.length,
      p50: round(percentile(latencies, 0.5), 3),
      p90: round(percentile(latencies, 0.9), 3),
      p99: round(percentile(latencies, 0.99), 3),
      max: round(latencies[latencies.length - 1], 3),
      mean: round(latencies.reduce((sum, value) => sum + value, 0) / latencies.length, 3),
    },
    memoryMb: {
      rssAtStart: megabytes(memoryAtStart.rss),
      rssSentinel: megabytes(memoryAfterSentinel.rss),
      heapUsedSentinel: megabytes(memoryAfterSentinel.heapUsed),
      rssBothPlatforms: megabytes(memoryAfterBoth.rss),
      heapUsedBothPlatforms: megabytes(memoryAfterBoth.heapUsed),
    },
  };
}

export async function runKqlBenchmark({ log = console.log } = {}) {
  if (!existsSync(questionsFile)) {
    log(`kql: skipped, ${questionsFile} (../shared) is absent`);
    return undefined;
  }
  if (!existsSync(`${root}dist/kql/validator.js`))
    throw new Error('dist/kql/validator.js is missing: run npm run build');
  // A fresh process, so the cold start is what a bot pays on its first query and not warmed by earlier sections.
  const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), measureFlag], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const figures = JSON.parse(output);
  log('');
  log(
    `kql: ${figures.queries} KQLBench gold queries (sentinel), ${figures.invalidGoldQueries} invalid; ` +
      `cold start ${figures.coldStartMs} ms (module ${figures.moduleLoadMs} ms, first analysis with the 751-table ` +
      `build ${figures.firstAnalysisMs} ms), defender platform added in ${figures.defenderAddedMs} ms`,
  );
  const latency = figures.latencyMs;
  log(
    `kql: latency per query over ${latency.samples} validations after warm-up: p50 ${latency.p50} ms, ` +
      `p90 ${latency.p90} ms, p99 ${latency.p99} ms, max ${latency.max} ms, mean ${latency.mean} ms`,
  );
  const memory = figures.memoryMb;
  log(
    `kql: memory: RSS ${memory.rssAtStart} MB at start, ${memory.rssSentinel} MB with sentinel loaded ` +
      `(heap used ${memory.heapUsedSentinel} MB), ${memory.rssBothPlatforms} MB with both platforms ` +
      `(heap used ${memory.heapUsedBothPlatforms} MB)`,
  );
  const results = { finishedAt: new Date().toISOString(), node: process.version, ...figures };
  mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  log(`results: ${resultsFile}`);
  if (figures.invalidGoldQueries > 0) process.exitCode = 1;
  return results;
}

const runDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (runDirectly && process.argv.includes(measureFlag)) {
  process.stdout.write(`${JSON.stringify(measure())}\n`);
} else if (runDirectly) {
  runKqlBenchmark().catch((error) => {
    console.error(`bench kql: ${error.stack ?? error}`);
    process.exitCode = 1;
  });
}
