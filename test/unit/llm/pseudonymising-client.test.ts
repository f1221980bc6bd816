import { z } from 'zod';
import { alertFactsForPrompt } from '../../../src/copilot/explain-alert/prompt';
import { PseudonymTable, PseudonymisingLlmClient, pseudonymRule } from '../../../src/llm/pseudonymising-client';
import type { LlmMessage } from '../../../src/llm/port';
import { DemoSecurityDataSource } from '../../../src/sources/demo';
import { FakeLlmClient } from '../../support/fake-llm';

const names = [
  'kenji.watanabe@contoso.com',
  'kwatanabe',
  'Kenji Watanabe',
  'eng-wks-022',
  'marcus.lindqvist@contoso.com',
  'Marcus Lindqvist',
  'dc01.contoso.com',
];

async function demoPrompt(...alertIds: string[]): Promise<LlmMessage[]> {
  const source = new DemoSecurityDataSource();
  const facts = await Promise.all(
    alertIds.map(async (id) => {
      const alert = await source.getAlert(id);
      if (!alert) throw new Error(`demo alert ${id} is missing`);
      return alertFactsForPrompt(alert);
    }),
  );
  return [
    { role: 'system', content: 'You explain alerts.' },
    { role: 'user', content: facts.map((fact) => JSON.stringify(fact, null, 1)).join('\n') },
  ];
}

