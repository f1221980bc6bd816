import { Writable } from 'node:stream';
import pino from 'pino';
import { CopilotError } from '../../../src/errors';
import { redactedPaths } from '../../../src/logger';
import { MemoryStore } from '../../../src/store';
import { personalMessage } from '../../support/activities';
import { repliedCards, startTestBot, type TestBot } from '../../support/bot-harness';
import { FakeLlmClient } from '../../support/fake-llm';

/**
 * Planted secrets, as a suite with a printed summary: AWS keys, Azure storage connection strings, JWTs, passwords
 * on command lines, private keys and API keys, inside alerts and messages sent to a bot with an LLM configured.
 * None may reach the LLM's recorded requests, the logs (at trace level) or the stored audit records.
 */
const secrets = {
  awsKey: 'AKIAIOSFODNN7EXAMPLE',
  storageKey: 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG9maWNlcw==',
  jwtSignature: 'c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl',
  commandLinePassword: 'Winter2026!Secret',
  privateKeyBody: 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  openAiKey: 'sk-proj-abcdefghijklmnopqrstuvwx',
  githubToken: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
};

const alert = {
  '@odata.type': '#microsoft.graph.security.alert',
  id: 'da-secrets-1',
  title: 'Credential material on the command line',
  description: `Admin ran psexec.exe \\\\fs01 -u contoso\\admin -p ${secrets.commandLinePassword} with AWS key ${secrets.awsKey}.`,
  severity: 'high',
  status: 'new',
  serviceSource: 'microsoftDefenderForEndpoint',
  productName: 'Microsoft Defender for Endpoint',
  createdDateTime: '2026-11-27T09:00:00Z',
  evidence: [
    {
      '@odata.type': '#microsoft.graph.security.processEvidence',
      processCommandLine: `curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.${secrets.jwtSignature}" https://api.example/ --key ${secrets.openAiKey}`,
      imageFile: { fileName: 'curl.exe' },
    },
    {
      '@odata.type': '#microsoft.graph.security.processEvidence',
      processCommandLine: `az storage blob upload --connection-string "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${secrets.storageKey};EndpointSuffix=core.windows.net" --token ${secrets.githubToken}`,
      imageFile: { fileName: 'az.cmd' },
    },
  ],
};

const messages = [
  `explain ${JSON.stringify(alert)}`,
  `check this: -----BEGIN RSA PRIVATE KEY-----\n${secrets.privateKeyBody}\n-----END RSA PRIVATE KEY----- and 203.0.113[.]7 password=${secrets.commandLinePassword}`,
  `hunt for logons with password ${secrets.commandLinePassword} from AKIA keys like ${secrets.awsKey}`,
];

let testBot: TestBot;
let llm: FakeLlmClient;
let store: MemoryStore;
const logs: string[] = [];

beforeAll(async () => {
  llm = new FakeLlmClient();
  store = new MemoryStore();
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      logs.push(chunk.toString());
      callback();
    },
  });
  const logger = pino({ level: 'trace', redact: { paths: redactedPaths, censor: '[redacted]' } }, stream);
  testBot = await startTestBot({ overrides: { llm, store }, logger });
});
afterAll(() => testBot.stop());

describe('planted secrets', () => {
  it('reach neither the LLM, nor the logs, nor the audit trail', async () => {
    for (const text of messages) {
      // The model "fails" after recording the request, so every capability falls back to its offline answer.
      for (let index = 0; index < 6; index += 1) llm.fail(new CopilotError('llm_unavailable', 'fake outage'));
      const response = await testBot.post(personalMessage(text));
      expect(response.status).toBe(200);
      expect(repliedCards(response.body).length).toBeGreaterThan(0);
    }
    expect(llm.calls.length).toBeGreaterThan(0);

    const prompts = JSON.stringify(llm.calls.map((call) => call.messages));
    const logText = logs.join('');
    const auditText: string[] = [];
    for (const key of await store.list('audit/')) auditText.push(JSON.stringify((await store.get(key))?.value));
    expect(auditText.length).toBeGreaterThan(0);

    const places = { 'LLM requests': prompts, logs: logText, 'audit records': auditText.join('\n') };
    let checks = 0;
    for (const [place, content] of Object.entries(places)) {
      for (const [name, secret] of Object.entries(secrets)) {
        checks += 1;
        expect({ place, name, leaked: content.includes(secret) }).toEqual({ place, name, leaked: false });
      }
    }
    console.log(
      `secrets corpus: ${Object.keys(secrets).length} secrets × ${messages.length} messages, ${checks} checks over ${llm.calls.length} LLM requests, ${logs.length} log lines and ${auditText.length} audit records: no leak`,
    );
  });
});
