import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const repositoryRoot = join(__dirname, '..', '..', '..');

export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the project's .mjs scripts the way npm does, with the given variables on top of this environment. */
export function runScript(script: string, args: string[], environment: Record<string, string> = {}): ScriptResult {
  const result = spawnSync(process.execPath, [join(repositoryRoot, 'scripts', script), ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, ...environment },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
