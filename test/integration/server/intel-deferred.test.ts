import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEnrichmentService } from '../../../src/intel/enrichment';
import { silentLogger } from '../../../src/logger';
import { MemoryStore } from '../../../src/store';
import { personalMessage } from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';
import { startFakeConnector, type FakeConnector } from '../../support/fake-connector';
import { FakeLlmClient } from '../../support/fake-llm';

/**
 * Threat intel and concept questions when the work is slow (a provider, an LLM): a working card first, then the
 * answer in its place. VirusTotal answers from a recorded payload; the LLM is the fake.
 */
const maliciousIp = readFileSync(
  path.join(__dirname, '..', '..', 'fixtures', 'enrichment', 'virustotal-ip-malicious.json'),
  'utf8',
);

let connector: FakeConnector;
let llm: FakeLlmClient;
let testBot: TestBot;
const requested: string[] = [];

beforeAll(async () => {
  connector = await startFakeConnector();
  llm = new FakeLlmClient({ model: 'fake-intel-model' });
  const enrichment = createEnrichmentService(
    { virusTotalApiKey: 'test-key' },
    {
      store: new MemoryStore(),
      logger: silentLogger(),
      fetch: async (url) => {
        requested.push(String(url));
        return String(url).includes('/ip_addresses/')
          ? new Response(maliciousIp, { status: 200, headers: { 'content-type': 'application/json' } })
          : new Response('{"error":{"code":"NotFoundError","message":"not found"}}', { status: 404 });
      },
    },
  );
  testBot = await startTestBot({ overrides: { llm, enrichment } });
});
afterAll(async () => {
  await testBot.stop();
  await connector.stop();
});
beforeEach(() => connector.reset());

describe('threat intel with a provider and an LLM', () => {
  it('posts a working card, then replaces it with the analysis written by the model on the provider facts', async () => {
    llm.answer({
      summary: 'The address 91.240.118.172 is flagged by VirusTotal; 10.9.8.7 is internal.',
      confidence: 'medium',
      rationale: 'One provider flags it.',
      actions: [{ indicator: '91.240.118.172', action: 'block', reason: 'Flagged malicious by VirusTotal.' }],
      techniques: [],
    });
    await testBot.post(
      personalMessage('analyze 91.240.118[.]172 and 10.9.8[.]7 from the firewall logs', {
        serviceUrl: connector.url,
        expectReplies: false,
      }),
    );
    const [first, update] = await connector.waitForCalls(2, 15_000);
    expect(first.method).toBe('POST');
    expect(renderedText(connector.cards()[0].card)).toContain('Analysing threat intel');
    expect(update.method).toBe('PUT');
    const card = connector.cards()[1].card;
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('91.240.118[.]172');
    expect(shown).toContain('Malicious');
    expect(shown).toContain('Block');
    expect(shown).toContain('fake-intel-model');
    expect(shown).toMatch(/Sources: VirusTotal/);
    // The private address never left: only the public one was looked up.
    expect(requested.some((url) => url.includes('10.9.8.7'))).toBe(false);
    expect(requested.some((url) => url.includes('91.240.118.172'))).toBe(true);
  });

  it('answers a concept question with the model, marking what is not from ATT&CK', async () => {
    llm.answer({
      answer: 'Kerberoasting (T1558.003) cracks service tickets offline.',
      points: [
        { text: 'Requests TGS tickets for SPN accounts.', fromAttack: true, techniqueIds: ['T1558.003'] },
        { text: 'Use gMSA passwords.', fromAttack: false, techniqueIds: [] },
      ],
    });
    await testBot.post(
      personalMessage('how does kerberoasting work?', { serviceUrl: connector.url, expectReplies: false }),
    );
    await connector.waitForCalls(2, 15_000);
    const card = connector.cards()[1].card;
    expectValidCard(card);
    const shown = renderedText(card);
    expect(shown).toContain('[ATT&CK T1558.003]');
    expect(shown).toContain('[not from ATT&CK]');
  });
});
