import { signAlertWebhook } from '../../../src/feed/signature';
import type { LlmClient } from '../../../src/llm/port';
import type { Store } from '../../../src/store';
import { MemoryStore } from '../../../src/store';
import type { AlertFeedRuntimeOptions } from '../../../src/teams/feed/runtime';
import { channelMessage } from '../../support/activities';
import { startTestBot, type TestBot } from '../../support/bot-harness';

export const secret = 'feed-test-secret-0123456789abcdef0123456789';

export interface FeedBot extends TestBot {
  store: Store;
}

/** The real bot with the alert feed on, a memory store (or the one given), tiny backoffs. */
export async function startFeedBot(
  options: {
    store?: Store;
    feed?: AlertFeedRuntimeOptions;
    environment?: Record<string, string>;
    /** A fake model; without one the offline engines answer. */
    llm?: LlmClient;
  } = {},
): Promise<FeedBot> {
  const store = options.store ?? new MemoryStore();
  const testBot = await startTestBot({
    environment: { ALERTS_WEBHOOK_SECRET: secret, ...options.environment },
    overrides: { store, ...(options.llm ? { llm: options.llm } : {}) },
    feed: { ...options.feed, worker: { baseBackoffMs: 5, maxBackoffMs: 50, idleMs: 50, ...options.feed?.worker } },
  });
  return { ...testBot, store };
}

/** POSTs a body to /api/alerts, signed unless told otherwise. */
export async function sendAlerts(
  url: string,
  body: unknown,
  options: { timestamp?: number; signature?: string; raw?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any }> {
  const raw = options.raw ?? JSON.stringify(body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(`${url}/api/alerts`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-soc-timestamp': String(timestamp),
      'x-soc-signature': options.signature ?? signAlertWebhook(secret, timestamp, raw),
      ...options.headers,
    },
    body: raw,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Subscribes the test channel through an @mention, as an analyst would. */
export async function subscribeChannel(
  bot: FeedBot,
  serviceUrl: string,
  text = 'use this channel for alerts low and above',
) {
  return bot.post(channelMessage(text, { serviceUrl }));
}

/** A Graph alerts_v2 alert as Defender XDR streams it. */
export function graphAlert(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.security.alert',
    id,
    providerAlertId: `provider-${id}`,
    incidentId: '42',
    status: 'new',
    severity: 'high',
    title: `Suspicious PowerShell download ${id}`,
    description: 'PowerShell downloaded a script from hxxps://cdn.evil.example/stage2.ps1',
    serviceSource: 'microsoftDefenderForEndpoint',
    detectionSource: 'microsoftDefenderForEndpoint',
    category: 'Execution',
    mitreTechniques: ['T1059.001', 'T1105'],
    createdDateTime: '2026-11-27T10:00:00Z',
    lastUpdateDateTime: '2026-11-27T10:00:00Z',
    evidence: [
      {
        '@odata.type': '#microsoft.graph.security.deviceEvidence',
        deviceDnsName: 'ws-0142.contoso.local',
        roles: [],
      },
      {
        '@odata.type': '#microsoft.graph.security.ipEvidence',
        ipAddress: '203.0.113.7',
        roles: [],
      },
    ],
    ...overrides,
  };
}

export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
