import type { Logger } from '../logger';

/**
 * Work that continues after a turn was acknowledged (slow LLM answers). Kept here only so shutdown can
 * wait for it; each task is self-contained and reports its own failures.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  get size(): number {
    return this.running.size;
  }

  run(name: string, task: () => Promise<void>): void {
    const promise: Promise<void> = task()
      .catch((error: unknown) => this.logger.error({ err: error, task: name }, 'background work failed'))
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  /** Waits for running work, up to the time limit. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.logger.warn({ pending: this.running.size }, 'shutdown: background work still running');
        resolve();
      }, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.running]).then(() => undefined), timeout]);
    clearTimeout(timer);
  }
}
