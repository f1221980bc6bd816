import { readFileSync } from 'node:fs';
import { gatherIncidentContext, incidentFromAlerts, incidentInputFromJson } from '../../../../src/copilot/context';
import { investigateIncident, InvestigationSchema, type Investigation } from '../../../../src/copilot/investigate';
import { investigateOffline } from '../../../../src/copilot/investigate/offline';
import { silentLogger } from '../../../../src/logger';
import { normalizeAlert } from '../../../../src/sources/normalize';
import { describeWithSharedData, sharedDataPath } from '../../../support/shared-data';
import { contextDependencies, demoIncidentIds, fixedNow } from '../context/context-support';

const logger = silentLogger();

/** Evidence ids cited anywhere in an investigation that the context does not list. */
function unknownEvidenceIds(investigation: Investigation, known: Set<string>): string[] {
  const cited = [
    ...investigation.assessment.evidenceIds,
    ...investigation.attackVector.evidenceIds,
    ...investigation.scope.assets.flatMap((asset) => asset.evidenceIds),
    ...investigation.scope.users.flatMap((user) => user.evidenceIds),
    ...investigation.timeline.flatMap((event) => event.evidenceIds),
    ...investigation.techniques.flatMap((technique) => technique.evidenceIds),
    ...investigation.relatedThreats.flatMap((threat) => threat.evidenceIds),
    ...investigation.containment.flatMap((step) => step.evidenceIds),
    ...investigation.evidenceToPreserve.flatMap((item) => item.evidenceIds),
    ...investigation.findings.flatMap((finding) => finding.evidenceIds),
  ];
  return cited.filter((id) => !known.has(id.toLowerCase()));
}

describe('investigateOffline on every demo incident', () => {
  it.each(demoIncidentIds)('incident %s: a schema-valid, evidence-backed investigation', async (id) => {
    const context = await gatherIncidentContext(id, contextDependencies());
    const investigation = InvestigationSchema.parse(investigateOffline(context));
    const { evidenceIdSet } = await import('../../../../src/copilot/investigate/ground');

    expect(unknownEvidenceIds(investigation, evidenceIdSet(context))).toEqual([]);
    expect(investigation.assessment.severity).toBe(context.incident.severity);
    expect(investigation.timeline.length).toBeGreaterThanOrEqual(context.alerts.length);
    const times = investigation.timeline.map((event) => Date.parse(event.time));
    expect([...times].sort((left, right) => left - right)).toEqual(times);
    expect(investigation.containment.map((step) => step.order)).toEqual(
      investigation.containment.map((_, index) => index + 1),
    );
    expect(investigation.containment.length).toBeGreaterThan(0);
    expect(investigation.evidenceToPreserve.length).toBeGreaterThan(0);
    expect(investigation.findings.length).toBeGreaterThan(0);
    for (const step of investigation.containment) {
      expect(context.evidence.some((item) => item.entity.value === step.target.value)).toBe(true);
    }
  });

  it('incident 42: phishing as the attack vector, the phished user in scope, her account reset first', async () => {
    const result = await investigateIncident('42', { ...contextDependencies(), logger });
    const investigation = result.result;
    expect(result.engine.kind).toBe('offline');
    expect(result.subject).toEqual({ incidentId: '42' });
    expect(investigation.assessment.verdict).toBe('malicious');
    expect(investigation.attackVector.techniqueIds).toContain('T1566.002');
    expect(investigation.scope.users.map((user) => user.userPrincipalName)).toContain('priya.raman@contoso.com');
    expect(
      investigation.scope.users.find((user) => user.userPrincipalName === 'priya.raman@contoso.com')?.department,
    ).toBe('Finance');
    const targets = investigation.containment.map((step) => step.target.value);
    expect(targets).toContain('priya.raman@contoso.com');
    expect(investigation.dataSources.join(' ')).toContain('demo');
  });

  it('incident 43: names Cobalt Strike (S0154) and isolates the workstation', async () => {
    const context = await gatherIncidentContext('43', contextDependencies());
    const investigation = investigateOffline(context);
    expect(investigation.relatedThreats).toContainEqual(
      expect.objectContaining({ attackId: 'S0154', kind: 'software' }),
    );
    expect(investigation.containment.some((step) => step.target.type === 'host' && /Isolate/.test(step.action))).toBe(
      true,
    );
  });

  it('says the attack vector is unknown when no alert shows initial access', async () => {
    const context = await gatherIncidentContext('49', contextDependencies());
    const investigation = investigateOffline({ ...context, techniques: [] });
    expect(investigation.attackVector.techniqueIds).toEqual([]);
    expect(investigation.attackVector.description).toMatch(/do not show how/);
  });

  it('lists the gaps of the context in the result', async () => {
    const context = await gatherIncidentContext('42', contextDependencies());
    const investigation = investigateOffline({ ...context, gaps: [{ source: 'users', reason: 'timed out' }] });
    expect(investigation.gaps).toEqual(['users: timed out']);
  });
});

describeWithSharedData(
  'investigateOffline on incidents built from the shared Sentinel alerts',
  sharedDataPath('alerts', 'sentinel-securityalert.dev.json'),
  () => {
    const rows = (): unknown[] =>
      JSON.parse(readFileSync(sharedDataPath('alerts', 'sentinel-securityalert.dev.json'), 'utf8')) as unknown[];

    it('investigates every alert as a one-alert incident and groups of alerts as incidents', async () => {
      const alerts = rows().map((row) => normalizeAlert(row, { receivedAt: fixedNow }));
      const groups: (typeof alerts)[] = [...alerts.map((alert) => [alert])];
      for (let start = 0; start < alerts.length; start += 10) groups.push(alerts.slice(start, start + 10));
      for (const group of groups) {
        const result = await investigateIncident(
          { incident: incidentFromAlerts(group), alerts: group },
          { ...contextDependencies(), logger },
        );
        expect(() => InvestigationSchema.parse(result.result)).not.toThrow();
        expect(result.result.timeline.length).toBeGreaterThan(0);
      }
    });

    it('reads an array of Sentinel rows as one incident', async () => {
      const input = incidentInputFromJson(rows().slice(0, 5), { receivedAt: fixedNow });
      const result = await investigateIncident(input, { ...contextDependencies(), logger });
      expect(result.result.timeline.length).toBeGreaterThanOrEqual(5);
    });
  },
);

describe('an incident whose alerts cannot be read', () => {
  it('is investigated honestly: undetermined, with the missing alerts listed as a gap, and a valid card', async () => {
    const { investigationCard } = await import('../../../../src/cards/investigation-card');
    const { expectValidCard } = await import('../../../support/cards');
    const input = incidentInputFromJson({
      IncidentNumber: 7001,
      Title: 'Pasted Sentinel incident',
      Severity: 'Medium',
      Status: 'New',
      CreatedTime: '2025-05-31T08:00:00Z',
      AlertIds: '["0f0e0d0c-aaaa-bbbb-cccc-000000000001"]',
    });
    const context = await gatherIncidentContext(input, contextDependencies());
    const result = await investigateIncident(input, { ...contextDependencies(), logger });
    expect(result.result.assessment.verdict).toBe('undetermined');
    expect(result.result.gaps.join(' ')).toContain('not in the data source');
    expectValidCard(investigationCard(result, context.incident));
  });
});
