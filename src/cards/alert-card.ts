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
  text,
} from './card-kit';
import { alertActions, alertHeader, entityLabel, statusLabel, techniqueLines } from './alert-parts';
import type { AlertButton } from './alert-parts';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';

export interface AlertCardOptions {
  /** Resolves a technique ID to its ATT&CK name (from src/intel/attack), so the card can show names. */
  techniqueName?: (id: string) => string | undefined;
  /** The buttons to offer; only capabilities the bot routes. Default: Explain alert. */
  buttons?: ReadonlyArray<AlertButton>;
}

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
