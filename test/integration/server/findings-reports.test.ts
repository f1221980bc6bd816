import { channelMessage, personalMessage } from '../../support/activities';
import { repliedCards, startTestBot, type TestBot } from '../../support/bot-harness';
import { expectValidCard, renderedText } from '../../support/cards';

/** Findings recorded by explain + investigate, listed, used by the report; TLP:RED rule; signed downloads. */
let testBot: TestBot;
const secret = 'r'.repeat(40);

beforeAll(async () => {
  // PORT=0: the base URL has no port; the test points the links at the real loopback port to fetch them.
  testBot = await startTestBot({ environment: { REPORT_LINK_SECRET: secret, PUBLIC_BASE_URL: 'http://127.0.0.1' } });
});
afterAll(() => testBot.stop());

async function cardFor(activity: Record<string, unknown>, origins: string[] = []) {
  const response = await testBot.post(activity);
  expect(response.status).toBe(200);
  const cards = repliedCards(response.body);
  expect(cards).toHaveLength(1);
  expectValidCard(cards[0], { allowedOrigins: origins });
  return cards[0];
}

function downloadUrls(card: Record<string, any>): string[] {
  return ((card.actions ?? []) as Array<{ type: string; url?: string }>)
    .filter((action) => action.type === 'Action.OpenUrl')
    .map((action) => action.url ?? '');
}

it('lists explain + investigate findings and writes the report from them, with downloads', async () => {
  await cardFor(personalMessage('explain alert fa-3001'));
  await cardFor(personalMessage('investigate incident 42'));
  const findings = renderedText(await cardFor(personalMessage('show findings for incident 42')));
  expect(findings).toContain('Findings for incident 42');
  expect(findings).toContain('Investigation');
  expect(findings).toContain('Explanation');
  expect(findings.indexOf('Investigation')).toBeLessThan(findings.indexOf('Explanation'));
  expect(renderedText(await cardFor(channelMessage('findings incident 42')))).toContain('Investigation');

  const report = await cardFor(personalMessage('report incident 42 for executives'), ['http://127.0.0.1']);
  expect(renderedText(report)).toContain('stored findings of incident 42');
  const urls = downloadUrls(report);
  expect(urls).toHaveLength(2);
  const port = new URL(testBot.url).port;
  const [markdownUrl, htmlUrl] = urls.map((url) => url.replace('http://127.0.0.1/', `http://127.0.0.1:${port}/`));

  const markdown = await fetch(markdownUrl);
  expect(markdown.status).toBe(200);
  expect(markdown.headers.get('content-type')).toContain('text/markdown');
  expect(markdown.headers.get('content-disposition')).toBe('attachment; filename="incident-42-executive-tlp-amber.md"');
  expect(markdown.headers.get('x-content-type-options')).toBe('nosniff');
  expect(markdown.headers.get('cache-control')).toBe('no-store');
  expect(await markdown.text()).toContain('**TLP:AMBER**');

  const html = await fetch(htmlUrl);
  expect(html.status).toBe(200);
  expect(html.headers.get('content-type')).toContain('text/html');
  expect(html.headers.get('content-disposition')).toContain('attachment');
  expect(html.headers.get('x-content-type-options')).toBe('nosniff');
  expect(await html.text()).toContain("default-src 'none'");

  const tampered = htmlUrl.replace(/sig=([0-9a-f])/, (_match, first: string) => `sig=${first === '0' ? '1' : '0'}`);
  expect((await fetch(tampered)).status).toBe(403);
  const expired = new URL(htmlUrl);
  expired.searchParams.set('exp', '1000');
  expect((await fetch(expired)).status).toBe(403);
  expect((await fetch(`http://127.0.0.1:${port}/api/reports/${'0'.repeat(32)}.md?exp=1&sig=00`)).status).toBe(403);
});

it('refuses TLP:RED in a channel and delivers it in a 1:1 chat without download links', async () => {
  const refused = renderedText(await cardFor(channelMessage('report incident 42 for executives tlp:red')));
  expect(refused).toContain('only delivered in a 1:1 chat');
  expect(refused).not.toContain('Executive summary');
  const delivered = await cardFor(personalMessage('report incident 42 for executives tlp:red'));
  expect(renderedText(delivered)).toContain('TLP:RED');
  expect(renderedText(delivered)).toContain('Executive summary');
  expect(downloadUrls(delivered)).toEqual([]);
});
