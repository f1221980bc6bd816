import type { Alert, Incident, Severity } from '../sources/model';
import type { AdaptiveCard, CardElement } from './card-kit';
import {
  LIMITS,
  actionSet,
  adaptiveCard,
  cardTime,
  column,
  columnSet,
  container,
  executeAction,
  heading,
  joinText,
  label,
  severityStyle,
  subtleNote,
  text,
  textBlock,
} from './card-kit';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';
import { VERBS } from './verbs';

/** Rows a list card shows; the header says how many matched. */
export const LIST_ROWS = 10;

export interface ListFilter {
  /** "high and above", "last 24 hours": what the analyst asked for, in words. */
  description: string;
}

/**
 * "incidents" / "alerts high last 24h": the newest items from the configured source, one row each with the
 * severity colour, title (source text, sanitised), id, status and time, and the buttons that act on it.
 */
export function incidentListCard(input: { incidents: Incident[]; filter: ListFilter; source: string }): AdaptiveCard {
  const rows = input.incidents.slice(0, LIST_ROWS).map((incident, index) =>
    listRow({
      index,
      severity: incident.severity,
      title: incident.title,
      facts: [`Incident ${incident.id}`, incident.status, `${incident.alertIds.length} alert(s)`],
      time: incident.lastUpdatedAt ?? incident.createdAt,
      actions: [
        executeAction('Investigate', VERBS.runCommand, { command: `investigate incident ${incident.id}` }),
        executeAction('Report', VERBS.runCommand, { command: `report incident ${incident.id} for executives` }),
      ],
    }),
  );
  return listCard('Incidents', input.incidents.length, input.filter, input.source, rows);
}

export function alertListCard(input: { alerts: Alert[]; filter: ListFilter; source: string }): AdaptiveCard {
  const rows = input.alerts.slice(0, LIST_ROWS).map((alert, index) =>
    listRow({
      index,
      severity: alert.severity,
      title: alert.title,
      facts: [alert.productName, alert.status, ...(alert.incidentId ? [`incident ${alert.incidentId}`] : [])],
      time: alert.lastUpdatedAt ?? alert.createdAt,
      actions: [
        executeAction('Explain', VERBS.explainAlert, { alertId: alert.id }),
        executeAction('Analyze', VERBS.runCommand, { command: `analyze alert ${alert.id}` }),
      ],
    }),
  );
  return listCard('Alerts', input.alerts.length, input.filter, input.source, rows);
}

function listCard(noun: string, count: number, filter: ListFilter, source: string, rows: CardElement[]): AdaptiveCard {
  const shown = count > LIST_ROWS ? ` (the newest ${LIST_ROWS} shown)` : '';
  const body: CardElement[] = [
    heading(label(`${noun} · ${filter.description}`), { size: 'medium', spacing: 'none' }),
    textBlock(label(count === 0 ? `No ${noun.toLowerCase()} match.` : `${count} found${shown}.`), {
      spacing: 'small',
      isSubtle: true,
    }),
    ...rows,
    subtleNote(joinText([label('Source:'), text(source, LIMITS.label)], ' '), { separator: true, spacing: 'medium' }),
  ];
  return fitCard(adaptiveCard(body, [], { fullWidth: true }), CARD_BUDGET_BYTES).card;
}

function listRow(row: {
  index: number;
  severity: Severity;
  title: string;
  facts: string[];
  time: string;
  actions: ReturnType<typeof executeAction>[];
}): CardElement {
  const style = severityStyle(row.severity);
  return container(
    [
      columnSet([
        column([textBlock(label(style.label), { color: style.color, weight: 'bolder', size: 'small' })], 'auto'),
        column([
          textBlock(text(row.title, LIMITS.title), { weight: 'bolder', size: 'small' }),
          textBlock(joinText([...row.facts.map((fact) => text(fact, LIMITS.label)), cardTime(row.time)], ' · '), {
            isSubtle: true,
            size: 'small',
            spacing: 'none',
          }),
        ]),
      ]),
      actionSet(row.actions, { spacing: 'small' }),
    ],
    { separator: row.index > 0, spacing: 'small' },
  );
}
