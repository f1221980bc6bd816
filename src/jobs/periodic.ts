/**
 * A housekeeping job (retention cleanups): run a minute after start, then every `intervalMs`, on unref'd timers
 * so it never keeps the process alive. Each run's outcome goes to `onResult`; a failed run is reported, not thrown.
 * Returns a stop function for shutdown.
 */
export function startPeriodicJob(
  job: () => Promise<number>,
  onResult: (result: { removed: number } | { error: unknown }) => void,
  intervalMs: number,
  firstDelayMs = 60_000,
): () => void {
  const run = () => {
    job().then(
      (removed) => onResult({ removed }),
      (error: unknown) => onResult({ error }),
    );
  };
  const first = setTimeout(run, firstDelayMs);
  const timer = setInterval(run, intervalMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
