import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The facts that make figures comparable: hardware, runtime, library versions, load and commit. */
export function describeMachine() {
  const require = createRequire(import.meta.url);
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim(),
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    botbuilder: require('botbuilder/package.json').version,
    restify: require('restify/package.json').version,
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
    commit: describeCommit(),
  };
}

export function describeCommit() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8' }).trim();
    return dirty ? `${commit} (src/ modified)` : commit;
  } catch (error) {
    // Figures without a commit are still worth having (e.g. run from a tarball).
    return `unknown (${error.message.split('\n')[0]})`;
  }
}
