import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { personalMessage, tenantId } from '../../support/activities';
import { repliedCards, startTestBot, type TestBot } from '../../support/bot-harness';

/**
 * Bot Framework authentication with the bot's real JWT validation (botframework-connector), against signing keys
 * generated here and published by a loopback OpenID metadata endpoint: a valid channel token is accepted; a
 * missing, forged, expired, wrong-audience or wrong-issuer token is refused with 401 and reaches no handler; a
 * valid token from another tenant gets the polite refusal. Prints a summary.
 */
const appId = '11111111-2222-3333-4444-555555555555';
const issuer = 'https://api.botframework.com';
const kid = 'test-signing-key';
const channelKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const attackerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });

let metadata: Server;
let metadataUrl: string;
let testBot: TestBot;
const summary = { tried: 0, passed: 0 };

beforeAll(async () => {
  metadata = createServer((request, response) => {
    const base = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
    response.setHeader('content-type', 'application/json');
    if (request.url === '/v1/.well-known/openidconfiguration') {
      response.end(
        JSON.stringify({
          issuer,
          jwks_uri: `${base}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else if (request.url === '/v1/.well-known/keys') {
      const jwk = channelKeys.publicKey.export({ format: 'jwk' });
      response.end(JSON.stringify({ keys: [{ ...jwk, kid, use: 'sig', alg: 'RS256', endorsements: ['msteams'] }] }));
    } else {
      response.statusCode = 404;
      response.end('{}');
    }
  });
  await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
  metadataUrl = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
  testBot = await startTestBot({
    environment: {
      MicrosoftAppId: appId,
      MicrosoftAppPassword: 'test-password-not-a-secret',
      MicrosoftAppTenantId: tenantId,
      BOT_OPENID_METADATA_URL: metadataUrl,
    },
  });
});
afterAll(async () => {
  await testBot.stop();
  await new Promise((resolve) => metadata.close(resolve));
  console.log(`jwt auth: ${summary.tried} cases tried, ${summary.passed} passed`);
});

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

function token(claims: Record<string, unknown>, key: KeyObject = channelKeys.privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const payload = base64url(
    JSON.stringify({
      iss: issuer,
      aud: appId,
      nbf: now - 60,
      exp: now + 3600,
      serviceurl: 'http://127.0.0.1:9/',
      ...claims,
    }),
  );
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), key);
  return `${header}.${payload}.${base64url(signature)}`;
}

async function post(authorization: string | undefined, activity = personalMessage('help')) {
  const response = await fetch(`${testBot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function counted(name: string, body: () => Promise<void>) {
  it(name, async () => {
    summary.tried += 1;
    await body();
    summary.passed += 1;
  });
}

describe('Bot Framework JWT authentication', () => {
  counted('accepts a channel token signed by a published key, for this bot', async () => {
    const answer = await post(`Bearer ${token({})}`);
    expect(answer.status).toBe(200);
    expect(repliedCards(answer.body)).toHaveLength(1);
  });

  counted('refuses a request without a token', async () => {
    expect((await post(undefined)).status).toBe(401);
  });

  counted('refuses a token signed by a key the channel did not publish (forged)', async () => {
    expect((await post(`Bearer ${token({}, attackerKeys.privateKey)}`)).status).toBe(401);
  });

  counted('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await post(`Bearer ${token({ nbf: now - 7200, exp: now - 3600 })}`)).status).toBe(401);
  });

  counted('refuses a token for another bot (wrong audience)', async () => {
    expect((await post(`Bearer ${token({ aud: '99999999-2222-3333-4444-555555555555' })}`)).status).toBe(401);
  });

  counted('refuses a token from another issuer', async () => {
    expect((await post(`Bearer ${token({ iss: 'https://evil.example' })}`)).status).toBe(401);
  });

  counted('refuses a token whose signature was tampered with', async () => {
    const [header, payload, signature] = token({}).split('.');
    const tampered = `${header}.${base64url(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), aud: appId, admin: true }))}.${signature}`;
    expect((await post(`Bearer ${tampered}`)).status).toBe(401);
  });

  counted('answers a valid token from another tenant with the polite refusal only', async () => {
    const activity = personalMessage('explain alert da-1004');
    (activity.conversation as Record<string, unknown>).tenantId = '99999999-9999-9999-9999-999999999999';
    (activity.channelData as Record<string, unknown>).tenant = { id: '99999999-9999-9999-9999-999999999999' };
    const answer = await post(`Bearer ${token({})}`, activity);
    expect(answer.status).toBe(200);
    expect(repliedCards(answer.body)).toHaveLength(0);
    expect(JSON.stringify(answer.body)).toContain('serves only the teams it was set up for');
  });
});
