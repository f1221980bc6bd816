import { CopilotError } from '../../../src/errors';
import { MemoryStore } from '../../../src/store';
import type { Store } from '../../../src/store/port';
import { personalMessage } from '../../support/activities';
import { repliedCards, startTestBot, type TestBot } from '../../support/bot-harness';
import { FakeLlmClient } from '../../support/fake-llm';

/**
 * Faults (issue 10): the model failing in every way it can, the rate limits, a store that cannot write. Each time
 * the bot answers (degraded with a note, a "slow down" card, or a clear error card) and the next request works.
 * Graph / Log Analytics down and connector throttling are not covered here yet.
 */

/** A MemoryStore whose writes fail while `broken` is set. */
class FlakyStore extends MemoryStore {
  broken = false;
  override put<T>(...args: Parameters<Store['put']>): Promise<{ etag: string }> {
    if (this.broken) return Promise.reject(new CopilotError('store_failure', 'fake disk full'));
    return super.put<T>(args[0], args[1] as T, args[2]);
  }
}

const tried: string[] = [];
const passed: string[] = [];
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
  console.log(`faults: ${tried.length} cases tried, ${passed.length} passed\n  ${tried.join('\n  ')}`);
});

async function ask(text: string) {
  const response = await testBot.post(personalMessage(text));
  return { status: response.status, text: JSON.stringify(repliedCards(response.body)) };
}

async function expectNormalRequestWorks() {
  const after = await ask('help');
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
    tried.push(name);
    for (let index = 0; index < 6; index += 1) llm.fail(error);
    const answer = await ask('explain alert da-1009');
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('offline engine instead');
    await expectNormalRequestWorks();
    passed.push(name);
  });

  it('store write failures: the bot still answers (or says clearly what failed), and recovers', async () => {
    tried.push('store writes failing');
    store.broken = true;
    for (let index = 0; index < 6; index += 1) llm.fail(new CopilotError('llm_unavailable', 'fake'));
    const answer = await ask('explain alert da-1009');
    store.broken = false;
    expect(answer.status).toBe(200);
    expect(answer.text.length).toBeGreaterThan(100);
    await expectNormalRequestWorks();
    passed.push('store writes failing');
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
    tried.push('rate limit per user');
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
    passed.push('rate limit per user');
  });
});
