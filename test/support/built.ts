import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '..', '..');

function newestMtime(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Path of a built file in dist/, building first when dist is missing or older than src (so a test of
 * the real binary never runs yesterday's build). `npm test` builds before jest, so this is usually free.
 */
export function builtFile(relativePath: string): string {
  const file = path.join(projectRoot, 'dist', relativePath);
  const stale = !existsSync(file) || statSync(file).mtimeMs < newestMtime(path.join(projectRoot, 'src'));
  if (stale)
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: projectRoot,
    });
  return file;
}

export interface BuiltServer {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
  /** The URL from the "listening" log line (JSON logs); rejects if the process exits first. */
  url: Promise<string>;
  exited: Promise<number | null>;
}

/** The production entry point (`npm start` = node dist/index.js) as a child process, with only `environment`. */
export function startBuiltServer(environment: Record<string, string>): BuiltServer {
  // Only what a clean machine has: no inherited bot, LLM or store settings from the developer's shell.
  const child = spawn(process.execPath, [builtFile('index.js')], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => reject(new Error(`server exited before listening:\n${output}`)));
  });
  url.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, url, exited };
}
