import { signAlertWebhook } from '../../../src/feed/signature';
import { feedKeys } from '../../../src/feed/model';
import { graphAlert, secret, sendAlerts, startFeedBot, type FeedBot } from './support';

let feedBot: FeedBot;
beforeAll(async () => {
  feedBot = await startFeedBot();
});
afterAll(async () => {
  await feedBot.stop();
});

async function nothingStored(): Promise<void> {
  expect(await feedBot.store.list(feedKeys.alertPrefix)).toEqual([]);
  expect(await feedBot.store.list(feedKeys.outboxPrefix)).toEqual([]);
}

describe('POST /api/alerts refuses', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ['no signature', { signature: '' }, 'missing_signature'],
    ['a signature in the wrong format', { signature: 'sha1=abc' }, 'malformed_signature'],
    [
      'a signature made with another secret',
      { signature: signAlertWebhook('x'.repeat(40), now(), '{}') },
      'bad_signature',
    ],
    ['a stale timestamp', { timestamp: now() - 900 }, 'stale_timestamp'],
    ['a timestamp from the future', { timestamp: now() + 900 }, 'stale_timestamp'],
  ])('%s with 401', async (_name, options, reason) => {
    const response = await sendAlerts(feedBot.url, graphAlert('ga-bad'), options as never);
    expect(response.status).toBe(401);
    expect(response.body.error).toBe(reason);
    expect(JSON.stringify(response.body)).not.toContain(secret);
    await nothingStored();
  });

  it('a signature over other bytes (the body was changed) with 401', async () => {
    const timestamp = now();
    const signature = signAlertWebhook(secret, timestamp, JSON.stringify(graphAlert('ga-original')));
    const response = await sendAlerts(feedBot.url, graphAlert('ga-tampered'), { timestamp, signature });
    expect(response.status).toBe(401);
    await nothingStored();
  });

  it('a replay of an accepted request with 401, storing the alert once', async () => {
    const raw = JSON.stringify(graphAlert('ga-replay'));
    const timestamp = now();
    const signature = signAlertWebhook(secret, timestamp, raw);
    expect((await sendAlerts(feedBot.url, undefined, { raw, timestamp, signature })).status).toBe(202);
    const replay = await sendAlerts(feedBot.url, undefined, { raw, timestamp, signature });
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('replayed');
    expect(await feedBot.store.list(feedKeys.alertPrefix)).toEqual([feedKeys.alert('ga-replay')]);
    await feedBot.store.delete(feedKeys.alert('ga-replay'));
  });

  it('a body over 1 MiB with 413', async () => {
    const raw = JSON.stringify(graphAlert('ga-big', { description: 'A'.repeat(1024 * 1024) }));
    const response = await sendAlerts(feedBot.url, undefined, { raw });
    expect(response.status).toBe(413);
    await nothingStored();
  });

  it.each([
    ['invalid JSON', '{"id": ', 'bad_json'],
    ['a JSON string', '"alert"', 'bad_alert'],
    ['an empty batch', '[]', 'bad_alert'],
    ['an object that is no alert', '{"hello": "world"}', 'bad_alert'],
    ['a batch with one bad item', JSON.stringify([graphAlert('ga-ok'), { nope: true }]), 'bad_alert'],
  ])('%s with 400 and the reason', async (_name, raw, error) => {
    const response = await sendAlerts(feedBot.url, undefined, { raw });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe(error);
    expect(response.body.message.length).toBeGreaterThan(10);
    await nothingStored();
  });

  it('a compressed or non-JSON body with 415', async () => {
    const gzip = await sendAlerts(feedBot.url, graphAlert('ga-gz'), { headers: { 'content-encoding': 'gzip' } });
    expect(gzip.status).toBe(415);
    const text = await sendAlerts(feedBot.url, graphAlert('ga-txt'), { headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    await nothingStored();
  });
});

describe('POST /api/alerts without ALERTS_WEBHOOK_SECRET', () => {
  it('is off (503), never open', async () => {
    const closed = await startFeedBot({ environment: { ALERTS_WEBHOOK_SECRET: '' } });
    try {
      const response = await sendAlerts(closed.url, graphAlert('ga-closed'));
      expect(response.status).toBe(503);
      expect(await closed.store.list(feedKeys.alertPrefix)).toEqual([]);
    } finally {
      await closed.stop();
    }
  });

  it('accepts an incident and a Sentinel alert batch', async () => {
    const sentinelAlert = {
      SystemAlertId: 'sn-batch-1',
      AlertName: 'MFA fatigue',
      AlertSeverity: 'High',
      ProviderName: 'ASI Scheduled Alerts',
      ProductName: 'Azure Sentinel',
      TimeGenerated: '2026-11-27T10:00:00Z',
      Status: 'New',
    };
    const incident = {
      IncidentNumber: 77,
      Title: 'Credential attack',
      Severity: 'High',
      Status: 'New',
      CreatedTime: '2026-11-27T10:00:00Z',
    };
    const response = await sendAlerts(feedBot.url, [sentinelAlert, incident]);
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ new: 2 });
    expect(await feedBot.store.get(feedKeys.alert('incident-77'))).toBeDefined();
  });
});
