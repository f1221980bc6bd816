import type { Alert, Entity } from '../sources/model';
import type { AdaptiveCard, CardElement, CardText } from './card-kit';
import {
  LIMITS,
  adaptiveCard,
  cardTime,
  collapsibleText,
  container,
  factSet,
  heading,
  joinText,
  label,
  optional,
  subtleNote,
  text,
  textBlock,
} from './card-kit';
import { actionSet, executeAction, openUrlAction, showCardAction } from './card-kit';
import type { CardAction } from './card-kit';
import { portalLink } from './links';
import { VERBS } from './verbs';
import { alertActions, alertHeader, entityLabel, statusLabel, techniqueLines } from './alert-parts';
import type { AlertButton } from './alert-parts';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';

export interface AlertCardOptions {
  /** Resolves a technique ID to its ATT&CK name (from src/intel/attack), so the card can show names. */
  techniqueName?: (id: string) => string | undefined;
  /** The buttons to offer; only capabilities the bot routes. Default: Explain alert. */
  buttons?: ReadonlyArray<AlertButton>;
  /** The alert feed's card: the shared triage state and the feed's buttons instead of `buttons`. */
  feed?: AlertCardFeedState;
}

/** Who did what on a feed card; names and ids come from Teams, and are rendered as text. */
export interface AlertCardAnalyst {
  name: string;
  aadObjectId?: string;
}

export interface AlertCardFeedState {
  acknowledged?: { by: AlertCardAnalyst; at: string };
  assigned?: { by: AlertCardAnalyst; at: string };
  closed?: { by: AlertCardAnalyst; at: string; classification: string };
  /** Work done from the card ("Explanation posted by …"), newest last. */
  activity: Array<{ what: string; by: AlertCardAnalyst; at: string; state: 'running' | 'done' | 'failed' }>;
}

const CLOSE_CHOICES = [
  { title: 'True positive', classification: 'truePositive' },
  { title: 'False positive', classification: 'falsePositive' },
  { title: 'Benign (expected activity)', classification: 'informationalExpectedActivity' },
] as const;

const AFFECTED_TYPES = new Set(['account', 'mailbox', 'host', 'azureResource', 'cloudApplication']);
const INDICATOR_TYPES = new Set([
  'ip',
  'url',
  'domain',
  'file',
  'process',
  'mailMessage',
  'registryKey',
  'registryValue',
]);
const MAX_INDICATORS = 8;
const MAX_AFFECTED_PER_TYPE = 5;

/**
 * The card posted to a channel for a new alert: what it is, where, how bad, which indicators, and
 * buttons to have the copilot explain, investigate or analyze it. Every value from the alert is
 * attacker-influenced and goes through `text()`.
 */
export function alertCard(alert: Alert, options: AlertCardOptions = {}): AdaptiveCard {
  const body: CardElement[] = [alertHeader(alert, 'Alert'), factSet(summaryFacts(alert), { spacing: 'medium' })];

  if (alert.description.trim() !== '') {
    body.push(
      optional(
        container([
          heading(label('Description')),
          ...collapsibleText(
            'description',
            text(alert.description, LIMITS.description),
            text(alert.description, LIMITS.preview),
          ),
        ]),
      ),
    );
  }

  const affected = affectedFacts(alert.entities);
  if (affected.length > 0) body.push(container([heading(label('Affected')), factSet(affected)]));

  const indicators = alert.entities.filter((entity) => INDICATOR_TYPES.has(entity.type)).slice(0, MAX_INDICATORS);
  if (indicators.length > 0) {
    body.push(
      optional(
        container([
          heading(label('Key indicators')),
          factSet(indicators.map((entity) => ({ title: entityLabel(entity.type), value: indicatorValue(entity) }))),
        ]),
      ),
    );
  }

  if (alert.techniques.length > 0) {
    const techniques = alert.techniques.map((id) => ({ id, name: options.techniqueName?.(id) }));
    body.push(optional(container([heading(label('MITRE ATT&CK')), ...techniqueLines(techniques)])));
  }

  if (options.feed !== undefined) {
    body.push(...feedSections(alert, options.feed));
    const card = adaptiveCard(body, feedActions(alert), { fullWidth: true });
    return fitCard(card, CARD_BUDGET_BYTES).card;
  }

  const card = adaptiveCard(body, alertActions(alert, options.buttons ?? ['explain']), { fullWidth: true });
  return fitCard(card, CARD_BUDGET_BYTES).card;
}

function summaryFacts(alert: Alert): Array<{ title: CardText; value: CardText }> {
  const facts = [
    { title: label('Product'), value: text(alert.productName, LIMITS.factValue) },
    { title: label('Status'), value: statusLabel(alert.status) },
    { title: label('Created'), value: cardTime(alert.createdAt) },
  ];
  if (alert.category !== undefined)
    facts.push({ title: label('Category'), value: text(alert.category, LIMITS.factValue) });
  if (alert.incidentId !== undefined)
    facts.push({ title: label('Incident'), value: text(alert.incidentId, LIMITS.factValue) });
  if (alert.assignedTo !== undefined) {
    facts.push({ title: label('Assigned to'), value: text(alert.assignedTo, LIMITS.factValue) });
  }
  facts.push({ title: label('Alert ID'), value: text(alert.id, LIMITS.factValue) });
  return facts;
}