describe('PseudonymTable', () => {
  it('finds the users and hosts of real demo alerts (entities, fields, free text) and leaves the evidence', async () => {
    const messages = await demoPrompt('da-1004', 'aa-2001');
    const table = PseudonymTable.forMessages(messages);
    const sent = table.pseudonymise(messages[1].content);
    for (const name of names) expect(sent.toLowerCase()).not.toContain(name.toLowerCase());
    // The description's "Marcus Lindqvist's account … from eng-wks-022" is covered by the names found in fields.
    expect(sent).toMatch(/USER_\d+'s account requested Kerberos tickets with RC4 encryption from HOST_\d+, a device/);
    // Evidence stays: IPs, hashes, files, command lines apart from names, ids.
    expect(sent).toContain('10.20.4.37');
    expect(sent).toContain('52e2618c9bc35aa06937aef0f5f2785210c3a9a5a94d4963184d4317775ae05f');
    expect(sent).toContain('MiniDump 716 C:\\\\ProgramData\\\\ms.dmp full');
    expect(sent).toContain('4a5f7e10-db64-4fc8-86cd-b32dbdbeea5c');
    expect(sent).toContain('C:\\\\Windows\\\\System32\\\\rundll32.exe');
    // Still valid JSON after replacement (the model reads the same structure), and the names come back exactly in
    // the parsed values, as they do in the model's structured answer.
    const split = (text: string) => text.split('\n{').map((part, index) => (index === 0 ? part : `{${part}`));
    const original = split(messages[1].content).map((block) => JSON.parse(block) as unknown);
    expect(split(sent).map((block) => table.restoreDeep(JSON.parse(block) as unknown))).toEqual(original);
  });

  it('gives each distinct name one token and restores exactly, whatever the case the model writes', () => {
    const table = new PseudonymTable();
    table.add('USER', 'CONTOSO\\jdoe');
    table.add('HOST', 'WS01.corp.example');
    const sent = table.pseudonymise('jdoe on ws01 (WS01.CORP.EXAMPLE) as contoso\\JDOE; jdoesmith and ws01b untouched');
    expect(sent).toBe('USER_2 on HOST_2 (HOST_1) as USER_1; jdoesmith and ws01b untouched');
    expect(table.restore('user_1 then HOST_2 and USER_9')).toBe('CONTOSO\\jdoe then WS01 and USER_9');
  });

  it('ignores placeholders, built-in accounts, GUIDs and SIDs', () => {
    const table = new PseudonymTable();
    for (const value of ['N/A', 'SYSTEM', 'admin', '-', '42', 'S-1-5-18', '251cfb61-f0b8-4707-a7ec-f4e7a76076ec']) {
      table.add('USER', value);
    }
    expect(table.size).toBe(0);
  });

  it('does not take registry hives or drive letters for DOMAIN\\account', () => {
    const table = PseudonymTable.forMessages([
      {
        role: 'user',
        content: 'HKLM\\Software\\Run and C:\\Users\\Public and NT AUTHORITY\\SYSTEM, by FABRIKAM\\svc-backup',
      },
    ]);
    const sent = table.pseudonymise('HKLM\\Software\\Run and C:\\Users\\Public, by FABRIKAM\\svc-backup');
    expect(sent).toBe('HKLM\\Software\\Run and C:\\Users\\Public, by USER_1');
  });

  it('picks other tokens when the text already holds USER_n (no collision with attacker text)', () => {
    const messages: LlmMessage[] = [{ role: 'user', content: 'USER_1 said jane@contoso.com is fine' }];
    const table = PseudonymTable.forMessages(messages);
    const sent = table.pseudonymise(messages[0].content);
    expect(sent).toMatch(/^USER_1 said USER_[0-9A-F]{4}_1 is fine$/);
    expect(table.restore(sent)).toBe(messages[0].content);
  });

  it('restores names in nested answers, keys included', () => {
    const table = new PseudonymTable();
    table.add('USER', 'jane@contoso.com');
    expect(table.restoreDeep({ a: ['USER_1 and USER_9', 3, null], USER_1: { ok: true } })).toEqual({
      a: ['jane@contoso.com and USER_9', 3, null],
      'jane@contoso.com': { ok: true },
    });
  });
});

describe('PseudonymisingLlmClient', () => {
  const Answer = z.object({ summary: z.string(), entities: z.array(z.string()) });

  it('the model sees pseudonyms and the rule; the caller gets the names back', async () => {
    const inner = new FakeLlmClient().answerWith((request) => {
      const tokens = [...new Set(request.messages[1].content.match(/(?:USER|HOST)_\d+/g) ?? [])];
      return {
        summary: `${tokens[0]} did it on ${tokens.find((token) => token.startsWith('HOST'))}`,
        entities: tokens,
      };
    });
    const client = new PseudonymisingLlmClient(inner);
    const messages = await demoPrompt('da-1004');
    const response = await client.generateStructured({ schemaName: 'answer', schema: Answer, messages });

    const sent = inner.calls[0].messages.map((message) => message.content).join('\n');
    for (const name of ['kenji.watanabe@contoso.com', 'kwatanabe', 'Kenji Watanabe', 'eng-wks-022']) {
      expect(sent.toLowerCase()).not.toContain(name.toLowerCase());
    }
    expect(inner.calls[0].messages[0].content).toContain(pseudonymRule);
    expect(response.value.summary).toMatch(/^\S+ did it on eng-wks-022\.contoso\.com$/);
    expect(response.value.entities).toEqual(
      expect.arrayContaining(['eng-wks-022.contoso.com', 'kenji.watanabe@contoso.com', 'Kenji Watanabe']),
    );
    expect(JSON.stringify(response.value)).not.toMatch(/(?:USER|HOST)_\d/);
  });

  it('passes a request without names through untouched', async () => {
    const inner = new FakeLlmClient().answer({ summary: 'T1059.001 is PowerShell', entities: [] });
    const client = new PseudonymisingLlmClient(inner);
    const messages: LlmMessage[] = [
      { role: 'system', content: 'Answer.' },
      { role: 'user', content: 'what is T1059.001?' },
    ];
    await client.generateStructured({ schemaName: 'answer', schema: Answer, messages });
    expect(inner.calls[0].messages).toEqual(messages);
  });

  it('keeps the pseudonymised answer when a restored name would break the schema', async () => {
    const Short = z.object({ who: z.string().max(8) });
    const inner = new FakeLlmClient().answer({ who: 'USER_1' });
    const client = new PseudonymisingLlmClient(inner);
    const response = await client.generateStructured({
      schemaName: 'short',
      schema: Short,
      messages: [{ role: 'user', content: 'who is averyveryverylongname@contoso.com?' }],
    });
    expect(response.value.who).toBe('USER_1');
  });
});
