import { performance } from 'node:perf_hooks';
import { AuditScope } from '../audit';
import type { BotMetrics } from './bot-metrics';

/**
 * The turn's audit scope, which already knows the capability, the outcome and when the last answer went out,
 * also counts the turn and its latency. Measured with the monotonic clock (the audit record uses the services'
 * clock, which tests may fix), and recorded when the audit record would be written: work deferred past the
 * turn (`track`, e.g. a slow LLM answer) is part of the latency, and its failure makes the outcome an error.
 */
export class MeteredAuditScope extends AuditScope {
  private readonly startedAt = performance.now();
  private errored = false;
  private tracked = 0;
  private finishing = false;
  private observed = false;

  constructor(
    private readonly metrics: BotMetrics,
    ...auditArguments: ConstructorParameters<typeof AuditScope>
  ) {
    super(...auditArguments);
  }

  override fail(error: unknown): void {
    this.errored = true;
    super.fail(error);
  }

  override async track(work: () => Promise<void>): Promise<void> {
    this.tracked += 1;
    try {
      await super.track(work);
    } finally {
      this.tracked -= 1;
      if (this.finishing && this.tracked === 0) this.observe();
    }
  }

  override async finish(): Promise<void> {
    this.finishing = true;
    if (this.tracked === 0) this.observe();
    await super.finish();
  }

  private observe(): void {
    if (this.observed) return;
    this.observed = true;
    this.metrics.observeTurn({
      kind: this.kind === 'invoke' ? 'invoke' : 'message',
      capability: this.capability,
      outcome: this.errored ? 'error' : 'ok',
      seconds: (performance.now() - this.startedAt) / 1000,
    });
  }
}
