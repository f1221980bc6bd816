import { Writable } from 'node:stream';
import pino from 'pino';
import { redactedPaths, type Logger } from '../../../../src/logger';
import type { Indicator, ProviderFinding, ThreatIntelProvider } from '../../../../src/intel/enrichment/types';
import { emptyAssociations } from '../../../../src/intel/enrichment/types';

/**
 * Virtual time: `sleep` schedules a wake-up instead of waiting. Sleepers wake one per event-loop turn, earliest
 * due first, and the clock jumps to each one's due time, so concurrent sleepers see the times they would see
 * for real, in no real time. Every requested wait is recorded.
 */
export function virtualTime(start = Date.parse('2025-03-04T09:00:00.000Z')) {
  let now = start;
  const sleeps: number[] = [];
  const sleepers: Array<{ due: number; order: number; wake: () => void }> = [];
  let order = 0;
  let scheduled = false;
  const wakeNext = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      sleepers.sort((left, right) => left.due - right.due || left.order - right.order);
      const next = sleepers.shift();
      if (next === undefined) return;
      now = Math.max(now, next.due);
      next.wake();
      wakeNext();
    });
  };
  return {
    clock: () => now,
    sleep: (milliseconds: number): Promise<void> => {
      sleeps.push(milliseconds);
      return new Promise<void>((wake) => {
        sleepers.push({ due: now + milliseconds, order: (order += 1), wake });
        wakeNext();
      });
    },
    advance(milliseconds: number) {
      now += milliseconds;
    },
    sleeps,
    elapsed: () => now - start,
  };
}

export type FakeAnswer = ProviderFinding | Error | ((indicator: Indicator) => Promise<ProviderFinding>);

/** A provider that answers from a script and records every lookup (with the virtual time it happened at). */
export function fakeProvider(
  id: string,
  options: {
    name?: string;
    supports?: (indicator: Indicator) => boolean;
    answer?: FakeAnswer;
    clock?: () => number;
  } = {},
) {
  const calls: Array<{ indicator: Indicator; at: number }> = [];
  const provider: ThreatIntelProvider & { calls: typeof calls; answer: FakeAnswer } = {
    id,
    name: options.name ?? id,
    calls,
    answer: options.answer ?? finding('harmless'),
    supports: options.supports ?? (() => true),
    async lookup(indicator) {
      calls.push({ indicator, at: options.clock?.() ?? Date.now() });
      const answer = provider.answer;
      if (answer instanceof Error) throw answer;
      if (typeof answer === 'function') return answer(indicator);
      return structuredClone(answer);
    },
  };
  return provider;
}

export function finding(
  verdict: ProviderFinding['verdict'],
  overrides: Partial<ProviderFinding> = {},
): ProviderFinding {
  return { verdict, detail: `says ${verdict}`, associations: emptyAssociations(), ...overrides };
}

/** A real pino logger (with the app's redaction) writing JSON lines into memory, at debug level. */
export function capturingLogger(): { logger: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logger = pino({ level: 'debug', redact: { paths: redactedPaths, censor: '[redacted]' } }, stream);
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean) };
}
