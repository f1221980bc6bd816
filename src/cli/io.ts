/** What a CLI command reads and writes, injectable so commands are tested without a process. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  environment: NodeJS.ProcessEnv;
}

/** Exit codes: 0 success, 1 the work failed, 2 bad usage or input we do not accept. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;
