import {
  GatherAbortedError,
  gatherAlertContext,
  gatherIncidentContext,
  incidentFromAlerts,
  type EnrichmentLookup,
} from '../../../../src/copilot/context';
import { CopilotError } from '../../../../src/errors';
import type { SecurityDataSource } from '../../../../src/sources/port';
import { makeAlert } from '../../../support/cards';
import {
  brokenSource,
  contextDependencies,
  demoIncidentIds,
  demoSource,
  noProviderEnrichment,
} from './context-support';

describe('gatherIncidentContext on the demo data', () => {
  it('gathers incident 42: its alerts, evidence ids, the affected user, related alerts and ATT&CK facts', async () => {
    const context = await gatherIncidentContext('42', contextDependencies());

    expect(context.incident.id).toBe('42');
    expect(context.alerts.map((alert) => alert.id).sort()).toEqual([
      'ad-4001',
      'ca-5001',
      'fa-3001',
      'fa-3002',
      'sn-6001',
    ]);
    // Oldest activity first.
    const starts = context.alerts.map((alert) => Date.parse(alert.firstActivityAt ?? alert.createdAt));
    expect([...starts].sort((left, right) => left - right)).toEqual(starts);
    expect(context.evidence.length).toBe(context.alerts.reduce((total, alert) => total + alert.entities.length, 0));
    expect(context.evidence[0].id).toBe(`${context.alerts[0].id}#1`);
    expect(context.users.map((user) => user.userPrincipalName)).toContain('priya.raman@contoso.com');
    expect(context.techniques.map((technique) => technique.id)).toContain('T1566.002');
    for (const technique of context.techniques) expect(technique.alertIds.length).toBeGreaterThan(0);
    expect(context.relatedAlerts.every((related) => related.alert.incidentId !== '42')).toBe(true);
    expect(context.gaps).toEqual([]);
    expect(context.sources.join(' ')).toContain('demo data source');
    expect(context.gatheredAt).toBe('2025-06-01T12:00:00.000Z');
  });

  it.each(demoIncidentIds)('gathers incident %s with no gap but the missing intelligence provider', async (id) => {
    const context = await gatherIncidentContext(id, contextDependencies());
    expect(context.alerts.length).toBe(context.incident.alertIds.length);
    // File hashes are public indicators; without a provider they are not looked up, and the context says so.
    for (const gap of context.gaps) {
      expect(gap).toEqual({ source: 'enrichment', reason: expect.stringContaining('no threat-intelligence provider') });
    }
  });

  it('lists the Cobalt Strike software its evidence names for incident 43', async () => {
    const context = await gatherIncidentContext('43', contextDependencies());
    expect(context.threats).toContainEqual(
      expect.objectContaining({ kind: 'software', attackId: 'S0154', name: 'Cobalt Strike' }),
    );
  });

  it('finds recent alerts of the last 24 hours outside the incident', async () => {
    const context = await gatherIncidentContext('42', contextDependencies());
    const cutoff = Date.parse('2025-05-31T12:00:00.000Z');
    expect(context.recentAlerts.length).toBeGreaterThan(0);
    for (const alert of context.recentAlerts) {
      expect(alert.incidentId).not.toBe('42');
      expect(Date.parse(alert.lastUpdatedAt ?? alert.createdAt)).toBeGreaterThanOrEqual(cutoff);
    }
  });

  it('says clearly when the incident does not exist', async () => {
    await expect(gatherIncidentContext('4242', contextDependencies())).rejects.toMatchObject({
      code: 'not_found',
      userMessage: expect.stringContaining('4242'),
    });
  });

  it('uses the alerts it is given without asking the source for them', async () => {
    const alert = makeAlert();
    const source = demoSource();
    const getAlert = jest.spyOn(source, 'getAlert');
    const context = await gatherIncidentContext(
      { incident: incidentFromAlerts([alert]), alerts: [alert] },
      contextDependencies({ dataSource: source }),
    );
    expect(getAlert).not.toHaveBeenCalled();
    expect(context.alerts).toEqual([alert]);
  });
});

