import { CopilotError } from '../../../src/errors';
import { MemoryStore } from '../../../src/store';
import type { Store } from '../../../src/store/port';
import { personalMessage } from '../../support/activities';
import { repliedCards, startTestBot, type TestBot } from '../../support/bot-harness';
import { renderedText } from '../../support/cards';
import { fault, startFaultProxy, type FaultProxy } from '../../support/fault-proxy';
import { da1004Explanation, FakeLlmClient } from '../../support/fake-llm';
import { fakeReply, startFakeOpenAi, type FakeOpenAiReply, type FakeOpenAiServer } from '../../support/fake-openai';
import { FaultTally, gapsBetween, seconds } from './fault-tally';

/**
 * Faults (issue 10), the model and the store: the model failing in every way it can, the rate limits, a store
 * that cannot write. Each time the bot answers (degraded with a note, a "slow down" card, or a clear error card)
 * and the next request works; an investigation the model failed still leaves its finding.
 * - In process: a FakeLlmClient throwing each LLM error code.
 * - Over real HTTP: the real OpenAI-compatible adapter (LLM_PROVIDER=openai-compatible, LLM_TIMEOUT_MS=1000,
 *   LLM_MAX_RETRIES=2) against the loopback fake-openai server, behind a fault proxy that times the attempts:
 *   429 with Retry-After, 429 asking for longer than the adapter waits, 500s, a 503 blip, an answer after the
 *   time-out, dropped connections, garbage content.
 * Graph / Log Analytics down: faults-sources.test.ts. Connector throttling: faults-connector.test.ts.
 */

/** A MemoryStore whose writes fail while `broken` is set. */
class FlakyStore extends MemoryStore {
  broken = false;
  override put<T>(...args: Parameters<Store['put']>): Promise<{ etag: string }> {
    if (this.broken) return Promise.reject(new CopilotError('store_failure', 'fake disk full'));
    return super.put<T>(args[0], args[1] as T, args[2]);
  }
}

const tally = new FaultTally('faults');
let testBot: TestBot;
let llm: FakeLlmClient;
let store: FlakyStore;

beforeAll(async () => {
  llm = new FakeLlmClient();
  store = new FlakyStore();
  testBot = await startTestBot({
    overrides: { llm, store },
    environment: { LLM_RATE_PER_USER: '1000', LLM_RATE_PER_CONVERSATION: '1000' },
  });
});
afterAll(async () => {
  await testBot.stop();
  console.log(tally.summary());
});

async function askBot(bot: TestBot, text: string) {
  const started = Date.now();
  const response = await bot.post(personalMessage(text));
  const cards = repliedCards(response.body);
  return {
    status: response.status,
    text: JSON.stringify(cards),
    shown: cards.map((card) => renderedText(card)).join('\n'),
    cards: cards.length,
    elapsedMs: Date.now() - started,
  };
}

const ask = (text: string) => askBot(testBot, text);

async function expectNormalRequestWorks(bot: TestBot = testBot) {
  const after = await askBot(bot, 'help');
  expect(after.status).toBe(200);
  expect(after.text.length).toBeGreaterThan(100);
}

const llmFaults: Array<[string, CopilotError]> = [
  ['LLM 429', new CopilotError('llm_rate_limited', 'fake 429', { retryable: true })],
  ['LLM 500', new CopilotError('llm_unavailable', 'fake 500', { retryable: true })],
  ['LLM time-out', new CopilotError('llm_timeout', 'fake time-out', { retryable: true })],
  ['LLM garbage', new CopilotError('llm_invalid_output', 'fake garbage')],
];

