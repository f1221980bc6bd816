import { z } from 'zod';

/**
 * The `Action.Execute` verbs our cards emit. Routing maps each verb to its handler, so both sides use
 * this one object and a renamed verb cannot silently stop working.
 */
export const VERBS = {
  explainAlert: 'explainAlert',
  investigateAlert: 'investigateAlert',
  analyzeAlert: 'analyzeAlert',
  huntAlert: 'huntAlert',
  showHelp: 'showHelp',
  runHuntQuery: 'runHuntQuery',
  runCommand: 'runCommand',
  remediateAlert: 'remediateAlert',
  remediateIncident: 'remediateIncident',
  huntIndicator: 'huntIndicator',
  huntThreat: 'huntThreat',
  investigateIncident: 'investigateIncident',
  reportIncident: 'reportIncident',
  // Triage buttons on the alert feed's cards (src/feed, src/teams/feed).
  acknowledgeAlert: 'acknowledgeAlert',
  assignAlertToMe: 'assignAlertToMe',
  closeAlert: 'closeAlert',
} as const;
export type Verb = (typeof VERBS)[keyof typeof VERBS];

/** The data every alert button carries; the invoke handler validates it with this schema. */
export const AlertActionDataSchema = z.object({ alertId: z.string().min(1).max(512) });
export type AlertActionData = z.infer<typeof AlertActionDataSchema>;

/** The Run query button's data: the exact query and where to run it. The handler validates the query again. */
export const RunHuntQueryDataSchema = z.object({
  query: z.string().min(1).max(20000),
  platform: z.enum(['sentinel', 'defender']),
});
export type RunHuntQueryData = z.infer<typeof RunHuntQueryDataSchema>;

/** The Remediate button on an incident row: which incident to write response guidance for. */
export const IncidentActionDataSchema = z.object({ incidentId: z.string().min(1).max(128) });
export type IncidentActionData = z.infer<typeof IncidentActionDataSchema>;

/**
 * "Hunt for this" on an indicator. The value travels defanged (Teams shows card data to no one, but nothing
 * attacker-written leaves a card live); the handler refangs it and checks it is the type it claims.
 */
export const HuntIndicatorDataSchema = z.object({
  indicatorType: z.enum(['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256']),
  indicator: z.string().min(1).max(2048),
  platform: z.enum(['sentinel', 'defender']).optional(),
});
export type HuntIndicatorData = z.infer<typeof HuntIndicatorDataSchema>;

/**
 * A "Hunt: …" button for a threat or technique: the request the hunting capability answers, and the incident or
 * alert it is about when the card has one (the hunt is then filed as that incident's or alert's finding).
 */
export const HuntThreatDataSchema = z.object({
  threat: z.string().min(1).max(300),
  platform: z.enum(['sentinel', 'defender']).optional(),
  incidentId: z.string().min(1).max(128).optional(),
  alertId: z.string().min(1).max(512).optional(),
});
export type HuntThreatData = z.infer<typeof HuntThreatDataSchema>;

/** A clarifying card's button: a command routed exactly as if the analyst had typed it. */
export const RunCommandDataSchema = z.object({ command: z.string().min(1).max(2000) });
export type RunCommandData = z.infer<typeof RunCommandDataSchema>;

/**
 * The Report buttons: which incident, for whom, and optionally the TLP marking. `investigateIncident` carries
 * IncidentActionDataSchema.
 */
export const ReportActionDataSchema = z.object({
  incidentId: z.string().min(1).max(128),
  audience: z.enum(['executive', 'technical', 'regulator']).default('technical'),
  tlp: z.enum(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']).optional(),
});
export type ReportActionData = z.infer<typeof ReportActionDataSchema>;

/**
 * Buttons on an alert card the feed posted carry `origin: "feed"`: the click then works on the feed's copy of
 * the alert and updates the card for everyone. "Close as …" also says how; Investigate and Report add the
 * alert's incident for the incident verbs.
 */
export const FeedAlertActionDataSchema = z.object({
  alertId: z.string().min(1).max(512),
  origin: z.literal('feed'),
  classification: z.enum(['truePositive', 'falsePositive', 'informationalExpectedActivity']).optional(),
});
export type FeedAlertActionData = z.infer<typeof FeedAlertActionDataSchema>;
