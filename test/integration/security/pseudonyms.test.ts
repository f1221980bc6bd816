import { channelMessage } from '../../support/activities';
import { useConnectedBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';
import { FakeLlmClient } from '../../support/fake-llm';

/**
 * LLM_PSEUDONYMIZE=true through the bot (issue 10, item 4): the model's recorded requests hold no user or host
 * name of the alert, the model answers in pseudonyms, and the analyst's card shows the real names, grounded as
 * entities of the alert.
 */
const llm = new FakeLlmClient({ model: 'recorded-model' });

const realNames = ['eng-wks-022', 'kenji.watanabe@contoso.com', 'kwatanabe', 'Kenji Watanabe'];

const harness = useConnectedBot({ overrides: { llm }, environment: { LLM_PSEUDONYMIZE: 'true' } });

it('analyze alert: names never reach the model, and come back on the card', async () => {
  let hostToken = '';
  let userToken = '';
  llm.answerWith((request) => {
    const prompt = request.messages.map((message) => message.content).join('\n');
    hostToken = /"type":\s*"host",\s*"value":\s*"(HOST_\d+)"/.exec(prompt)?.[1] ?? 'missing';
    userToken = /"type":\s*"account",\s*"value":\s*"(USER_\d+)"/.exec(prompt)?.[1] ?? 'missing';
    return {
      summary: `${userToken}'s credentials were dumped from LSASS on ${hostToken}; reset them now.`,
      techniques: [{ id: 'T1003.001', evidence: 'comsvcs.dll MiniDump of lsass' }],
      entities: [
        { type: 'host', value: hostToken, role: 'compromised', verdict: 'malicious', reason: 'Dump written' },
        { type: 'account', value: userToken, role: 'compromised', verdict: 'suspicious', reason: 'Logged on' },
      ],
      severity: { level: 'high', reasons: ['Credential theft'] },
      falsePositive: { likelihood: 'low', reasons: ['Defender rates the dump malicious'] },
      nextSteps: [{ action: `Isolate ${hostToken}.`, entityType: 'host', entityValue: hostToken, why: 'Contain.' }],
    };
  });

  const response = await harness.testBot.post(
    channelMessage('analyze alert da-1004', { serviceUrl: harness.connector.url, expectReplies: false }),
  );
  expect(response.status).toBe(200);
  await harness.connector.waitForCalls(2, 20_000);
  const card = harness.connector.cards()[1].card;
  expectValidCard(card);

  expect(llm.calls).toHaveLength(1);
  const sent = JSON.stringify(llm.calls[0].messages).toLowerCase();
  for (const name of realNames) expect(sent).not.toContain(name.toLowerCase());
  expect(hostToken).toMatch(/^HOST_\d+$/);
  expect(userToken).toMatch(/^USER_\d+$/);

  const shown = renderedText(card);
  // Cards show names defanged, as every model-written text.
  expect(shown).toContain(
    "kenji.watanabe[@]contoso[.]com's credentials were dumped from LSASS on eng-wks-022[.]contoso[.]com",
  );
  expect(shown).toContain('Isolate eng-wks-022[.]contoso[.]com.');
  // The restored entities are the alert's own, so grounding keeps them (nothing was "not in the alert").
  expect(shown).not.toContain('not in the alert');
  expect(shown).not.toMatch(/(?:USER|HOST)_\d/);
});