describe('faults', () => {
  it.each(llmFaults)('%s: the offline engine answers with a note, and the next request works', async (name, error) => {
    await tally.run(`${name} (in process)`, async () => {
      for (let index = 0; index < 6; index += 1) llm.fail(error);
      const answer = await ask('explain alert da-1009');
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('offline engine instead');
      await expectNormalRequestWorks();
    });
  });

  it('store write failures: the bot still answers (or says clearly what failed), and recovers', async () => {
    await tally.run('store writes failing', async () => {
      store.broken = true;
      for (let index = 0; index < 6; index += 1) llm.fail(new CopilotError('llm_unavailable', 'fake'));
      const answer = await ask('explain alert da-1009');
      store.broken = false;
      expect(answer.status).toBe(200);
      expect(answer.text.length).toBeGreaterThan(100);
      await expectNormalRequestWorks();
    });
  });
});

describe('rate limits through the bot', () => {
  let limited: TestBot;
  beforeAll(async () => {
    limited = await startTestBot({
      overrides: { llm: new FakeLlmClient(), store: new MemoryStore() },
      environment: { LLM_RATE_PER_USER: '2' },
    });
  });
  afterAll(() => limited.stop());

  it('answers with a friendly "slow down" card (not an error card), while commands without the model still work', async () => {
    await tally.run('rate limit per user', async () => {
      const texts: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const response = await limited.post(personalMessage('explain alert da-1009'));
        expect(response.status).toBe(200);
        texts.push(JSON.stringify(repliedCards(response.body)));
      }
      expect(texts[2]).toContain('slow down');
      expect(texts[2]).toMatch(/try again in \d+ seconds/);
      expect(texts[2]).not.toContain('Something went wrong');
      const help = await limited.post(personalMessage('help'));
      expect(JSON.stringify(repliedCards(help.body))).not.toContain('slow down');
    });
  });
});

describe('the model circuit breaker through the bot', () => {
  let breaking: TestBot;
  let model: FakeLlmClient;
  beforeAll(async () => {
    model = new FakeLlmClient();
    breaking = await startTestBot({
      overrides: { llm: model, store: new MemoryStore() },
      environment: { LLM_CIRCUIT_FAILURES: '2', LLM_CIRCUIT_COOLDOWN_SECONDS: '1', LLM_RATE_PER_USER: '1000' },
    });
  });
  afterAll(() => breaking.stop());

  const readiness = async () =>
    ((await (await fetch(`${breaking.url}/readyz`)).json()) as { checks: Record<string, string> }).checks;

  it('after two outages the model is skipped (offline answers at once, /readyz shows it), then tried again', async () => {
    await tally.run('LLM circuit: open, fast offline answers, /readyz, closed again', async () => {
      model.unavailable().unavailable();
      for (let index = 0; index < 2; index += 1) {
        const answer = await askBot(breaking, 'explain alert da-1004');
        expect(answer.shown).toContain('This answer comes from the offline engine instead.');
      }
      const skipped = await askBot(breaking, 'explain alert da-1004');
      expect(skipped.shown).toMatch(/failed 2 times in a row; I will try it again after \d\d:\d\d:\d\d UTC/);
      expect(model.calls).toHaveLength(2);
      expect((await readiness())['circuit:language model']).toBe('degraded');
      tally.figure('LLM circuit open: offline answer without calling the model', `${skipped.elapsedMs} ms`);

      await new Promise((resolve) => setTimeout(resolve, 1_100));
      model.answer(da1004Explanation);
      const recovered = await askBot(breaking, 'explain alert da-1004');
      expect(recovered.shown).toContain(da1004Explanation.headline);
      expect((await readiness())['circuit:language model']).toBe('ok');
      await expectNormalRequestWorks(breaking);
    });
  });
});

const LLM_TIMEOUT_MS = 1000;
/** Longest acceptable wait for a degraded answer: three attempts, two 1 s Retry-After waits, slack for a busy CI. */
const BOUND_MS = 8000;

interface HttpFault {
  name: string;
  replies: FakeOpenAiReply[];
  /** The note's first sentence (the error code's userMessage, src/errors.ts). */
  note: string;
  /** Requests the adapter should make before giving up. */
  attempts: number;
  check?: (arrivals: number[], elapsedMs: number) => void;
}

