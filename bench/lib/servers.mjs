import { execFileSync, fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The servers under test run as child processes, so the load generator (the parent) never shares their event
 * loop. Their output is kept (the tail only) and shown when one fails to start or dies.
 */

const outputTailBytes = 8 * 1024;

/** A port that was free a moment ago, for servers that cannot listen on port 0 themselves. */
export function findFreePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function trackChild(child, name) {
  const tracked = { name, child, output: '', exited: false, exitCode: undefined };
  const keep = (chunk) => {
    tracked.output = (tracked.output + chunk.toString('utf8')).slice(-outputTailBytes);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', (code, signal) => {
    tracked.exited = true;
    tracked.exitCode = code ?? signal;
  });
  return tracked;
}

function describeFailure(tracked, reason) {
  return new Error(`${tracked.name}: ${reason}\n--- last output ---\n${tracked.output.trim() || '(none)'}`);
}

/** Starts a Node script as a child and waits until GET `${url}/readyz` answers 200. */
export async function startServerProcess({ name, script, env, url, startTimeoutMs = 30_000 }) {
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tracked = trackChild(child, name);
  await waitForReady(tracked, url, startTimeoutMs);
  // The same object, so `output` and `exited` keep updating after start-up.
  return Object.assign(tracked, { url, pid: child.pid });
}

/** Forks a script that listens on port 0 and reports `{ listening: url }` over IPC. */
export async function forkServerProcess({ name, script, env, startTimeoutMs = 30_000 }) {
  const child = fork(script, [], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const tracked = trackChild(child, name);
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(describeFailure(tracked, 'did not report its address in time')),
      startTimeoutMs,
    );
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message.listening);
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(describeFailure(tracked, `exited (${tracked.exitCode}) before listening`));
    });
  });
  await waitForReady(tracked, url, startTimeoutMs);
  // The same object, so `output` and `exited` keep updating after start-up.
  return Object.assign(tracked, { url, pid: child.pid });
}

async function waitForReady(tracked, url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (tracked.exited) throw describeFailure(tracked, `exited (${tracked.exitCode}) before it was ready`);
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      lastProblem = `/readyz answered ${response.status}`;
    } catch (error) {
      // Connection refused until the server listens; remember why, in case it never does.
      lastProblem = error.cause?.code ?? error.message;
    }
    await sleep(100);
  }
  throw describeFailure(tracked, `not ready after ${timeoutMs} ms (${lastProblem})`);
}

/** SIGTERM, then SIGKILL if the child has not exited within the grace period. */
export async function stopServerProcess(server, gracePeriodMs = 5_000) {
  if (server.exited) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), gracePeriodMs);
  await exited;
  clearTimeout(timer);
}

let clockTicksPerSecond;

/**
 * CPU time (user + system, ms) a process has used so far, from /proc on Linux; undefined elsewhere. Server CPU
 * per request measures a turn's cost even when the load generator shares the machine's cores.
 */
export function processCpuMs(pid) {
  if (process.platform !== 'linux') return undefined;
  if (clockTicksPerSecond === undefined) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch (error) {
      // 100 is the Linux default; a wrong guess only scales the CPU column, so say so and go on.
      console.warn(`getconf CLK_TCK failed (${error.message}); assuming 100 ticks per second`);
      clockTicksPerSecond = 100;
    }
  }
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is fields[0], so utime (field 14) is fields[11] and stime (field 15) is fields[12].
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / clockTicksPerSecond) * 1000;
}
