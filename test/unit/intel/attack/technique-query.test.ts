import { AttackKnowledge, describeTechniqueQuery } from '../../../../src/intel/attack';

const knowledge = new AttackKnowledge();
const ask = (text: string) => describeTechniqueQuery(text, knowledge);
const ids = (text: string) => ask(text)?.techniques.map((technique) => technique.id);

describe('describeTechniqueQuery', () => {
  test.each([
    ['what is T1566.001', ['T1566.001']],
    ['What is t1566/001?', ['T1566.001']],
    ["what's T1059", ['T1059']],
    ['what’s T1059', ['T1059']],
    ['explain T1558.003', ['T1558.003']],
    ['describe technique T1003.001', ['T1003.001']],
    ['tell me about the ATT&CK technique T1059.001', ['T1059.001']],
    ['T1059', ['T1059']],
    ['  t1059.001  ', ['T1059.001']],
    ['T1059.001 and T1566.001', ['T1059.001', 'T1566.001']],
    ['explain T1059.001, T1059.001', ['T1059.001']],
  ])('%j asks by ID for %j', (text, expected) => {
    expect(ask(text)).toMatchObject({ by: 'id', unknownIds: [] });
    expect(ids(text)).toEqual(expected);
  });

  test('an unknown ID is still a technique question, answered honestly', () => {
    expect(ask('what is T9999')).toEqual({ by: 'id', asked: 'T9999', techniques: [], unknownIds: ['T9999'] });
    expect(ask('T1059 and T9998')).toMatchObject({ techniques: [{ id: 'T1059' }], unknownIds: ['T9998'] });
  });

  test('a revoked ID resolves to its replacement, saying which ID was asked for', () => {
    expect(ask('what is T1143')?.techniques[0]).toMatchObject({ id: 'T1564.003', resolvedFrom: 'T1143' });
  });

  test.each([
    ['what is kerberoasting', 'T1558.003'],
    ['What is Kerberoasting?', 'T1558.003'],
    ['what is the kerberoasting technique', 'T1558.003'],
    ['explain pass the ticket', 'T1550.003'],
    ['describe "Spearphishing Attachment"', 'T1566.001'],
    ['what is rundll32', 'T1218.011'],
    ['tell me about kerberosting', 'T1558.003'],
    ['what is phishing', 'T1566'],
    ['what is lsass', 'T1003.001'],
    ['what is lsass dumping', 'T1003.001'],
  ])('%j asks by name for %s', (text, expected) => {
    expect(ask(text)).toMatchObject({ by: 'name', unknownIds: [] });
    expect(ids(text)?.[0]).toBe(expected);
  });

  test.each([
    'kerberoasting',
    'hello there',
    'explain alert da-1009',
    'explain alert T1059',
    'explain {"title": "PowerShell", "techniques": ["T1059.001"]}',
    'what is 203.0.113.7',
    'what is evil.example.com',
    'what is https://evil.example/x',
    'what is 44d88612fea8a8f36de82e1278abb02f',
    'what is zzqxv',
    'what is the weather like in Lisbon tomorrow afternoon please',
    'show incidents',
    // fragments the search finds but chat should not: "help" in Netsh Helper DLL, "time" in Time Providers
    'show help',
    'what is the time',
    'what is sql',
    'what is new',
    'what is this',
    'what is',
    '',
  ])('%j is not a technique question', (text) => {
    expect(ask(text)).toBeUndefined();
  });

  test('uses the shared knowledge by default', () => {
    expect(describeTechniqueQuery('T1059.001')?.techniques[0].name).toBe('PowerShell');
  });
});