const times = (count: number, reply: () => FakeOpenAiReply) => Array.from({ length: count }, reply);

const httpFaults: HttpFault[] = [
  {
    name: '429 with Retry-After: 1',
    replies: times(3, () => fakeReply.rateLimited(1)),
    note: 'The language model is busy right now.',
    attempts: 3,
    check: (arrivals) => {
      const gaps = gapsBetween(arrivals);
      // Retry-After honoured to the millisecond by the adapter; the loopback adds a little, never less.
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(990);
      tally.figure('LLM 429 Retry-After 1 s, waits between attempts', gaps.map((gap) => `${gap} ms`).join(', '));
    },
  },
  {
    name: '429 asking for 120 s (over the 30 s the adapter waits)',
    replies: [fakeReply.rateLimited(120)],
    note: 'The language model is busy right now.',
    attempts: 1,
    check: (_arrivals, elapsedMs) => {
      expect(elapsedMs).toBeLessThan(3000);
      tally.figure('LLM 429 Retry-After 120 s, gave up (no wait) after', `${elapsedMs} ms`);
    },
  },
  {
    name: '500 on every attempt',
    replies: times(3, () => fakeReply.serverError(500)),
    note: 'The language model is not reachable right now.',
    attempts: 3,
    check: (arrivals) => {
      const gaps = gapsBetween(arrivals);
      // Exponential back-off with jitter (500 ms base): 250-500 ms, then 500-1000 ms.
      expect(gaps[0]).toBeGreaterThanOrEqual(240);
      expect(gaps[1]).toBeGreaterThanOrEqual(490);
      tally.figure('LLM 500 back-off between attempts', gaps.map((gap) => `${gap} ms`).join(', '));
    },
  },
  {
    name: `answer after 2.5 s (LLM_TIMEOUT_MS=${LLM_TIMEOUT_MS})`,
    replies: [fakeReply.delayed(2500, fakeReply.json(da1004Explanation))],
    note: 'The language model took too long to answer.',
    // Documented: retries are for 429, 5xx and connection errors; a time-out is not asked again.
    attempts: 1,
    check: (_arrivals, elapsedMs) => {
      expect(elapsedMs).toBeGreaterThanOrEqual(LLM_TIMEOUT_MS - 10);
      expect(elapsedMs).toBeLessThan(2500);
      tally.figure('LLM time-out, degraded answer after', `${elapsedMs} ms`);
    },
  },
  {
    name: 'connection dropped on every attempt',
    replies: times(3, () => fakeReply.dropConnection()),
    note: 'The language model is not reachable right now.',
    attempts: 3,
  },
  {
    name: 'garbage content (HTML, then broken JSON after the re-ask)',
    replies: [fakeReply.text('<html><body>502 Bad Gateway</body></html>'), fakeReply.text('{"headline": "cut off')],
    note: 'The language model returned an answer I could not use.',
    attempts: 2,
  },
];

