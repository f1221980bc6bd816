import { DevLoop } from './support/dev-loop';
import { cardText, type BotMessage } from './support/playground';

/**
 * The dev loop in a real Teams client: the built bot (dist/, as `npm start` runs it) behind the Microsoft 365
 * Agents Playground, driven through the Playground's own HTTP and WebSocket API, the calls its UI makes.
 */

const adaptiveCard = 'application/vnd.microsoft.card.adaptive';

function expectOneAdaptiveCard(message: BotMessage): void {
  expect(message.attachments).toHaveLength(1);
  expect(message.attachments[0].contentType).toBe(adaptiveCard);
}

describe('the bot in the Agents Playground', () => {
  const loop = new DevLoop();
  beforeAll(() => loop.start());
  afterAll(() => loop.stop());
  const playground = () => loop.playground;

  it('answers "help" in the personal chat with the help card', async () => {
    const chat = playground().config.personalChat.id;

    const { reply } = await playground().sendAndWaitForReply(chat, 'help');

    expectOneAdaptiveCard(reply);
    const text = cardText(reply);
    expect(text).toContain('What SOC Copilot can do');
    expect(text).toContain('Explain an alert');
  });

  it('explains a demo alert in the personal chat', async () => {
    const chat = playground().config.personalChat.id;

    const { reply } = await playground().sendAndWaitForReply(chat, 'explain alert da-1009');

    expectOneAdaptiveCard(reply);
    const text = cardText(reply);
    expect(text).toContain('Ransomware behavior detected in the file system');
    expect(text).toContain('Immediate risk');
    expect(text).toContain('T1486');
    expect(text).toContain('fs01[.]contoso[.]com'); // IOCs are defanged in what the bot posts
    expect(text).toContain('no LLM was used');
  });

  it('answers an @mention in a channel inside the thread the mention started', async () => {
    const channel = playground().channel('SOC Alerts');

    const { sent, reply } = await playground().sendAndWaitForReply(channel.id, 'help', { mentionBot: true });

    expect(sent.replyConversationId).toBe(`${channel.id};messageid=${sent.messageId}`);
    expect(reply.conversationId).toBe(sent.replyConversationId);
    expect(reply.startedThread).toBeUndefined(); // a reply in the thread, not a new post
    expect(cardText(reply)).toContain('What SOC Copilot can do');

    // A second mention in the same thread is answered in that thread too.
    const followUp = await playground().sendAndWaitForReply(sent.replyConversationId, 'explain alert da-1009', {
      mentionBot: true,
    });
    expect(followUp.sent.replyConversationId).toBe(sent.replyConversationId);
    expect(followUp.reply.conversationId).toBe(sent.replyConversationId);
    expect(cardText(followUp.reply)).toContain('T1486');
  });

  it('runs a card button: "Show help" on the welcome card posts the help card', async () => {
    const chat = playground().config.personalChat.id;
    const { reply: welcome } = await playground().sendAndWaitForReply(chat, 'hello');
    expect(cardText(welcome)).toContain("Hi, I'm SOC Copilot");
    const after = playground().position();

    const answer = await playground().clickCardAction(chat, welcome.messageId, {
      verb: 'showHelp',
      title: 'Show help',
    });

    expect(answer).toEqual({ type: 'application/vnd.microsoft.activity.message', value: 'Here is what I can do.' });
    const help = await playground().waitForBotMessage(chat, { after, description: 'the help card after "Show help"' });
    expect(cardText(help)).toContain('What SOC Copilot can do');
  });

  it('welcomes the team when the bot is installed in a channel', async () => {
    const channel = playground().channel('SOC Alerts');
    const after = playground().position();

    await playground().installBot(channel.id);

    // Installing also subscribes the channel to the alert feed, which the bot confirms in its own post.
    const welcome = await playground().waitForBotMessage(channel.id, {
      after,
      description: 'the welcome card',
      predicate: (message) => cardText(message).includes("Hi, I'm SOC Copilot"),
    });
    expect(welcome.startedThread).toMatch(new RegExp(`^${channel.id};messageid=`));
    expect(cardText(welcome)).toContain("Hi, I'm SOC Copilot");
  });
});
