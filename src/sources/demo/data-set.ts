import type { Alert, Incident, UserContext } from '../model';
import { mapGraphIncident, mapGraphIncidentAlerts } from '../normalize/graph';
import { DemoTimeline } from './fake-identifiers';
import { graphIncident } from './graph-shapes';
import type { IncidentSpec } from './graph-shapes';
import { cloudMiningIncident } from './stories/cloud-mining';
import { domainCompromiseIncident, ransomwareIncident } from './stories/domain-compromise';
import { humanOperatedAttackIncident } from './stories/human-operated-attack';
import { mfaFatigueIncident, passwordSprayIncident, travellingUserIncident } from './stories/identity-attacks';
import { mailboxTakeoverIncident } from './stories/mailbox-takeover';
import { buildDemoUsers } from './users';

export interface DemoDataSet {
  alerts: Alert[];
  incidents: Incident[];
  users: UserContext[];
}

const stories: Array<(time: DemoTimeline) => IncidentSpec> = [
  mailboxTakeoverIncident,
  humanOperatedAttackIncident,
  domainCompromiseIncident,
  ransomwareIncident,
  passwordSprayIncident,
  mfaFatigueIncident,
  travellingUserIncident,
  cloudMiningIncident,
];

/**
 * The demo tenant as of `now`: every story is written as Graph incidents with expanded alerts and mapped by
 * the real Graph mapper, then marked as demo data so nobody mistakes its ids for a live tenant's.
 */
export function buildDemoDataSet(now: Date): DemoDataSet {
  const time = new DemoTimeline(now);
  const alerts: Alert[] = [];
  const incidents: Incident[] = [];
  for (const story of stories) {
    const payload = graphIncident(story(time), time);
    incidents.push({ ...mapGraphIncident(payload, { receivedAt: now }), sourceFormat: 'demo' });
    for (const alert of mapGraphIncidentAlerts(payload, { receivedAt: now })) {
      alerts.push({ ...alert, sourceFormat: 'demo' });
    }
  }
  return { alerts, incidents, users: buildDemoUsers(time) };
}
