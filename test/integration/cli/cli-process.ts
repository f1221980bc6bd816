import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/** Runs the built CLI (dist/cli/main.js) as a real process, building it first when src/ is newer. */

export const projectRoot = path.resolve(__dirname, '..', '..', '..');
export const cliPath = path.join(projectRoot, 'dist', 'cli', 'main.js');

function newestModification(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    const time = entry.isDirectory() ? newestModification(full) : statSync(full).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

/** Builds dist/ with the project's own compiler unless dist/cli/main.js is newer than every file in src/. */
export async function ensureBuilt(): Promise<'fresh' | 'built'> {
  const sourceTime = newestModification(path.join(projectRoot, 'src'));
  if (existsSync(cliPath) && statSync(cliPath).mtimeMs >= sourceTime) return 'fresh';
  const compiler = path.join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [compiler, '-p', 'tsconfig.build.json'], {
    cwd: projectRoot,
    timeout: 170_000,
  });
  return 'built';
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI with only the environment a test gives it (plus PATH), so the developer's own OPENAI_API_KEY
 * or LLM settings never leak into a test. LLM_PROVIDER defaults to none.
 */
export function runBinary(
  args: string[],
  options: { environment?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', LLM_PROVIDER: 'none', ...options.environment },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`soc-copilot ${args.join(' ')} did not finish within ${options.timeoutMs ?? 20_000} ms`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
