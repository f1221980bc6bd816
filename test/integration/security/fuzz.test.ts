import fc from 'fast-check';
import { cardAction, channelMessage, personalMessage } from '../../support/activities';
import { repliedCards, useConnectedBot } from '../../support/bot-harness';
import { signAlertWebhook } from '../../../src/feed/signature';
import { graphAlert, secret, startFeedBot, type FeedBot } from '../feed/support';

/**
 * Bad input, generated: thousands of malformed and random Bot Framework activities, invoke payloads and card
 * action data thrown at /api/messages, and random webhook bodies and signatures at /api/alerts. Every answer must be a 2xx or 4xx, never a stack trace, and the bot must
 * still answer a normal request afterwards. Prints a summary (cases tried, passed).
 */
const harness = useConnectedBot();

const summary: Record<string, { tried: number; passed: number }> = {};
afterAll(() => {
  for (const [name, { tried, passed }] of Object.entries(summary)) {
    console.log(`fuzz ${name}: ${tried} cases tried, ${passed} passed`);
  }
});

async function postRaw(body: string, contentType = 'application/json') {
  const response = await fetch(`${harness.testBot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: response.status, text: await response.text() };
}

function expectSafeAnswer(answer: { status: number; text: string }): void {
  expect(answer.status).toBeGreaterThanOrEqual(200);
  expect(answer.status).toBeLessThan(500);
  // No stack trace or file path leaks to the caller.
  expect(answer.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/src\/|\.ts:\d+/);
}

async function stillAnswers(): Promise<void> {
  const response = await harness.testBot.post(personalMessage('help'));
  expect(response.status).toBe(200);
  expect(repliedCards(response.body)).toHaveLength(1);
}

function track(name: string) {
  summary[name] ??= { tried: 0, passed: 0 };
  return summary[name];
}

const text = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom(
    'explain alert ',
    'explain {',
    'explain [{"id": 1}]',
    'run ',
    'kql: ',
    'hunt for ',
    'investigate incident ',
    'report incident 42 for ',
    'check ',
    'what is ',
    'alerts ',
    'incidents high last 99999999d',
    'explain alert ../../etc/passwd',
    '<at>SOC Copilot</at>',
    '\u0000\u0001\u0002',
  ),
  fc
    .tuple(fc.constantFrom('explain ', 'kql: ', 'run ', 'check ', 'analyze '), fc.json({ maxDepth: 3 }))
    .map(([prefix, json]) => prefix + json),
);

describe('fuzzing /api/messages', () => {
  it('answers random message texts in chats and channels with a card, never a 5xx', async () => {
    const stats = track('message texts');
    await fc.assert(
      fc.asyncProperty(text, fc.boolean(), async (messageText, inChannel) => {
        stats.tried += 1;
        const activity = inChannel ? channelMessage(messageText) : personalMessage(messageText);
        const response = await harness.testBot.post(activity);
        expectSafeAnswer({ status: response.status, text: JSON.stringify(response.body ?? '') });
        stats.passed += 1;
      }),
      { numRuns: 400 },
    );
    await stillAnswers();
  });

  it('rejects malformed activities with a 4xx, never a crash', async () => {
    const stats = track('malformed activities');
    const activity = fc.record(
      {
        type: fc.oneof(
          fc.constantFrom('message', 'invoke', 'conversationUpdate', 'installationUpdate', 'event'),
          fc.string(),
        ),
        id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        text: fc.oneof(fc.string(), fc.integer(), fc.object(), fc.constant(null)),
        from: fc.oneof(fc.record({ id: fc.string(), name: fc.string() }), fc.string(), fc.constant(null)),
        conversation: fc.oneof(fc.record({ id: fc.string(), conversationType: fc.string() }), fc.constant(null)),
        recipient: fc.oneof(fc.record({ id: fc.string() }), fc.constant(undefined)),
        channelId: fc.oneof(fc.constant('msteams'), fc.string()),
        serviceUrl: fc.oneof(fc.constant(harness.connector.url), fc.string(), fc.constant(undefined)),
        deliveryMode: fc.oneof(fc.constant('expectReplies'), fc.string(), fc.constant(undefined)),
        value: fc.anything(),
        channelData: fc.anything(),
        entities: fc.oneof(fc.array(fc.anything(), { maxLength: 3 }), fc.anything()),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(activity, async (body) => {
        stats.tried += 1;
        expectSafeAnswer(await postRaw(JSON.stringify(body)));
        stats.passed += 1;
      }),
      { numRuns: 500 },
    );
    await stillAnswers();
  });

  it('answers invalid JSON, wrong types and empty bodies with a 4xx', async () => {
    const stats = track('raw bodies');
    const raw = fc.oneof(
      fc.string({ maxLength: 500 }),
      fc.json().map((json) => json.slice(0, Math.max(1, json.length - 1))),
      fc.constantFrom('', 'null', '[]', '"text"', '42', '{', '{"type": "message"', '\u0000'),
    );
    await fc.assert(
      fc.asyncProperty(raw, async (body) => {
        stats.tried += 1;
        expectSafeAnswer(await postRaw(body));
        stats.passed += 1;
      }),
      { numRuns: 300 },
    );
    expectSafeAnswer(await postRaw('{"type":"message"}', 'text/plain'));
    await stillAnswers();
  });

  it('answers random card action verbs and data without a 5xx', async () => {
    const stats = track('card actions');
    const verb = fc.oneof(
      fc.constantFrom(
        'explainAlert',
        'runHuntQuery',
        'runCommand',
        'investigateIncident',
        'reportIncident',
        'analyzeAlert',
        'remediateAlert',
        'huntIndicator',
        'acknowledgeAlert',
        'closeAlert',
        'showHelp',
      ),
      fc.string({ maxLength: 40 }),
    );
    await fc.assert(
      fc.asyncProperty(verb, fc.anything(), async (actionVerb, data) => {
        stats.tried += 1;
        const response = await harness.testBot.post(
          cardAction(actionVerb, data, { serviceUrl: harness.connector.url }),
        );
        expectSafeAnswer({ status: response.status, text: JSON.stringify(response.body ?? '') });
        stats.passed += 1;
      }),
      { numRuns: 400 },
    );
    await stillAnswers();
  });
});

describe('fuzzing /api/alerts (the signed alert webhook)', () => {
  let feedBot: FeedBot;
  beforeAll(async () => {
    feedBot = await startFeedBot();
  });
  afterAll(() => feedBot.stop());

  async function postAlerts(raw: string, headers: Record<string, string> = {}) {
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(`${feedBot.url}/api/alerts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-soc-timestamp': String(timestamp),
        'x-soc-signature': signAlertWebhook(secret, timestamp, raw),
        ...headers,
      },
      body: raw,
    });
    return { status: response.status, text: await response.text() };
  }

  /** A refusal says why; nothing is a 5xx or leaks a stack. */
  function expectSafeWebhookAnswer(answer: { status: number; text: string }): void {
    expectSafeAnswer(answer);
    if (answer.status >= 400) expect(answer.text.length).toBeGreaterThan(0);
  }

  it('answers random signed bodies (JSON or not, alert-like or not) with a 2xx or a 4xx with a reason', async () => {
    const stats = track('webhook bodies');
    const alertLike = fc
      .tuple(fc.string({ maxLength: 40 }), fc.dictionary(fc.string({ maxLength: 20 }), fc.anything(), { maxKeys: 6 }))
      .map(([id, overrides]) => JSON.stringify(graphAlert(id, overrides)));
    const raw = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.json(),
      alertLike,
      alertLike.map((alert) => `[${alert}]`),
      alertLike.map((alert) => JSON.stringify({ value: [JSON.parse(alert), null, 42] })),
      fc.constantFrom('', 'null', '[]', '{}', '{"value": {}}', '{', '\u0000'),
    );
    await fc.assert(
      fc.asyncProperty(raw, async (body) => {
        stats.tried += 1;
        expectSafeWebhookAnswer(await postAlerts(body));
        stats.passed += 1;
      }),
      { numRuns: 300 },
    );
  });

  it('refuses random signatures and timestamps with a 4xx', async () => {
    const stats = track('webhook signatures');
    const header = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 64 }).map((hex) => `sha256=${hex}`),
    );
    await fc.assert(
      fc.asyncProperty(
        header,
        fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String)),
        async (signature, timestamp) => {
          stats.tried += 1;
          const answer = await postAlerts(JSON.stringify(graphAlert('fuzz-signature')), {
            'x-soc-signature': signature,
            'x-soc-timestamp': timestamp,
          });
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expectSafeWebhookAnswer(answer);
          stats.passed += 1;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('still takes a well-formed signed alert afterwards', async () => {
    const answer = await postAlerts(JSON.stringify(graphAlert('fuzz-after')));
    expect(answer.status).toBe(202);
    const response = await feedBot.post(personalMessage('help'));
    expect(response.status).toBe(200);
  });
});
