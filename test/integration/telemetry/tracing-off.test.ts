import { silentLogger } from '../../../src/logger';
import { startTracing } from '../../../src/telemetry';
import { tracingEnabled } from '../../../src/telemetry/spans';
import { personalMessage } from '../../support/activities';
import { repliedCards, startTestBot } from '../../support/bot-harness';
import { startOtlpCollector } from './otlp-collector';

/**
 * Tracing off (no OTLP endpoint, the default): no module of the OpenTelemetry SDK or exporter is loaded, and nothing
 * reaches a collector, even one listening where the standard default endpoint would be.
 */
const mockLoaded: string[] = [];
for (const name of [
  '@opentelemetry/sdk-trace',
  '@opentelemetry/exporter-trace-otlp-http',
  '@opentelemetry/context-async-hooks',
  '@opentelemetry/resources',
]) {
  jest.doMock(name, () => {
    mockLoaded.push(name);
    return jest.requireActual(name);
  });
}

describe('with no OTLP endpoint configured', () => {
  it('answers without loading the SDK or sending anything to a collector', async () => {
    const collector = await startOtlpCollector();
    const bot = await startTestBot();
    try {
      const response = await bot.post(personalMessage('explain alert da-1009'));
      expect(repliedCards(response.body)).toHaveLength(1);
      expect(tracingEnabled()).toBe(false);
    } finally {
      await bot.stop();
    }
    expect(mockLoaded).toEqual([]);
    expect(collector.requests).toEqual([]);
    await collector.stop();
  });

  it('(the check works: turning tracing on loads them)', async () => {
    const tracing = await startTracing(
      { endpoint: 'http://127.0.0.1:9/v1/traces', headers: {}, serviceName: 'check', sampleRatio: 1 },
      silentLogger(),
    );
    expect(tracingEnabled()).toBe(true);
    await tracing?.shutdown();
    expect(tracingEnabled()).toBe(false);
    expect([...mockLoaded].sort()).toEqual([
      '@opentelemetry/context-async-hooks',
      '@opentelemetry/exporter-trace-otlp-http',
      '@opentelemetry/resources',
      '@opentelemetry/sdk-trace',
    ]);
  });
});
