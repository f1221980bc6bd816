import type { Alert, AlertStatus } from '../sources/model';
import type { CardAction, CardElement, CardText } from './card-kit';
import {
  LIMITS,
  container,
  executeAction,
  heading,
  joinText,
  label,
  openUrlAction,
  severityStyle,
  text,
  textBlock,
} from './card-kit';
import { attackTechniqueUrl, canonicalTechniqueId, markdownLink, portalLink } from './links';
import { VERBS } from './verbs';

/** Pieces shared by the alert card and the alert explanation card, so both look and act alike. */

const ENTITY_LABELS: Record<string, string> = {
  account: 'User',
  host: 'Device',
  ip: 'IP address',
  url: 'URL',
  domain: 'Domain',
  file: 'File',
  process: 'Process',
  mailbox: 'Mailbox',
  mailMessage: 'E-mail',
  registryKey: 'Registry key',
  registryValue: 'Registry value',
  cloudApplication: 'Cloud app',
  azureResource: 'Azure resource',
  other: 'Other',
};

const STATUS_LABELS: Record<AlertStatus, string> = {
  new: 'New',
  inProgress: 'In progress',
  resolved: 'Resolved',
  unknown: 'Unknown',
};

export function entityLabel(type: string): CardText {
  // Own properties only: a type named like an Object.prototype member ("constructor") is just text.
  return label(Object.hasOwn(ENTITY_LABELS, type) ? ENTITY_LABELS[type] : type);
}

export function statusLabel(status: AlertStatus): CardText {
  return label(Object.hasOwn(STATUS_LABELS, status) ? STATUS_LABELS[status] : status);
}

/** Severity-coloured band with the alert title; `kicker` says what the card is ("Alert", "Alert explained"). */
export function alertHeader(alert: Alert, kicker: string): CardElement {
  const style = severityStyle(alert.severity);
  const line = joinText([label(kicker), label(`${style.label} severity`), statusLabel(alert.status)], ' · ');
  return container(
    [
      textBlock(line, { size: 'small', weight: 'bolder', color: style.color, spacing: 'none' }),
      heading(text(alert.title || 'Untitled alert', LIMITS.title), { size: 'medium', spacing: 'small' }),
    ],
    { style: style.container, bleed: true },
  );
}

export interface TechniqueEntry {
  id: string;
  name?: string;
  tactics?: string[];
}

/**
 * One line per technique: `[T1059.001 Command and Scripting Interpreter: PowerShell](attack url)`
 * and its tactics. An ID that is not a valid technique ID is shown as text, never linked.
 */
export function techniqueLines(techniques: readonly TechniqueEntry[]): CardElement[] {
  return techniques.map((technique, index) => {
    const id = canonicalTechniqueId(technique.id);
    const url = id === undefined ? undefined : attackTechniqueUrl(id);
    const name = technique.name?.trim() ?? '';
    const title = name === '' ? (id ?? technique.id) : `${id ?? technique.id} ${name}`;
    const link = url === undefined ? text(title, LIMITS.title) : markdownLink(title, url);
    const tactics = (technique.tactics ?? []).filter((tactic) => tactic.trim() !== '');
    const line = tactics.length === 0 ? link : joinText([link, text(tactics.join(', '), LIMITS.label)], ' — ');
    return textBlock(line, { spacing: index === 0 ? 'default' : 'small' });
  });
}

/** The explain / investigate / analyze / hunt buttons a card offers, plus the portal link when it is safe. */
export type AlertButton = 'explain' | 'investigate' | 'analyze' | 'hunt';

export function alertActions(alert: Alert, buttons: ReadonlyArray<AlertButton>): CardAction[] {
  const data = { alertId: alert.id };
  const actions: CardAction[] = buttons.map((button) => {
    switch (button) {
      case 'explain':
        return executeAction('Explain alert', VERBS.explainAlert, data, 'positive');
      case 'investigate':
        return executeAction('Investigate', VERBS.investigateAlert, data);
      case 'analyze':
        return executeAction('Analyze', VERBS.analyzeAlert, data);
      case 'hunt':
        return executeAction('Hunt', VERBS.huntAlert, data);
    }
  });
  const portal = portalLink(alert.portalUrl);
  if (portal !== undefined) actions.push(openUrlAction('Open in portal', portal));
  return actions;
}
