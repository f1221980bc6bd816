import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../../src/store/sqlite-store';

/**
 * The SQLite store shared by separate processes and killed mid-write. The children run the real store
 * through fixtures/store-child.js (see its header for why it is plain JavaScript).
 */
const childScript = path.join(__dirname, 'fixtures', 'store-child.js');

let temporaryRoot: string;
const running: ChildProcessWithoutNullStreams[] = [];

beforeAll(() => {
  temporaryRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-copilot-processes-'));
});

afterEach(() => {
  // A failed expectation must not leave a writer running (write-forever never stops on its own).
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

afterAll(() => {
  fs.rmSync(temporaryRoot, { recursive: true, force: true });
});

interface Child {
  process: ChildProcessWithoutNullStreams;
  lines: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stdout line the predicate accepts; rejects if the child exits first. */
  waitForLine: (predicate: (line: string) => boolean) => Promise<string>;
}

function startChild(...args: string[]): Child {
  const child = spawn(process.execPath, [childScript, ...args], { stdio: 'pipe' });
  running.push(child);
  const lines: string[] = [];
  const waiters: { predicate: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let stdoutRest = '';
  let stderrText = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (stdoutRest + chunk.toString('utf8')).split('\n');
    stdoutRest = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const waiter of waiters.filter((candidate) => candidate.predicate(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderrText += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    process: child,
    lines,
    stderr: () => stderrText,
    exited,
    waitForLine: (predicate) => {
      const seen = lines.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      return Promise.race([
        new Promise<string>((resolve) => waiters.push({ predicate, resolve })),
        exited.then(({ code, signal }) => {
          throw new Error(`Child exited (code ${code}, signal ${signal}) before the expected line:\n${stderrText}`);
        }),
      ]);
    },
  };
}

function integrityCheck(filePath: string): string[] {
  const database = new Database(filePath, { readonly: true });
  try {
    return database.prepare('PRAGMA integrity_check').pluck().all() as string[];
  } finally {
    database.close();
  }
}

describe('SqliteStore across processes', () => {
  jest.setTimeout(60_000);

  it('loses no increment when two processes read-modify-write the same key at the same time', async () => {
    const directory = path.join(temporaryRoot, 'two-writers');
    const times = 300;
    const children = [
      startChild('increment', directory, String(times)),
      startChild('increment', directory, String(times)),
    ];
    await Promise.all(children.map((child) => child.waitForLine((line) => line === 'ready')));
    // Both start only once both are ready, so their loops overlap rather than run one after the other.
    for (const child of children) child.process.stdin.write('go\n');
    const exits = await Promise.all(children.map((child) => child.exited));
    for (const [index, exit] of exits.entries()) {
      expect({ exit, stderr: children[index].stderr() }).toEqual({ exit: { code: 0, signal: null }, stderr: '' });
    }

    const store = SqliteStore.open({ directory });
    expect((await store.get('counter/shared'))?.value).toEqual({ count: 2 * times });
    await store.close();
    const conflicts = children.map((child) => Number(child.lines.find((line) => line.startsWith('done '))?.slice(5)));
    // Conflicts in both prove the two processes really interleaved; without them the test would show nothing.
    expect(Math.min(...conflicts)).toBeGreaterThan(0);
    expect(integrityCheck(store.filePath)).toEqual(['ok']);
  });

  it('stays readable and consistent after the writer is killed with SIGKILL mid-loop, three times over', async () => {
    const directory = path.join(temporaryRoot, 'killed-writer');
    let lastAcknowledged = 0;
    for (let round = 0; round < 3; round += 1) {
      const writer = startChild('write-forever', directory);
      const target = lastAcknowledged + 200;
      const line = await writer.waitForLine((candidate) => Number(candidate.split(' ')[1]) >= target);
      // Kill at a random moment after the target, so the kill lands at varying points of a write.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
      writer.process.kill('SIGKILL');
      expect(await writer.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const acknowledged = Math.max(...writer.lines.map((candidate) => Number(candidate.split(' ')[1])));
      expect(acknowledged).toBeGreaterThanOrEqual(Number(line.split(' ')[1]));

      const store = SqliteStore.open({ directory });
      const progress = await store.get<{ count: number }>('counter/progress');
      const items = await store.list('item/');
      await store.close();
      const count = progress?.value.count ?? 0;
      // Every write the child saw committed is still there: a killed process loses nothing committed in WAL mode.
      expect(count).toBeGreaterThanOrEqual(acknowledged);
      // Items are written before the counter, so at most the one item after the counter can exist.
      expect([count, count + 1]).toContain(items.length);
      expect(items).toEqual(
        Array.from({ length: items.length }, (_unused, index) => `item/${String(index + 1).padStart(8, '0')}`),
      );
      expect(integrityCheck(store.filePath)).toEqual(['ok']);
      lastAcknowledged = count;
    }
  });
});
