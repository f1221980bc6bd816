import { spawn } from 'node:child_process';
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Child processes for end-to-end tests: each runs in its own process group so stopping it also stops
 * anything it spawned, its output is kept (the tail goes into error messages), and every wait is bounded.
 */

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly exited: Promise<ExitStatus>;
  hasExited(): boolean;
  /** The last lines the process wrote to stdout and stderr. */
  outputTail(lines?: number): string;
  /** Calls the listener for every complete output line from now on. */
  onLine(listener: (line: string) => void): void;
  /** SIGTERM to the whole group, SIGKILL after the grace period; resolves once the leader has exited. */
  stop(gracePeriodMs?: number): Promise<void>;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Knows the process from the moment it is spawned, so a test can stop it even while it is starting. */
  tracker?: ProcessTracker;
}

const keptLines = 400;

export function startProcess(options: StartProcessOptions): ManagedProcess {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    // Its own process group: a signal to -pid reaches the child and everything it started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
  const pid = child.pid;

  const lines: string[] = [];
  const lineListeners: Array<(line: string) => void> = [];
  const collect = (stream: NodeJS.ReadableStream) => {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split(/\r?\n/);
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > keptLines) lines.shift();
        for (const listener of lineListeners) listener(line);
      }
    });
  };
  collect(child.stdout);
  collect(child.stderr);

  let exitStatus: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      exitStatus = { code, signal };
      resolve(exitStatus);
    });
    child.once('error', (error) => {
      lines.push(`[spawn error] ${error.message}`);
      exitStatus = { code: null, signal: null };
      resolve(exitStatus);
    });
  });

  const managed: ManagedProcess = {
    name: options.name,
    pid,
    exited,
    hasExited: () => exitStatus !== undefined,
    outputTail: (count = 40) => lines.slice(-count).join('\n'),
    onLine: (listener) => {
      lineListeners.push(listener);
    },
    async stop(gracePeriodMs = 8_000) {
      if (exitStatus === undefined) {
        signalGroup(pid, 'SIGTERM');
        if (!(await settlesWithin(exited, gracePeriodMs))) signalGroup(pid, 'SIGKILL');
        if (!(await settlesWithin(exited, 5_000)))
          throw new Error(`${options.name} (pid ${pid}) did not exit even after SIGKILL`);
      }
      // The leader is gone; anything it left behind in its group goes too.
      signalGroup(pid, 'SIGKILL');
    },
  };
  options.tracker?.add(managed);
  return managed;
}

/**
 * Every process a test started, so afterAll can stop them all even when beforeAll timed out halfway
 * through starting them. While any is tracked, an exit hook SIGKILLs their groups as a last resort (a
 * crashed or interrupted test run must not leave a bot listening).
 */
export class ProcessTracker {
  private readonly processes = new Set<ManagedProcess>();
  private stopped = false;
  private readonly killOnExit = () => {
    for (const managed of this.processes) signalGroup(managed.pid, 'SIGKILL');
  };

  add(managed: ManagedProcess): void {
    if (this.stopped) {
      // Started after the test gave up: stop it at once, and stop the start-up that is still running.
      void managed.stop();
      throw new Error(`${managed.name} was started after the test run stopped its processes`);
    }
    if (this.processes.size === 0) process.once('exit', this.killOnExit);
    this.processes.add(managed);
  }

  async stopAll(): Promise<void> {
    this.stopped = true;
    const results = await Promise.allSettled([...this.processes].map((managed) => managed.stop()));
    process.removeListener('exit', this.killOnExit);
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    if (failures.length > 0) throw new AggregateError(failures, 'some test processes did not stop');
  }
}

/** Whether the promise settles within the time limit; the timer is cleared either way (no open handle). */
async function settlesWithin(promise: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Signals a process group; a group that no longer exists is already what we wanted. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it, so collisions are unlikely). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Extra context for the error, e.g. a process's output tail. */
  diagnostics?: () => string;
  /** A reason to give up at once (e.g. the process being awaited has exited), or undefined to keep waiting. */
  giveUpIf?: () => string | undefined;
}

/** Polls `check` until it returns a value; throws a clear error naming what was awaited on timeout. */
export async function waitFor<T>(
  description: string,
  check: () => Promise<T | undefined>,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastProblem = 'no attempt finished';
  const details = () => (options.diagnostics ? `\n${options.diagnostics()}` : '');
  while (Date.now() < deadline) {
    const reason = options.giveUpIf?.();
    if (reason) throw new Error(`Gave up waiting for ${description}: ${reason}${details()}`);
    try {
      const value = await check();
      if (value !== undefined) return value;
      lastProblem = 'not yet';
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await delay(options.intervalMs ?? 200);
  }
  throw new Error(
    `Timed out after ${options.timeoutMs} ms waiting for ${description} (last: ${lastProblem})${details()}`,
  );
}

/** GET with a time limit; resolves to the status and body, rejects when nothing answers. */
export async function getText(url: string, timeoutMs = 2_000): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, body: await response.text() };
}
