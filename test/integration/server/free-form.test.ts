import { personalMessage } from '../../support/activities';
import { repliedCards, startTestBot, type TestBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';
import { FakeLlmClient } from '../../support/fake-llm';

/** With an LLM configured, free-form requests are translated into commands (or a clarifying card). */
let testBot: TestBot;
let llm: FakeLlmClient;
beforeAll(async () => {
  llm = new FakeLlmClient();
  testBot = await startTestBot({ overrides: { llm } });
});
afterAll(() => testBot.stop());

async function onlyCard(text: string) {
  const response = await testBot.post(personalMessage(text));
  const cards = repliedCards(response.body);
  expect(cards).toHaveLength(1);
  expectValidCard(cards[0]);
  return cards[0];
}

describe('free-form requests with an LLM', () => {
  it('answers "got anything nasty for me" with the incident list', async () => {
    llm.answer({ command: 'incidents high', alternatives: [], reason: 'list high incidents' });
    expect(renderedText(await onlyCard('got anything nasty for me'))).toContain('Incidents · high');
  });

  it('asks with buttons when the request is ambiguous', async () => {
    llm.answer({ command: '', alternatives: ['incidents', 'alerts high'], reason: 'unclear' });
    const card = await onlyCard('show me the bad stuff');
    expect(renderedText(card)).toContain('Did you mean one of these?');
    expect(JSON.stringify(card.actions)).toContain('"command":"alerts high"');
  });

  it('falls back to the guide when the model is unavailable', async () => {
    llm.unavailable();
    expect(renderedText(await onlyCard('blorp the flux capacitor'))).toContain('Here is what I can do');
  });

  it('does not call the model for commands the table knows', async () => {
    const before = llm.calls.length;
    await onlyCard('incidents');
    expect(llm.calls.length).toBe(before);
  });
});