describe('LLM failures over real HTTP (OpenAI-compatible adapter, loopback server)', () => {
  let openai: FakeOpenAiServer;
  let proxy: FaultProxy;
  let httpBot: TestBot;
  const elapsed: number[] = [];

  beforeAll(async () => {
    openai = await startFakeOpenAi();
    proxy = await startFaultProxy(openai.url);
    httpBot = await startTestBot({
      environment: {
        LLM_PROVIDER: 'openai-compatible',
        OPENAI_BASE_URL: `${proxy.url}/v1`,
        OPENAI_MODEL: 'fault-model',
        LLM_TIMEOUT_MS: String(LLM_TIMEOUT_MS),
        LLM_MAX_RETRIES: '2',
        LLM_RATE_PER_USER: '1000',
        LLM_RATE_PER_CONVERSATION: '1000',
      },
    });
  });
  afterAll(async () => {
    await httpBot?.stop();
    await proxy?.stop();
    await openai?.stop();
    if (elapsed.length > 0) tally.figure('LLM over HTTP, slowest degraded answer', `${Math.max(...elapsed)} ms`);
  });
  beforeEach(() => {
    openai.reset();
    proxy.requests.length = 0;
  });

  /** The next request goes to the model again, and its answer is shown (not the offline engine's). */
  async function expectModelAnswersAgain() {
    openai.reset();
    openai.enqueue(fakeReply.json(da1004Explanation));
    const next = await askBot(httpBot, 'explain alert da-1004');
    expect(next.status).toBe(200);
    expect(next.shown).toContain(da1004Explanation.headline);
    expect(next.shown).toContain('fault-model');
    expect(next.shown).not.toContain('offline engine instead');
  }

  it.each(httpFaults.map((item) => [item.name, item] as const))(
    '%s: the offline card with a note, within a bounded time, and the next request uses the model',
    async (name, item) => {
      await tally.run(`LLM over HTTP: ${name}`, async () => {
        openai.enqueue(...item.replies);
        const answer = await askBot(httpBot, 'explain alert da-1009');
        elapsed.push(answer.elapsedMs);
        expect(answer.status).toBe(200);
        expect(answer.cards).toBe(1);
        // The offline engine's card: the demo alert explained, with the note saying why the model was not used.
        expect(answer.shown).toContain('Ransomware behavior detected in the file system');
        expect(answer.shown).toContain(`${item.note} This answer comes from the offline engine instead.`);
        expect(answer.shown).toContain('Offline analysis');
        expect(answer.shown).not.toContain('Something went wrong');
        expect(answer.elapsedMs).toBeLessThan(BOUND_MS);
        const chatRequests = proxy.requests.filter((request) => request.path.endsWith('/chat/completions'));
        expect(chatRequests).toHaveLength(item.attempts);
        item.check?.(
          chatRequests.map((request) => request.at),
          answer.elapsedMs,
        );
        await expectModelAnswersAgain();
      });
    },
  );

  it('a 503 blip: the retry gets the model answer, no note', async () => {
    await tally.run('LLM over HTTP: one 503, then an answer', async () => {
      openai.enqueue(fakeReply.serverError(503), fakeReply.json(da1004Explanation));
      const answer = await askBot(httpBot, 'explain alert da-1004');
      expect(answer.shown).toContain(da1004Explanation.headline);
      expect(answer.shown).not.toContain('offline engine instead');
      expect(proxy.requests).toHaveLength(2);
    });
  });

  it('the link to the model reset by the network (proxy resets): the same offline card with a note', async () => {
    await tally.run('LLM over HTTP: connection reset before the server', async () => {
      proxy.down(fault.reset());
      const answer = await askBot(httpBot, 'explain alert da-1009');
      proxy.recover();
      expect(answer.shown).toContain(
        'The language model is not reachable right now. This answer comes from the offline engine instead.',
      );
      expect(openai.requests).toHaveLength(0);
      await expectModelAnswersAgain();
    });
  });

  it('loses no finding: an investigation the model failed is stored (offline) and listed', async () => {
    await tally.run('LLM 500 during "investigate incident 42": finding kept', async () => {
      // Every model call of the investigation fails (the fake answers 500 to anything unscripted).
      const investigation = await askBot(httpBot, 'investigate incident 42');
      expect(investigation.status).toBe(200);
      expect(investigation.shown).toContain('This investigation comes from the offline engine instead.');
      expect(openai.requests.length).toBeGreaterThanOrEqual(3);
      const findings = await askBot(httpBot, 'show findings for incident 42');
      expect(findings.shown).toContain('Findings for incident 42');
      expect(findings.shown).toContain('Investigation');
      tally.figure('finding kept after the LLM failed', `incident 42, after ${seconds(investigation.elapsedMs)}`);
    });
  });
});
