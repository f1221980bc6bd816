import { Writable } from 'node:stream';
import pino from 'pino';
import { redactedPaths, type Logger } from '../../../src/logger';
import { probeSecurityDataSource } from '../../../src/sources';
import { FakeAzureServer, FakeCredential, reply } from './fake-azure';
import { LA_QUERY, sourcesAgainst } from './support';

/** The app's pino configuration (with its redaction) at trace level, writing JSON lines into memory. */
function capturingLogger(): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const logger = pino({ level: 'trace', redact: { paths: redactedPaths, censor: '[redacted]' } }, stream);
  return { logger, text: () => chunks.join('') };
}

let server: FakeAzureServer;

beforeAll(async () => {
  server = await FakeAzureServer.start();
});

afterAll(async () => {
  await server.close();
});

const TOKEN_PREFIX = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9-SECRET';
const BODY_MARKER = 'BODY-MARKER-7f3a';

describe('source logging', () => {
  it('never writes the bearer token, request headers or response bodies to the logs', async () => {
    const { logger, text } = capturingLogger();
    const credential = new FakeCredential(TOKEN_PREFIX);
    const { source } = sourcesAgainst(server, ['graph', 'sentinel'], { logger, credential });

    server.on(
      'GET /v1.0/security/alerts_v2',
      reply.error(429, 'TooManyRequests', `slow down ${BODY_MARKER}`, { 'retry-after': '1' }),
      reply.error(401, 'InvalidAuthenticationToken', `expired token ${TOKEN_PREFIX}-1 ${BODY_MARKER}`),
      reply.json({ value: [{ id: 'a1', title: BODY_MARKER, severity: 'high' }] }),
    );
    server.on(LA_QUERY, reply.error(400, 'BadArgumentError', `bad query ${BODY_MARKER}`));
    server.on('GET /v1.0/users/', reply.error(403, 'Forbidden', BODY_MARKER));
    server.on('GET /v1.0/identityProtection/', reply.error(503, 'ServiceUnavailable', BODY_MARKER));
    server.on('GET /v1.0/auditLogs/', reply.raw(`not json ${BODY_MARKER}`));

    await source.listAlerts();
    await source.runHuntingQuery('SigninLogs | take 1', { platform: 'sentinel' }).catch(() => undefined);
    await source.getUserContext('megan.bowen@contoso.example').catch(() => undefined);
    server.otherwise('GET /v1.0/security/alerts_v2', reply.error(401, 'InvalidAuthenticationToken', BODY_MARKER));
    await probeSecurityDataSource(source, { logger });

    const logs = text();
    expect(logs).toContain('source call will be retried');
    expect(logs).toContain('security data source probe failed');
    expect(credential.issuedCount).toBeGreaterThan(1);
    expect(logs).not.toContain('SECRET');
    expect(logs).not.toContain('eyJ0eXAi');
    expect(logs.toLowerCase()).not.toContain('authorization');
    expect(logs.toLowerCase()).not.toContain('bearer');
    expect(logs).not.toContain(BODY_MARKER);
    // The fake saw the real token, so the test would notice if it were never sent at all.
    expect(server.requests.some((request) => request.headers.authorization?.includes(TOKEN_PREFIX))).toBe(true);
  });
});
