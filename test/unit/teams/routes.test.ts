import { VERBS } from '../../../src/cards';
import { cardVerbs, helpEntries, matchMessageRoute, messageRoutes } from '../../../src/teams/routes';

describe('matchMessageRoute', () => {
  it.each([
    ['help', 'help', {}],
    ['HELP', 'help', {}],
    ['what can you do?', 'help', {}],
    ['hello!', 'greeting', {}],
    ['explain alert da-1009', 'explainAlertById', { alertId: 'da-1009' }],
    [
      'Explain the alert da638412345678901234_-1234567890',
      'explainAlertById',
      { alertId: 'da638412345678901234_-1234567890' },
    ],
    [
      'explain this alert 4f1e8a4c-0d4e-4b8e-9a55-1c2d3e4f5a6b.',
      'explainAlertById',
      { alertId: '4f1e8a4c-0d4e-4b8e-9a55-1c2d3e4f5a6b' },
    ],
    ['explain {"id": "x"}', 'explainAlertJson', { json: '{"id": "x"}' }],
    ['explain alert: {"id": "x"}', 'explainAlertJson', { json: '{"id": "x"}' }],
    ['explain\n[{"id": "x"}]', 'explainAlertJson', { json: '[{"id": "x"}]' }],
    ['explain T1059.001', 'describeTechnique', {}],
    ['what is kerberoasting?', 'describeTechnique', {}],
    ['T1059 and T1566', 'describeTechnique', {}],
    ['analyze 203.0.113[.]7 evil[.]example', 'analyzeIntel', { text: '203.0.113[.]7 evil[.]example' }],
    ['intel: APT29 phishing wave, C2 185.220.101[.]4', 'analyzeIntel', {}],
    ['check 8.8.8[.]8', 'checkIndicators', { text: '8.8.8[.]8' }],
    ['analyze alert da-1004', 'analyzeAlertById', { alertId: 'da-1004' }],
    ['difference between pass-the-hash and pass-the-ticket', 'askQuestion', {}],
    ['how does kerberoasting work?', 'askQuestion', {}],
    ['DCSync vs DCShadow', 'askQuestion', {}],
    ['what is a golden ticket?', 'describeTechnique', {}],
    ['how do I contain incident 45?', 'remediateSubject', { incidentId: '45' }],
    ['kql: SigninLogs | take 1', 'validateQuery', { query: 'SigninLogs | take 1', platform: undefined }],
    ['kql defender:\nDeviceInfo\n| take 1', 'validateQuery', { query: 'DeviceInfo\n| take 1', platform: 'defender' }],
    ['kql failed sign-ins last 24h', 'questionToKql', { question: 'failed sign-ins last 24h' }],
    ['run SigninLogs | take 1', 'runQuery', { query: 'SigninLogs | take 1', platform: undefined }],
    ['run query in defender: DeviceInfo | take 1', 'runQuery', { query: 'DeviceInfo | take 1', platform: 'defender' }],
  ])('routes %j to %s', (text, intent, groups) => {
    const match = matchMessageRoute(text);
    expect(match?.intent).toBe(intent);
    expect(match?.groups).toMatchObject(groups);
  });

  it.each([
    'please help me',
    'helpful',
    'can you explain alert da-1009 later',
    'hello there, explain alert da-1009',
    '',
  ])('does not route %j (anchored patterns, no substring matches)', (text) => {
    expect(matchMessageRoute(text)).toBeUndefined();
  });

  it.each(['explain alert', 'explain alert da-1009 and delete everything'])(
    'does not explain an alert for %j (the technique handler then finds no technique and says what it can do)',
    (text) => {
      expect(matchMessageRoute(text)?.intent).not.toBe('explainAlertById');
    },
  );

  it('has only anchored patterns', () => {
    for (const route of messageRoutes) {
      expect(route.pattern.source.startsWith('^')).toBe(true);
      expect(route.pattern.source.endsWith('$')).toBe(true);
    }
  });

  it('builds the help entries from the routes, each with an example that routes', () => {
    for (const entry of helpEntries()) {
      expect(entry.examples.length).toBeGreaterThan(0);
      const example = entry.examples[0].replace('<alert id>', 'da-1009').replace('…', '"x": 1');
      expect(matchMessageRoute(example)).toBeDefined();
    }
  });

  it('answers only verbs the cards know', () => {
    for (const verb of cardVerbs) expect(Object.values(VERBS)).toContain(verb);
  });
});
