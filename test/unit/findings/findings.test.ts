import {
  applyFindingsRetention,
  listFindings,
  loadReport,
  recordFinding,
  reportLinkSignature,
  storeReport,
  verifyReportLink,
} from '../../../src/findings';
import { MemoryStore } from '../../../src/store';
import { reportDownloadUrl } from '../../../src/cards/links';
import type { CapabilityResult } from '../../../src/copilot/result';
import type { IncidentReport } from '../../../src/copilot/report';

const by = { aadObjectId: '00000000-0000-0000-0000-0000000000a1', name: 'Priya Analyst' };
const day = 24 * 60 * 60 * 1000;

describe('findings store', () => {
  it('files a finding under its incident and each alert, create-only, listed newest first', async () => {
    const store = new MemoryStore();
    const first = new Date('2025-03-04T09:00:00.000Z');
    const keys = await recordFinding(store, {
      capability: 'explainAlert',
      by,
      engine: { kind: 'offline', durationMs: 3 },
      incidentId: '42',
      alertIds: ['da-1001', 'da-1001'],
      summary: 'Phishing  mail\nclicked',
      result: { headline: 'x' },
      at: first,
    });
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^findings\/incident\/42\/2025-03-04T09:00:00\.000Z-[0-9a-f]{12}$/);
    expect(keys[1]).toMatch(/^findings\/alert\/da-1001\//);
    await recordFinding(store, {
      capability: 'investigateIncident',
      by,
      engine: {
        kind: 'llm',
        provider: 'openai',
        model: 'gpt-x',
        usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
        durationMs: 1,
      },
      incidentId: '42',
      summary: 'Investigated',
      at: new Date(first.getTime() + 1000),
    });
    const listed = await listFindings(store, { incidentId: '42' });
    expect(listed.map((finding) => finding.capability)).toEqual(['investigateIncident', 'explainAlert']);
    expect(listed[0].engine).toEqual({ kind: 'llm', provider: 'openai', model: 'gpt-x' });
    expect(listed[1]).toMatchObject({ by, summary: 'Phishing mail clicked', alertIds: ['da-1001'] });
    expect(await listFindings(store, { incidentId: '42', limit: 1 })).toHaveLength(1);
    expect(await listFindings(store, { alertId: 'da-1001' })).toHaveLength(1);
    expect(await listFindings(store, { incidentId: '43' })).toEqual([]);
    await expect(store.put(keys[0], {}, { ifNoneMatch: '*' })).rejects.toMatchObject({ code: 'store_conflict' });
  });

  it('keeps a big result as its summary only', async () => {
    const store = new MemoryStore();
    await recordFinding(store, { capability: 'x', by, incidentId: '1', summary: 's', result: 'y'.repeat(70_000) });
    const [finding] = await listFindings(store, { incidentId: '1' });
    expect(finding.result).toBeUndefined();
    expect(finding.resultOmitted).toBe(true);
  });

  it('retention removes findings older than the limit and expired reports (fake clock)', async () => {
    const store = new MemoryStore();
    const now = new Date('2025-06-01T00:00:00.000Z');
    await recordFinding(store, {
      capability: 'old',
      by,
      incidentId: '1',
      summary: 'a',
      at: new Date(now.getTime() - 91 * day),
    });
    await recordFinding(store, {
      capability: 'new',
      by,
      incidentId: '1',
      summary: 'b',
      at: new Date(now.getTime() - 89 * day),
    });
    const report = { subject: { incidentId: '1' } } as unknown as CapabilityResult<IncidentReport>;
    const expired = await storeReport(store, report, {
      now: new Date(now.getTime() - 2 * 60 * 60 * 1000),
      ttlMinutes: 60,
    });
    const live = await storeReport(store, report, { now, ttlMinutes: 60 });
    expect(await applyFindingsRetention(store, { retentionDays: 90, now })).toBe(2);
    expect((await listFindings(store, { incidentId: '1' })).map((finding) => finding.capability)).toEqual(['new']);
    expect(await store.get(`reports/${expired.id}`)).toBeUndefined();
    expect(await loadReport(store, live.id, now)).toBeDefined();
    expect(await loadReport(store, live.id, new Date(now.getTime() + 61 * 60 * 1000))).toBeUndefined();
  });
});

describe('report link signing', () => {
  const key = 'k'.repeat(40);
  const id = 'a'.repeat(32);
  const now = new Date('2025-06-01T00:00:00.000Z');
  const exp = Math.floor(now.getTime() / 1000) + 3600;
  const sig = reportLinkSignature(key, id, 'html', exp);

  it('accepts a valid link', () => {
    expect(verifyReportLink(key, { id, format: 'html', exp: String(exp), sig }, now)).toBe(true);
  });

  it('refuses a tampered link: signature, id, format, expiry or key changed', () => {
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`;
    expect(verifyReportLink(key, { id, format: 'html', exp: String(exp), sig: flipped }, now)).toBe(false);
    expect(verifyReportLink(key, { id: 'b'.repeat(32), format: 'html', exp: String(exp), sig }, now)).toBe(false);
    expect(verifyReportLink(key, { id, format: 'md', exp: String(exp), sig }, now)).toBe(false);
    expect(verifyReportLink(key, { id, format: 'html', exp: String(exp + 1), sig }, now)).toBe(false);
    expect(verifyReportLink('z'.repeat(40), { id, format: 'html', exp: String(exp), sig }, now)).toBe(false);
    expect(verifyReportLink(key, { id, format: 'html', exp: undefined, sig }, now)).toBe(false);
    expect(verifyReportLink(key, { id, format: 'html', exp: String(exp), sig: 'nothex' }, now)).toBe(false);
  });

  it('refuses an expired link', () => {
    expect(verifyReportLink(key, { id, format: 'html', exp: String(exp), sig }, new Date((exp + 1) * 1000))).toBe(
      false,
    );
  });

  it('builds download URLs only on https or a loopback base URL', () => {
    expect(reportDownloadUrl('https://bot.contoso.example/', { id, format: 'html', exp, sig })).toBe(
      `https://bot.contoso.example/api/reports/${id}.html?exp=${exp}&sig=${sig}`,
    );
    expect(reportDownloadUrl('http://127.0.0.1:3978', { id, format: 'md', exp, sig })).toContain('/api/reports/');
    expect(reportDownloadUrl('http://bot.contoso.example', { id, format: 'md', exp, sig })).toBeUndefined();
    expect(reportDownloadUrl(undefined, { id, format: 'md', exp, sig })).toBeUndefined();
    expect(reportDownloadUrl('https://bot.contoso.example', { id: '../x', format: 'md', exp, sig })).toBeUndefined();
  });
});
