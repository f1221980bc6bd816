import { AlertSchema, IncidentSchema, UserContextSchema } from '../../../../src/sources/model';
import type { Alert } from '../../../../src/sources/model';
import { buildDemoDataSet } from '../../../../src/sources/demo/data-set';

const now = new Date('2025-03-14T15:00:00.000Z');
const sevenDaysAgo = now.getTime() - 7 * 24 * 60 * 60 * 1000;
const dataSet = buildDemoDataSet(now);
const severityRank = { informational: 0, low: 1, medium: 2, high: 3 };

function timestampsOf(alert: Alert): string[] {
  return [alert.createdAt, alert.firstActivityAt, alert.lastActivityAt, alert.lastUpdatedAt].filter(
    (value): value is string => value !== undefined,
  );
}

describe('the demo data set', () => {
  it('has about 30-40 alerts in about 8 incidents with short, typeable, unique ids', () => {
    expect(dataSet.alerts.length).toBeGreaterThanOrEqual(30);
    expect(dataSet.alerts.length).toBeLessThanOrEqual(40);
    expect(dataSet.incidents.map((incident) => incident.id)).toEqual(['42', '43', '44', '45', '46', '47', '48', '49']);
    const alertIds = dataSet.alerts.map((alert) => alert.id);
    expect(new Set(alertIds).size).toBe(alertIds.length);
    for (const id of alertIds) expect(id).toMatch(/^[a-z]{2}-\d{4}$/);
  });

  it('holds only schema-valid alerts, incidents and users marked as demo data', () => {
    for (const alert of dataSet.alerts) {
      expect(AlertSchema.parse(alert)).toEqual(alert);
      expect(alert.sourceFormat).toBe('demo');
      expect(alert.portalUrl).toBeUndefined();
    }
    for (const incident of dataSet.incidents) {
      expect(IncidentSchema.parse(incident)).toEqual(incident);
      expect(incident.sourceFormat).toBe('demo');
    }
    for (const user of dataSet.users) expect(UserContextSchema.parse(user)).toEqual(user);
  });

  it('links every incident to existing alerts and every alert to an incident that lists it', () => {
    const alertIds = new Set(dataSet.alerts.map((alert) => alert.id));
    for (const incident of dataSet.incidents) {
      expect(incident.alertIds.length).toBeGreaterThan(0);
      for (const alertId of incident.alertIds) expect(alertIds).toContain(alertId);
    }
    for (const alert of dataSet.alerts) {
      const incident = dataSet.incidents.find((candidate) => candidate.id === alert.incidentId);
      expect(incident?.alertIds).toContain(alert.id);
    }
  });

  it('gives every incident the severity of its worst alert', () => {
    for (const incident of dataSet.incidents) {
      const alerts = dataSet.alerts.filter((alert) => alert.incidentId === incident.id);
      const worst = Math.max(...alerts.map((alert) => severityRank[alert.severity]));
      expect(severityRank[incident.severity]).toBe(worst);
    }
  });

  it('has context for every account the alerts mention', () => {
    const known = new Set(dataSet.users.map((user) => user.userPrincipalName.toLowerCase()));
    const accounts = dataSet.alerts.flatMap((alert) => alert.entities.filter((entity) => entity.type === 'account'));
    expect(accounts.length).toBeGreaterThan(30);
    for (const account of accounts) expect(known).toContain(account.value.toLowerCase());
  });

  it('dates everything in the past seven days, in order', () => {
    for (const alert of dataSet.alerts) {
      for (const timestamp of timestampsOf(alert)) {
        expect(Date.parse(timestamp)).toBeLessThanOrEqual(now.getTime());
        expect(Date.parse(timestamp)).toBeGreaterThanOrEqual(sevenDaysAgo);
      }
      expect(Date.parse(alert.firstActivityAt ?? '')).toBeLessThanOrEqual(Date.parse(alert.createdAt));
      expect(Date.parse(alert.createdAt)).toBeLessThanOrEqual(Date.parse(alert.lastUpdatedAt ?? ''));
    }
    for (const incident of dataSet.incidents) {
      expect(Date.parse(incident.createdAt)).toBeGreaterThanOrEqual(sevenDaysAgo);
      expect(Date.parse(incident.lastUpdatedAt ?? '')).toBeLessThanOrEqual(now.getTime());
    }
    for (const signIn of dataSet.users.flatMap((user) => user.recentSignIns)) {
      expect(Date.parse(signIn.time)).toBeLessThanOrEqual(now.getTime());
      expect(Date.parse(signIn.time)).toBeGreaterThanOrEqual(sevenDaysAgo);
    }
  });

  it('gives every alert ATT&CK techniques, recommended actions and evidence with roles', () => {
    for (const alert of dataSet.alerts) {
      expect(alert.techniques.length).toBeGreaterThan(0);
      for (const technique of alert.techniques) expect(technique).toMatch(/^T\d{4}(\.\d{3})?$/);
      expect(alert.recommendedActions?.length).toBeGreaterThan(20);
      expect(alert.description.length).toBeGreaterThan(40);
      expect(alert.entities.some((entity) => entity.roles.length > 0)).toBe(true);
    }
    const techniques = new Set(dataSet.alerts.flatMap((alert) => alert.techniques));
    for (const expected of [
      'T1059.001',
      'T1003.001',
      'T1566.002',
      'T1110.003',
      'T1558.003',
      'T1003.006',
      'T1114.003',
      'T1621',
      'T1078',
    ]) {
      expect(techniques).toContain(expected);
    }
  });

  it('covers the Defender products, Entra ID Protection and Sentinel', () => {
    const products = new Set(dataSet.alerts.map((alert) => alert.productName));
    for (const product of [
      'Microsoft Defender for Endpoint',
      'Microsoft Defender for Identity',
      'Microsoft Defender for Office 365',
      'Microsoft Defender for Cloud Apps',
      'Microsoft Entra ID Protection',
      'Microsoft Sentinel',
    ]) {
      expect(products).toContain(product);
    }
  });

  it('uses only documentation or private addresses and reserved domains', () => {
    const entities = dataSet.alerts.flatMap((alert) => alert.entities);
    const documentationOrPrivate = /^(192\.0\.2\.|198\.51\.100\.|203\.0\.113\.|10\.)/;
    for (const ip of entities.filter((entity) => entity.type === 'ip'))
      expect(ip.value).toMatch(documentationOrPrivate);
    for (const signIn of dataSet.users.flatMap((user) => user.recentSignIns)) {
      expect(signIn.ipAddress).toMatch(documentationOrPrivate);
    }
    for (const url of entities.filter((entity) => entity.type === 'url')) {
      expect(new URL(url.value).hostname).toMatch(/\.example$/);
    }
    const addresses = entities.filter((entity) => entity.type === 'mailbox' || entity.type === 'account');
    for (const address of addresses) expect(address.value).toMatch(/@(contoso\.com|[a-z-]+\.example)$/);
    for (const hash of entities.flatMap((entity) => [entity.properties.sha256].filter(Boolean))) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('is the same for the same clock and moves with the clock', () => {
    expect(buildDemoDataSet(new Date(now))).toEqual(dataSet);
    const later = buildDemoDataSet(new Date(now.getTime() + 60 * 60 * 1000));
    expect(Date.parse(later.alerts[0].createdAt) - Date.parse(dataSet.alerts[0].createdAt)).toBe(60 * 60 * 1000);
    expect(later.alerts.map((alert) => alert.id)).toEqual(dataSet.alerts.map((alert) => alert.id));
  });
});
