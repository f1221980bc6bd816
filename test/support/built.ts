import { execFileSync } from 'node:child_process';
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
