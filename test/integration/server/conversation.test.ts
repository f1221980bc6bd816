import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  botInstalledInTeam,
  channelMessage,
  installationUpdate,
  personalMessage,
  tenantId,
} from '../../support/activities';
import { repliedCards, startTestBot, type TestBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';

/** The real HTTP server and Bot Framework adapter, driven with Teams-shaped activities (expectReplies). */
let testBot: TestBot;

beforeAll(async () => {
  testBot = await startTestBot();
});
afterAll(async () => {
  await testBot.stop();
});

async function cardsFor(activity: Record<string, unknown>) {
  const response = await testBot.post(activity);
  expect(response.status).toBe(200);
  const cards = repliedCards(response.body);
  cards.forEach((card) => expectValidCard(card));
  return { response, cards };
}

describe('a 1:1 chat', () => {
  it('answers "help" with the help card listing what the bot can do', async () => {
    const { cards } = await cardsFor(personalMessage('help'));
    expect(cards).toHaveLength(1);
    const shown = renderedText(cards[0]);
    expect(shown).toContain('What SOC Copilot can do');
    expect(shown).toContain('explain alert');
  });

  it('explains a demo alert by id with the offline engine, saying no LLM was used', async () => {
    const { response, cards } = await cardsFor(personalMessage('explain alert da-1009'));
    expect(response.body.activities[0].type).toBe('typing');
    expect(cards).toHaveLength(1);
    const shown = renderedText(cards[0]);
    for (const section of ['What happened', 'Why it matters', 'Immediate risk', 'Recommended actions']) {
      expect(shown).toContain(section);
    }
    expect(shown).toContain('Ransomware behavior detected in the file system');
    expect(shown).toContain('T1486');
    expect(shown).toContain('Offline analysis — no LLM was used');
    expect(shown).toContain('fs01[.]contoso[.]com');
  });

  it('explains pasted Graph alerts_v2 JSON', async () => {
    const json = readFileSync(path.join(__dirname, '../../fixtures/alerts/graph-alert-v2.json'), 'utf8');
    const { cards } = await cardsFor(personalMessage(`explain ${json}`));
    expect(renderedText(cards[0])).toContain('Immediate risk');
  });

  it('answers pasted text that is not JSON with an error card that says why', async () => {
    const { cards } = await cardsFor(personalMessage('explain {"title": "oops",'));
    const shown = renderedText(cards[0]);
    expect(shown).toContain('not valid JSON');
    expect(shown).not.toMatch(/at .*\.js:\d+/);
  });

  it('answers JSON of an unknown shape with a clear error card', async () => {
    const { cards } = await cardsFor(personalMessage('explain {"foo": 1}'));
    expect(renderedText(cards[0])).toMatch(/Graph|Sentinel|Defender/);
  });

  it('answers an unknown alert id with an error card carrying the correlation id', async () => {
    const { response, cards } = await cardsFor(personalMessage('explain alert no-such-alert'));
    const correlationId = response.headers.get('x-correlation-id');
    expect(correlationId).toBeTruthy();
    const shown = renderedText(cards[0]);
    expect(shown).toContain('no-such-alert');
    expect(shown).toContain(correlationId);
  });

  it('never answers with silence: unknown input gets the "here is what I can do" card', async () => {
    const { cards } = await cardsFor(personalMessage('make me a sandwich'));
    expect(cards).toHaveLength(1);
    expect(renderedText(cards[0])).toContain('make me a sandwich');
  });

  it('is not fooled by an anchored intent appearing mid-sentence', async () => {
    const { cards } = await cardsFor(personalMessage('please do not explain alert da-1009 to anyone'));
    expect(renderedText(cards[0])).not.toContain('Immediate risk');
  });
});

describe('a channel', () => {
  it('answers an @mention with the mention stripped before routing', async () => {
    const { response, cards } = await cardsFor(channelMessage('explain alert da-1001'));
    // No typing indicator in channels.
    expect(response.body.activities.map((activity: { type: string }) => activity.type)).toEqual(['message']);
    expect(renderedText(cards[0])).toContain('Immediate risk');
  });

  it('welcomes the team once the bot is installed, and remembers the conversation', async () => {
    const { cards } = await cardsFor(botInstalledInTeam());
    expect(cards).toHaveLength(1);
    expect(renderedText(cards[0])).toContain('SOC Copilot');
    const stored = await testBot.bot.services.store.list('conversations/');
    expect(stored).toContain('conversations/19:soc-alerts@thread.tacv2');
    const record = await testBot.bot.services.store.get<{ tenantId: string; kind: string }>(
      'conversations/19:soc-alerts@thread.tacv2',
    );
    expect(record?.value).toMatchObject({ tenantId, kind: 'channel' });
  });

  it('stores the conversation reference on installationUpdate without posting twice', async () => {
    const response = await testBot.post(installationUpdate());
    expect(response.status).toBe(200);
    expect(repliedCards(response.body)).toHaveLength(0);
  });
});

describe('the welcome', () => {
  it('is posted once per conversation, however often the client re-sends install events', async () => {
    const otherBot = await startTestBot();
    const first = repliedCards((await otherBot.post(installationUpdate())).body);
    const second = repliedCards((await otherBot.post(botInstalledInTeam())).body);
    const third = repliedCards((await otherBot.post(botInstalledInTeam())).body);
    expect(first).toHaveLength(0);
    expect(second).toHaveLength(1);
    expect(third).toHaveLength(0);
    await otherBot.stop();
  });

  it('is posted again after the bot was removed and added back', async () => {
    const otherBot = await startTestBot();
    expect(repliedCards((await otherBot.post(botInstalledInTeam())).body)).toHaveLength(1);
    await otherBot.post({ ...installationUpdate(), action: 'remove' });
    expect(repliedCards((await otherBot.post(botInstalledInTeam())).body)).toHaveLength(1);
    await otherBot.stop();
  });
});

describe('ATT&CK questions', () => {
  it('answers "what is T1566.001" with the technique card linked to attack.mitre.org', async () => {
    const { cards } = await cardsFor(personalMessage('what is T1566.001?'));
    expect(cards).toHaveLength(1);
    const shown = renderedText(cards[0]);
    expect(shown).toContain('Phishing: Spearphishing Attachment');
    expect(shown).toContain('Initial Access');
    expect(JSON.stringify(cards[0])).toContain('https://attack.mitre.org/techniques/T1566/001/');
  });

  it('answers a technique by name', async () => {
    const { cards } = await cardsFor(channelMessage('what is kerberoasting'));
    expect(renderedText(cards[0])).toContain('T1558.003');
  });

  it('says plainly when an ID is not an ATT&CK technique, never inventing one', async () => {
    const { cards } = await cardsFor(personalMessage('what is T9999.999'));
    expect(renderedText(cards[0])).toMatch(/not .*technique/i);
  });

  it('falls back to what it can do when the subject is not a technique', async () => {
    const { cards } = await cardsFor(personalMessage('explain alert'));
    expect(renderedText(cards[0])).toContain('I didn');
  });
});
