import { readFile } from 'node:fs/promises';

/** What a CLI command reads and writes, injectable so commands are tested without a process. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  environment: NodeJS.ProcessEnv;
}

/** Exit codes: 0 success, 1 the work failed, 2 bad usage or input we do not accept. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/** A problem with what the user typed or pointed us at: one line on stderr, exit code 2. */
export class CommandUsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
    this.name = 'CommandUsageError';
  }
}

const unreadableReasons: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

export function unreadable(path: string, error: unknown): never {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && Object.hasOwn(unreadableReasons, code)) {
    throw new CommandUsageError(`cannot read ${path}: ${unreadableReasons[code]}`);
  }
  throw error;
}

/** The whole of FILE, or of standard input for `-`; an unreadable file is a usage error naming why. */
export async function readWholeInput(source: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(source, 'utf8');
  } catch (error) {
    return unreadable(source, error);
  }
}
