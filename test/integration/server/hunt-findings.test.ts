import type { Finding } from '../../../src/findings';
import { MemoryStore } from '../../../src/store';
import { cardAction, personalMessage } from '../../support/activities';
import { onlyRepliedCard, useConnectedBot } from '../../support/bot-harness';
import { renderedText } from '../../support/cards';

/**
 * Hunts in a conversation about an incident are kept as its findings: "investigate incident 42", then a hunt and
 * "run it" in the same chat, are listed by "show findings for incident 42" with their query and lead the technical
 * report's queries. A hunt in a conversation about nothing is not filed anywhere.
 */
const store = new MemoryStore();

const harness = useConnectedBot({ overrides: { store } });

function inConversation(activity: Record<string, any>, conversationId: string): Record<string, unknown> {
  return { ...activity, conversation: { ...activity.conversation, id: conversationId } };
}

const cardFor = (activity: Record<string, unknown>) => onlyRepliedCard(harness.testBot, activity);

async function storedFindings(): Promise<Finding[]> {
  const keys = await store.list('findings/');
  return Promise.all(keys.map(async (key) => (await store.get<Finding>(key))!.value));
}

it('"investigate incident 42", a hunt and "run it" are listed as findings of incident 42 with their query', async () => {
  await cardFor(personalMessage('investigate incident 42'));
  const huntCard = renderedText(await cardFor(personalMessage('hunt for encoded PowerShell in defender')));
  expect(huntCard).toContain('DeviceProcessEvents');
  const results = renderedText(await cardFor(personalMessage('run it')));
  expect(results).toMatch(/row/i);

  const shown = renderedText(await cardFor(personalMessage('show findings for incident 42')));
  expect(shown).toContain('Hunting query');
  expect(shown).toContain('Query run');
  expect(shown).toContain('Investigation');
  expect(shown).toContain('DeviceProcessEvents');
  expect(shown).toContain('By Dana Analyst');

  const hunts = (await storedFindings()).filter((finding) => finding.incidentId === '42');
  const hunt = hunts.find((finding) => finding.capability === 'hunt');
  const run = hunts.find((finding) => finding.capability === 'runHuntingQuery');
  expect(hunt).toMatchObject({
    by: { name: 'Dana Analyst', aadObjectId: '00000000-0000-0000-0000-000000000100' },
    engine: { kind: 'offline' },
    result: { kind: 'generateHuntingQuery', platform: 'defender', request: 'encoded PowerShell' },
  });
  expect(run).toMatchObject({ result: { platform: 'defender', source: 'demo', truncated: false } });
  expect((run?.result as { query: string }).query).toBe((hunt?.result as { query: string }).query);

  const report = renderedText(await cardFor(personalMessage('report incident 42 for technical')));
  expect(report).toContain('Hunt run by Dana Analyst');
});

it('a hunt in a conversation about no incident or alert is answered and not filed', async () => {
  const before = (await store.list('findings/')).length;
  const card = renderedText(
    await cardFor(inConversation(personalMessage('hunt for encoded PowerShell in defender'), 'a:fresh-chat')),
  );
  expect(card).toContain('DeviceProcessEvents');
  expect((await store.list('findings/')).length).toBe(before);
});

it('a "Hunt: …" button carrying an incident files the hunt under it', async () => {
  harness.connector.reset();
  const click = inConversation(
    cardAction(
      'huntThreat',
      { threat: 'T1059.001 PowerShell', incidentId: '77' },
      { serviceUrl: harness.connector.url },
    ),
    'a:other-chat',
  );
  const response = await harness.testBot.post(click);
  expect(response.status).toBe(200);
  const shown = renderedText(
    await cardFor(inConversation(personalMessage('findings for incident 77'), 'a:other-chat')),
  );
  expect(shown).toContain('Hunting query');
});
