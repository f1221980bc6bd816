import { createHmac } from 'node:crypto';
import { ReplayGuard, signAlertWebhook, verifyAlertWebhookSignature } from '../../../src/feed/signature';
import { MemoryStore } from '../../../src/store';

const secret = 's'.repeat(40);
const body = Buffer.from('{"id":"a-1"}');
const nowMs = 1_800_000_000_000;
const timestamp = String(nowMs / 1000);

function check(overrides: Partial<Parameters<typeof verifyAlertWebhookSignature>[0]> = {}) {
  return verifyAlertWebhookSignature({
    secret,
    timestamp,
    signature: signAlertWebhook(secret, timestamp, body),
    rawBody: body,
    nowMs,
    ...overrides,
  });
}

describe('verifyAlertWebhookSignature', () => {
  it('accepts the documented scheme: sha256=hex(HMAC(secret, "<timestamp>.<body>"))', () => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.{"id":"a-1"}`).digest('hex');
    expect(signAlertWebhook(secret, timestamp, body)).toBe(`sha256=${expected}`);
    expect(check()).toMatchObject({ ok: true, digest: expected });
  });

  it('accepts upper-case hex', () => {
    expect(
      check({ signature: signAlertWebhook(secret, timestamp, body).toUpperCase().replace('SHA256', 'sha256') }).ok,
    ).toBe(true);
  });

  it.each([
    ['no signature', { signature: undefined }, 'missing_signature'],
    ['no timestamp', { timestamp: undefined }, 'missing_signature'],
    ['another algorithm', { signature: 'sha1=' + 'a'.repeat(40) }, 'malformed_signature'],
    ['a short digest', { signature: 'sha256=abcd' }, 'malformed_signature'],
    ['a timestamp in milliseconds', { timestamp: String(nowMs) }, 'malformed_signature'],
    ['a non-numeric timestamp', { timestamp: 'yesterday' }, 'malformed_signature'],
    ['a timestamp 301 s old', { timestamp: String(nowMs / 1000 - 301) }, 'stale_timestamp'],
    ['a timestamp 301 s ahead', { timestamp: String(nowMs / 1000 + 301) }, 'stale_timestamp'],
    ['another secret', { secret: 't'.repeat(40) }, 'bad_signature'],
    ['another body', { rawBody: Buffer.from('{"id":"a-2"}') }, 'bad_signature'],
  ])('refuses %s', (_name, overrides, reason) => {
    expect(check(overrides as never)).toEqual({ ok: false, reason });
  });

  it('binds the timestamp: a signature moved to another timestamp fails', () => {
    const later = String(nowMs / 1000 + 10);
    expect(check({ timestamp: later }).ok).toBe(false);
  });

  it('accepts timestamps at the edge of the window', () => {
    for (const edge of [nowMs / 1000 - 300, nowMs / 1000 + 300]) {
      const signature = signAlertWebhook(secret, edge, body);
      expect(check({ timestamp: String(edge), signature }).ok).toBe(true);
    }
  });
});

describe('ReplayGuard', () => {
  it('remembers a signature once, forgets on request, and purges old buckets', async () => {
    const store = new MemoryStore();
    const guard = new ReplayGuard(store);
    expect(await guard.remember('d1', nowMs / 1000, nowMs)).toBe(true);
    expect(await guard.remember('d1', nowMs / 1000, nowMs)).toBe(false);
    await guard.forget('d1', nowMs / 1000);
    expect(await guard.remember('d1', nowMs / 1000, nowMs)).toBe(true);
    // Ten minutes later the old bucket is gone; nothing that old would pass the timestamp check anyway.
    const later = nowMs + 10 * 60_000;
    expect(await guard.remember('d2', later / 1000, later)).toBe(true);
    const keys = await store.list('feed/replay/');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toContain('d2');
  });
});
