import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '../errors';
import { toCopilotError } from '../errors';
import type { AuditRecord, AuditReport } from './record';
import { redactSecrets } from '../security/redact';
import type { AuditTrail } from './trail';
import { annotateCurrentSpan } from '../telemetry/spans';

const maxInputLength = 200;

/**
 * One request's audit record in the making: started when a message or card action arrives, completed by what
 * the handler reports (`report`), closed by `finish`. Work that continues after the turn (`track`) keeps the
 * record open until it ends, so a slow LLM answer's engine and tokens are in the one record.
 * Writing never fails the turn: a failure is passed to `onWriteError`.
 */
export class AuditScope {
  capability: string;
  private readonly started: number;
  private readonly inputs: AuditRecord['inputs'] = {};
  private engine?: AuditRecord['engine'];
  private tokens?: AuditRecord['tokens'];
  private dataSources = new Set<string>();
  private kql?: string;
  private resultId?: string;
  private errorCode?: ErrorCode;
  private pending = 0;
  private finished = false;
  private written = false;

  constructor(
    private readonly trail: AuditTrail,
    private readonly base: Pick<AuditRecord, 'kind' | 'actor' | 'where' | 'correlationId'> & { capability: string },
    private readonly clock: () => Date,
    private readonly onWriteError: (error: unknown) => void,
  ) {
    this.capability = base.capability;
    this.started = clock().getTime();
  }

  /** Adds ids of the request's inputs; only short scalar values are kept (never a pasted payload). */
  addInputs(inputs: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(inputs)) {
      if (typeof value === 'number' && Number.isFinite(value)) this.inputs[name] = value;
      else if (
        typeof value === 'string' &&
        value.trim() !== '' &&
        value.length <= maxInputLength &&
        !/[{\n]/.test(value)
      )
        this.inputs[name] = redactSecrets(value.trim());
    }
  }

  report(report: AuditReport): void {
    if (report.engine?.kind === 'llm') {
      this.engine = { kind: 'llm', provider: report.engine.provider, model: report.engine.model };
      const usage = report.engine.usage;
      if (usage) {
        const previous = this.tokens ?? { prompt: 0, completion: 0, total: 0 };
        this.tokens = {
          prompt: previous.prompt + usage.promptTokens,
          completion: previous.completion + usage.completionTokens,
          total: previous.total + usage.totalTokens,
        };
      }
    } else if (report.engine?.kind === 'offline' && this.engine === undefined) {
      this.engine = { kind: 'offline' };
    }
    for (const source of report.dataSources ?? []) this.dataSources.add(source);
    if (report.kql !== undefined) this.kql = redactSecrets(report.kql).slice(0, 4000);
    if (report.resultId !== undefined) this.resultId = report.resultId;
    if (report.inputs) this.addInputs(report.inputs);
  }

  get kind(): AuditRecord['kind'] {
    return this.base.kind;
  }

  fail(error: unknown): void {
    this.errorCode = toCopilotError(error).code;
  }

  /** Runs work that outlives the turn; the record is written when the last such work ends. */
  async track(work: () => Promise<void>): Promise<void> {
    this.pending += 1;
    try {
      await work();
    } catch (error) {
      this.fail(error);
      throw error;
    } finally {
      this.pending -= 1;
      if (this.finished && this.pending === 0) await this.write();
    }
  }

  async finish(): Promise<void> {
    // The request's trace says what the turn was (never its inputs): called at the end of the turn, in its context.
    annotateCurrentSpan({ 'soc.capability': this.capability });
    this.finished = true;
    if (this.pending === 0) await this.write();
  }

  private async write(): Promise<void> {
    if (this.written) return;
    this.written = true;
    const record: AuditRecord = {
      id: randomUUID(),
      at: new Date(this.started).toISOString(),
      kind: this.base.kind,
      capability: this.capability,
      actor: this.base.actor,
      where: this.base.where,
      inputs: this.inputs,
      engine: this.engine,
      tokens: this.tokens,
      dataSources: this.dataSources.size > 0 ? [...this.dataSources] : undefined,
      kql: this.kql,
      resultId: this.resultId,
      durationMs: Math.max(0, this.clock().getTime() - this.started),
      outcome: this.errorCode === undefined ? 'ok' : 'error',
      errorCode: this.errorCode,
      correlationId: this.base.correlationId,
    };
    try {
      await this.trail.append(record);
    } catch (error) {
      this.onWriteError(error);
    }
  }
}
