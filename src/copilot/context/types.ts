import type { IndicatorEnrichment } from '../../intel/enrichment/types';
import type { Logger } from '../../logger';
import type { Alert, Entity, Incident, UserContext } from '../../sources/model';
import type { SecurityDataSource } from '../../sources/port';
import type { AttackFacts, TechniqueFacts } from '../knowledge';

/**
 * What a capability knows about an incident or an alert before it reasons about it: the subject, its alerts
 * and evidence, the people involved, what else happened around it, threat intelligence and ATT&CK facts.
 * Gathered once (src/copilot/context/gather.ts), shared by investigate, report and any later capability.
 */

/** The sources the gatherer asks; a gap names the one that failed. */
export const contextSources = [
  'incident',
  'alerts',
  'users',
  'recentAlerts',
  'relatedAlerts',
  'enrichment',
  'attack',
] as const;
export type ContextSource = (typeof contextSources)[number];

/** A source that failed, timed out or was not available; shown to the analyst, never fatal. */
export interface ContextGap {
  source: ContextSource;
  /** Safe to show: no keys, payloads or stack traces. */
  reason: string;
}

/**
 * One piece of evidence with an id a finding can cite. Alerts are cited by their own id ("da-1009"), an
 * alert's entities as `<alert id>#<n>` (1-based, in the alert's order), users as `user:<upn>`.
 */
export interface EvidenceItem {
  id: string;
  alertId: string;
  entity: Entity;
}

/** A technique the incident shows, with the alerts that show it. */
export interface ContextTechnique extends TechniqueFacts {
  alertIds: string[];
}

/** ATT&CK groups and software the evidence names (a malware-family entity, a name in an alert, TI associations). */
export interface ContextThreat {
  kind: 'group' | 'software';
  /** ATT&CK ID, e.g. S0154 or G0016. */
  attackId: string;
  name: string;
  /** Why it is listed, e.g. "named as the malware family in alert da-1001". */
  reason: string;
  evidenceIds: string[];
}

export interface RelatedAlert {
  alert: Alert;
  /** The entity values it shares with the subject (empty for alerts that are only recent). */
  sharedValues: string[];
}

export interface GatheredContext {
  /** The subject's alerts, oldest activity first. */
  alerts: Alert[];
  /** Every entity of every alert, with the id findings cite. */
  evidence: EvidenceItem[];
  /** Directory facts and recent sign-ins for the affected accounts the source knows. */
  users: UserContext[];
  /** Alerts raised in the look-back window that are not part of the subject. */
  recentAlerts: Alert[];
  /** Alerts outside the subject that share entities with it (any age the source keeps). */
  relatedAlerts: RelatedAlert[];
  /** Threat-intelligence verdicts for the public indicators (IPs, domains, URLs, hashes). */
  indicators: IndicatorEnrichment[];
  techniques: ContextTechnique[];
  threats: ContextThreat[];
  gaps: ContextGap[];
  /** What was consulted, in words for a card footer ("demo data source: incident, 5 alerts, 2 users"). */
  sources: string[];
  /** ISO 8601. */
  gatheredAt: string;
  /** The look-back used for recent alerts, in hours. */
  recentWindowHours: number;
}

export interface IncidentContext extends GatheredContext {
  incident: Incident;
}

export interface AlertContext extends GatheredContext {
  alert: Alert;
  /** The alert's incident when the source knows it. */
  incident?: Incident;
}

/** An incident by id, an incident object (its alerts fetched by id), or an incident with its alerts in hand. */
export type IncidentInput = string | Incident | { incident: Incident; alerts: Alert[] };

/** The narrow views of the enrichment service and ATT&CK knowledge the gatherer needs (fakes in tests). */
export interface EnrichmentLookup {
  enrich(
    indicators: ReadonlyArray<{ type: IndicatorEnrichment['indicator']['type']; value: string }>,
    options?: { signal?: AbortSignal },
  ): Promise<{ indicators: IndicatorEnrichment[]; providers: string[] }>;
}

export interface AttackCatalog {
  group(idOrNameOrAlias: string): { id: string; name: string; url: string } | undefined;
  software(idOrNameOrAlias: string): { id: string; name: string; type: string; url: string } | undefined;
}

export interface ContextDependencies {
  dataSource: SecurityDataSource;
  attack: AttackFacts;
  /** Groups and software; without it no related threats are listed. */
  attackKnowledge?: AttackCatalog;
  /** Threat intelligence; without it indicators are not looked up (and a gap says so). */
  enrichment?: EnrichmentLookup;
  logger?: Logger;
  clock?: () => Date;
}

export interface GatherOptions {
  signal?: AbortSignal;
  /** Per-source time-out in milliseconds (default 8000): a slow source becomes a gap, not a hang. */
  timeoutMs?: number;
  /** At most this many calls to one source at a time (default 4). */
  concurrency?: number;
  /** Look-back for recent alerts in hours (default 24). */
  recentWindowHours?: number;
  /** Caps (defaults: 10 users, 25 indicators, 25 related and 25 recent alerts, 40 alerts in the subject). */
  maxUsers?: number;
  maxIndicators?: number;
  maxRelatedAlerts?: number;
  maxRecentAlerts?: number;
  maxAlerts?: number;
}
