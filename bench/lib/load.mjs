import http from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A closed-loop load generator: `concurrency` workers each send one request, wait for the whole response,
 * check it, and send the next, until the deadline. Closed-loop keeps the number of in-flight turns fixed, so
 * throughput and latency of two servers are compared at the same load.
 */

/** Nearest-rank percentile of an ascending array; `undefined` for no values. */
export function percentile(sortedValues, percent) {
  if (sortedValues.length === 0) return undefined;
  const rank = Math.ceil((percent / 100) * sortedValues.length);
  return sortedValues[Math.min(sortedValues.length - 1, Math.max(0, rank - 1))];
}

export function summarizeLatencies(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean: sorted.length > 0 ? total / sorted.length : undefined,
    max: sorted.length > 0 ? sorted[sorted.length - 1] : undefined,
  };
}

/**
 * One POST; resolves with status, body and latency in ms (request start to last body byte). Network errors and
 * timeouts resolve too, as a status of 0 and an `error`, so one bad request cannot stop a worker.
 */
export function postJson({ agent, url, body, timeoutMs }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const finish = (outcome) => resolve({ ...outcome, latencyMs: performance.now() - started });
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      timeout: timeoutMs,
    });
    request.on('response', (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => finish({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', (error) => finish({ status: 0, body: '', error: error.message }));
    });
    request.on('timeout', () => request.destroy(new Error(`no response within ${timeoutMs} ms`)));
    request.on('error', (error) => finish({ status: 0, body: '', error: error.message }));
    request.end(body);
  });
}

/**
 * Runs `concurrency` workers against `url` for `durationMs`. `bodyFor(sequence, worker)` builds each request body;
 * `check(status, body)` returns a problem description, or undefined when the response is the right kind.
 * Latency is measured before the check, so checking costs the same for every server and is not counted as latency.
 */
export async function runLoad({ url, bodyFor, check, concurrency, durationMs, timeoutMs = 10_000 }) {
  // One socket per worker, reused: the comparison is about turn cost, not about TCP handshakes.
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  const problems = [];
  let errors = 0;
  let sequence = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationMs;

  async function worker(workerIndex) {
    while (performance.now() < deadline) {
      sequence += 1;
      const outcome = await postJson({ agent, url, body: bodyFor(sequence, workerIndex), timeoutMs });
      latencies.push(outcome.latencyMs);
      const problem = outcome.error ?? (outcome.status === 200 ? check(outcome.status, outcome.body) : undefined);
      if (outcome.status !== 200 || problem) {
        errors += 1;
        // A few examples are enough to diagnose; keeping all would grow without bound on a broken server.
        if (problems.length < 5) problems.push(`HTTP ${outcome.status}: ${problem ?? outcome.body.slice(0, 200)}`);
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, (_unused, index) => worker(index)));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  return { latencies, errors, problems, elapsedMs, generatorCpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * Combines runs against one server (e.g. rounds interleaved with another server's) into one set of figures:
 * throughput over the summed run time, percentiles over all latencies together.
 */
export function combineRuns(runs) {
  const latencies = runs.flatMap((run) => run.latencies);
  const elapsedMs = runs.reduce((sum, run) => sum + run.elapsedMs, 0);
  const generatorCpuMs = runs.reduce((sum, run) => sum + run.generatorCpuMs, 0);
  return {
    requests: latencies.length,
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    problems: runs.flatMap((run) => run.problems).slice(0, 5),
    elapsedMs,
    throughput: latencies.length / (elapsedMs / 1000),
    latencyMs: summarizeLatencies(latencies),
    // How busy the load generator itself was: near 100% means it, not the server, may be the bottleneck.
    generatorCpuPercent: (generatorCpuMs / elapsedMs) * 100,
  };
}