describe('a failing or slow source is a gap, never fatal', () => {
  it('lists failed user lookups and related-alert queries as gaps and still answers', async () => {
    const context = await gatherIncidentContext(
      '42',
      contextDependencies({ dataSource: brokenSource({ getUserContext: 'fail', listAlerts: 'fail' }) }),
    );
    expect(context.alerts).toHaveLength(5);
    expect(context.users).toEqual([]);
    expect(context.gaps.map((gap) => gap.source).sort()).toEqual(['recentAlerts', 'relatedAlerts', 'users']);
    // The raw error text (possibly a vendor payload) is not repeated to the analyst.
    expect(JSON.stringify(context.gaps)).not.toContain('connection reset');
  });

  it('turns a source that never answers into a time-out gap', async () => {
    const context = await gatherIncidentContext(
      '42',
      contextDependencies({ dataSource: brokenSource({ getUserContext: 'hang' }) }),
      { timeoutMs: 20 },
    );
    expect(context.gaps).toEqual([{ source: 'users', reason: expect.stringContaining('timed out') }]);
  });

  it('reports alerts of the incident that cannot be read', async () => {
    const context = await gatherIncidentContext(
      '42',
      contextDependencies({ dataSource: brokenSource({ getAlert: 'fail' }) }),
    );
    expect(context.alerts).toEqual([]);
    expect(context.gaps).toContainEqual({ source: 'alerts', reason: expect.stringContaining('could not read alerts') });
  });

  it('fails with source_unavailable when the incident itself cannot be read', async () => {
    await expect(
      gatherIncidentContext('42', contextDependencies({ dataSource: brokenSource({ getIncident: 'fail' }) })),
    ).rejects.toBeInstanceOf(CopilotError);
  });

  it('rejects when the caller cancels', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      gatherIncidentContext('42', contextDependencies(), { signal: controller.signal }),
    ).rejects.toBeInstanceOf(GatherAbortedError);
  });

  it('keeps at most `concurrency` alert reads in flight', async () => {
    const base = demoSource();
    let inFlight = 0;
    let most = 0;
    const counting: SecurityDataSource = {
      ...brokenSource({}, base),
      getAlert: async (id) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return base.getAlert(id);
      },
    };
    const context = await gatherIncidentContext('43', contextDependencies({ dataSource: counting }), {
      concurrency: 2,
    });
    expect(context.alerts).toHaveLength(8);
    expect(most).toBeLessThanOrEqual(2);
  });
});

describe('threat intelligence in the context', () => {
  const publicAlert = makeAlert({
    entities: [
      { type: 'ip', value: '8.8.4.4', properties: {}, roles: ['attacker'] },
      { type: 'ip', value: '10.1.2.3', properties: {}, roles: [] },
      { type: 'domain', value: 'evil.example', properties: {}, roles: [] },
    ],
  });

  it('looks up public indicators only, and lists the ATT&CK software intelligence associates', async () => {
    const asked: string[] = [];
    const enrichment: EnrichmentLookup = {
      async enrich(indicators) {
        asked.push(...indicators.map((indicator) => indicator.value));
        return {
          providers: ['VirusTotal'],
          indicators: indicators.map((indicator) => ({
            indicator: { type: indicator.type, value: indicator.value },
            verdict: 'malicious' as const,
            summary: 'VirusTotal: 12 of 94 engines',
            evidence: [],
            failures: [],
            associations: { malwareFamilies: ['Cobalt Strike'], groups: [], tags: [] },
          })),
        };
      },
    };
    const context = await gatherAlertContext(publicAlert, contextDependencies({ enrichment }));
    expect(asked).toEqual(['8.8.4.4']);
    expect(context.indicators).toHaveLength(1);
    expect(context.threats).toContainEqual(expect.objectContaining({ attackId: 'S0154' }));
    expect(context.sources.join(' ')).toContain('VirusTotal');
  });

  it('says when no provider is configured', async () => {
    const context = await gatherAlertContext(publicAlert, contextDependencies({ enrichment: noProviderEnrichment }));
    expect(context.gaps).toContainEqual({
      source: 'enrichment',
      reason: expect.stringContaining('no threat-intelligence provider is configured'),
    });
  });

  it('turns failed lookups into a gap', async () => {
    const enrichment: EnrichmentLookup = { enrich: async () => Promise.reject(new Error('socket hang up')) };
    const context = await gatherAlertContext(publicAlert, contextDependencies({ enrichment }));
    expect(context.gaps).toContainEqual({ source: 'enrichment', reason: expect.stringContaining('failed') });
  });
});

describe('gatherAlertContext', () => {
  it('adds the alert incident facts and finds its sibling alerts through shared entities', async () => {
    const alert = await demoSource().getAlert('da-1004');
    const context = await gatherAlertContext(alert!, contextDependencies());
    expect(context.alert.id).toBe('da-1004');
    expect(context.incident?.id).toBe('43');
    expect(context.alerts).toHaveLength(1);
    expect(context.relatedAlerts.some((related) => related.alert.incidentId === '43')).toBe(true);
  });
});
