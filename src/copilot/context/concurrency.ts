import { isCopilotError } from '../../errors';

/**
 * Time-outs and bounded fan-out for context gathering. A source that hangs must cost the analyst a gap in
 * the answer, not the answer; and one incident with forty accounts must not open forty connections at once.
 */

export class SourceTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'SourceTimeoutError';
  }
}

export class GatherAbortedError extends Error {
  constructor() {
    super('context gathering was cancelled');
    this.name = 'GatherAbortedError';
  }
}

/**
 * Runs `work` with its own AbortSignal that fires after `timeoutMs` or when `parent` aborts, and rejects at
 * that moment even if the work ignores the signal (data-source calls that take none still stop counting).
 */
export function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  parent?: AbortSignal,
): Promise<T> {
  if (parent?.aborted) return Promise.reject(new GatherAbortedError());
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = () => {
      controller.abort();
      finish(() => reject(new GatherAbortedError()));
    };
    const timer = setTimeout(() => {
      controller.abort();
      finish(() => reject(new SourceTimeoutError(timeoutMs)));
    }, timeoutMs);
    parent?.addEventListener('abort', onAbort, { once: true });
    let running: Promise<T>;
    try {
      running = work(controller.signal);
    } catch (error) {
      finish(() => reject(error));
      return;
    }
    running.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/** Maps with at most `limit` calls in flight; results keep the input order, each settled on its own. */
export async function mapSettledBounded<Item, Result>(
  items: readonly Item[],
  limit: number,
  map: (item: Item) => Promise<Result>,
): Promise<Array<PromiseSettledResult<Result>>> {
  const results: Array<PromiseSettledResult<Result>> = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = { status: 'fulfilled', value: await map(items[index]) };
      } catch (error) {
        results[index] = { status: 'rejected', reason: error };
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker());
  await Promise.all(workers);
  return results;
}

/**
 * Why a source failed, in words safe to show: our own time-out, a CopilotError's user message (adapters
 * translate vendor failures into those), or a generic phrase: other errors may carry payloads or internals.
 */
export function failureReason(error: unknown): string {
  if (error instanceof SourceTimeoutError) return `timed out (${error.message})`;
  if (!isCopilotError(error)) return 'failed with an unexpected error';
  const message = error.userMessage;
  const firstLine = message.split('\n')[0] ?? '';
  return `failed: ${firstLine.length > 160 ? `${firstLine.slice(0, 159)}…` : firstLine || 'unknown error'}`;
}