/** Users, mailboxes, devices… grouped by type, a few of each, so a noisy alert cannot flood the card. */
function affectedFacts(entities: readonly Entity[]): Array<{ title: CardText; value: CardText }> {
  const byType = new Map<string, string[]>();
  for (const entity of entities) {
    if (!AFFECTED_TYPES.has(entity.type)) continue;
    const values = byType.get(entity.type) ?? [];
    if (!values.includes(entity.value)) values.push(entity.value);
    byType.set(entity.type, values);
  }
  return [...byType.entries()].map(([type, values]) => {
    const shown = values.slice(0, MAX_AFFECTED_PER_TYPE).map((value) => text(value, LIMITS.label));
    const more = values.length - shown.length;
    const list = joinText(shown, ', ');
    return { title: entityLabel(type), value: more > 0 ? joinText([list, label(`and ${more} more`)], ' ') : list };
  });
}

function indicatorValue(entity: Entity): CardText {
  const value = text(entity.value, LIMITS.factValue);
  const hash = entity.properties.sha256 ?? entity.properties.sha1 ?? entity.properties.md5;
  return hash === undefined ? value : joinText([value, text(`(${hash})`, LIMITS.label)], ' ');
}

function analystText(analyst: AlertCardAnalyst): CardText {
  const name = text(analyst.name || 'an analyst', LIMITS.label);
  return analyst.aadObjectId ? joinText([name, text(`(AAD ${analyst.aadObjectId})`, LIMITS.label)], ' ') : name;
}

const CLASSIFICATION_LABELS: Record<string, string> = Object.fromEntries(
  CLOSE_CHOICES.map((choice) => [choice.classification, choice.title]),
);

/** The triage facts (who acknowledged, owns or closed it), the work done from the card, and the triage buttons. */
function feedSections(alert: Alert, state: AlertCardFeedState): CardElement[] {
  const facts: Array<{ title: CardText; value: CardText }> = [];
  const by = (entry: { by: AlertCardAnalyst; at: string }) =>
    joinText([analystText(entry.by), cardTime(entry.at)], ' · ');
  if (state.acknowledged) facts.push({ title: label('Acknowledged by'), value: by(state.acknowledged) });
  if (state.assigned) facts.push({ title: label('Assigned to'), value: by(state.assigned) });
  if (state.closed) {
    const how = CLASSIFICATION_LABELS[state.closed.classification] ?? state.closed.classification;
    facts.push({ title: label('Closed'), value: joinText([label(how), by(state.closed)], ' · ') });
  }
  const sections: CardElement[] = [];
  if (facts.length > 0) sections.push(container([heading(label('Triage')), factSet(facts)]));
  for (const entry of state.activity.slice(-6)) {
    const verb =
      entry.state === 'running'
        ? 'requested by'
        : entry.state === 'done'
          ? 'posted in this thread · requested by'
          : 'failed · requested by';
    sections.push(
      subtleNote(joinText([label(`${entry.what} ${verb}`), analystText(entry.by), cardTime(entry.at)], ' ')),
    );
  }
  // Teams shows five card-level actions; the triage buttons and the portal link get their own row.
  const triage: CardAction[] = [];
  if (!state.closed) {
    const data = { alertId: alert.id, origin: 'feed' };
    if (!state.acknowledged) triage.push(executeAction('Acknowledge', VERBS.acknowledgeAlert, data));
    triage.push(executeAction('Assign to me', VERBS.assignAlertToMe, data));
    triage.push(
      showCardAction('Close as …', [
        actionSet(
          CLOSE_CHOICES.map((choice) =>
            executeAction(choice.title, VERBS.closeAlert, { ...data, classification: choice.classification }),
          ),
        ),
      ]),
    );
  }
  const portal = portalLink(alert.portalUrl);
  if (portal !== undefined) triage.push(openUrlAction('Open in portal', portal));
  if (triage.length > 0) sections.push(actionSet(triage, { spacing: 'medium' }));
  return sections;
}

/** Explain alert, Investigate, Analyze (ATT&CK), Hunt and Report, each marked as coming from the feed. */
function feedActions(alert: Alert): CardAction[] {
  const data = { alertId: alert.id, origin: 'feed' };
  const actions: CardAction[] = [
    executeAction('Explain alert', VERBS.explainAlert, data, 'positive'),
    executeAction('Investigate', VERBS.investigateAlert, data),
    executeAction('Analyze (ATT&CK)', VERBS.analyzeAlert, data),
    executeAction('Hunt', VERBS.huntAlert, data),
  ];
  // Reports are about incidents; an alert outside any incident has nothing to report on yet.
  if (alert.incidentId !== undefined) {
    actions.push(executeAction('Report', VERBS.reportIncident, { ...data, incidentId: alert.incidentId }));
  }
  return actions;
}

/** The confirmation a channel gets when it subscribes to (or leaves) the alert feed. */
export function feedSubscriptionCard(input: {
  subscribed: boolean;
  minimumSeverity?: string;
  sources?: readonly string[];
}): AdaptiveCard {
  if (!input.subscribed) {
    return adaptiveCard([
      heading(label('Alert feed stopped'), { spacing: 'none' }),
      textBlock(
        label('This channel no longer receives alert cards. Say "use this channel for alerts" to start again.'),
      ),
    ]);
  }
  const facts = [{ title: label('Severity'), value: label(`${input.minimumSeverity ?? 'medium'} and above`) }];
  if (input.sources && input.sources.length > 0) {
    facts.push({ title: label('Sources'), value: text(input.sources.join(', '), LIMITS.factValue) });
  }
  return adaptiveCard([
    heading(label('Alert feed on'), { spacing: 'none' }),
    textBlock(
      label(
        'New alerts will be posted here, each in its own thread, with buttons to explain, investigate, analyze, hunt, report and triage them.',
      ),
    ),
    factSet(facts),
    subtleNote(label('Change it with "send alerts here high and above"; stop with "stop alerts here".')),
  ]);
}
