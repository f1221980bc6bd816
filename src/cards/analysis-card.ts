import type { AlertAnalysis } from '../copilot/analyze-alert/schema';
import type { CapabilityResult } from '../copilot/result';
import type { Alert } from '../sources/model';
import type { AdaptiveCard, CardAction, CardElement, CardText, TextColor } from './card-kit';
import {
  LIMITS,
  actionSet,
  adaptiveCard,
  cardTime,
  collapsibleText,
  column,
  columnSet,
  container,
  executeAction,
  heading,
  joinText,
  label,
  optional,
  severityStyle,
  subtleNote,
  text,
  textBlock,
  toggleVisibilityAction,
} from './card-kit';
import { alertHeader, entityLabel } from './alert-parts';
import { engineLine } from './alert-explanation-card';
import { attackTechniqueUrl, canonicalTechniqueId, markdownLink, portalLink } from './links';
import { openUrlAction } from './card-kit';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';
import { VERBS } from './verbs';

const VERDICT_COLORS: Record<string, TextColor> = {
  malicious: 'attention',
  suspicious: 'warning',
  unknown: 'default',
  benign: 'good',
};

const LIKELIHOOD_COLORS: Record<string, TextColor> = { low: 'attention', medium: 'warning', high: 'good' };

const SOURCE_LABELS: Record<string, string> = {
  source: 'attached by the product',
  alertText: 'alert text',
  commandLine: 'command line',
  entity: 'evidence type',
  model: 'model-proposed, not shown by the alert facts',
};

export interface CapabilityCardOptions {
  /** The security data source consulted, for the footer ("demo"). */
  dataSourceName?: string;
}

/**
 * The "analyze alert" answer for an analyst: assessed severity against the vendor's, false-positive
 * likelihood, kill-chain stage, ATT&CK techniques with the evidence behind each, a verdict per entity,
 * related alerts (each with an Analyze button), next steps and what could not be looked up. Every value
 * from the alert or the LLM goes through `text()`; only attack.mitre.org and portal links are clickable.
 */
export function alertAnalysisCard(
  result: CapabilityResult<AlertAnalysis>,
  alert: Alert,
  options: CapabilityCardOptions = {},
): AdaptiveCard {
  const analysis = result.result;
  const body: CardElement[] = [
    alertHeader(alert, 'Alert analysis'),
    container([
      heading(label('Assessment')),
      ...collapsibleText('summary', text(analysis.summary, LIMITS.section), text(analysis.summary, LIMITS.preview)),
    ]),
    assessmentRow(analysis),
    reasonsSection('severity-reasons', 'Why this severity', analysis.severity.reasons),
    reasonsSection('fp-reasons', 'False-positive likelihood', analysis.falsePositive.reasons),
  ];
  if (analysis.techniques.length > 0) body.push(techniquesSection(analysis));
  if (analysis.entities.length > 0) body.push(entitiesSection(analysis));
  body.push(nextStepsSection(analysis));
  if (analysis.relatedAlerts.length > 0) body.push(optional(relatedSection(analysis)));
  const problems = notesContainer(result.notes, analysis.gaps);
  if (problems !== undefined) body.push(problems);
  body.push(footer(result, options, analysis.sources));

  const actions: CardAction[] = [
    executeAction('Remediate', VERBS.remediateAlert, { alertId: alert.id }, 'positive'),
    executeAction('Explain alert', VERBS.explainAlert, { alertId: alert.id }),
  ];
  const portal = portalLink(alert.portalUrl);
  if (portal !== undefined) actions.push(openUrlAction('Open in portal', portal));
  return fitCard(adaptiveCard(body, actions, { fullWidth: true }), CARD_BUDGET_BYTES).card;
}

function assessmentRow(analysis: AlertAnalysis): CardElement {
  const assessed = severityStyle(analysis.severity.assessed);
  const vendor = severityStyle(analysis.severity.vendor);
  const changed = analysis.severity.assessed !== analysis.severity.vendor;
  const cell = (title: string, value: CardText, color: TextColor, note?: CardText) =>
    column(
      [
        textBlock(label(title), { size: 'small', isSubtle: true }),
        textBlock(value, { weight: 'bolder', color, spacing: 'none' }),
        ...(note === undefined ? [] : [textBlock(note, { size: 'small', isSubtle: true, spacing: 'none' })]),
      ],
      'stretch',
    );
  return columnSet(
    [
      cell(
        'Assessed severity',
        label(assessed.label),
        assessed.color,
        label(changed ? `vendor said ${vendor.label}` : 'same as the vendor'),
      ),
      cell(
        'False positive',
        label(capitalize(analysis.falsePositive.likelihood)),
        LIKELIHOOD_COLORS[analysis.falsePositive.likelihood] ?? 'default',
      ),
      cell('Kill-chain stage', text(analysis.killChain.stage, LIMITS.label), 'default'),
    ],
    { spacing: 'medium' },
  );
}

/** A short list shown in full when it is short, else its first two lines and the rest behind a toggle. */
export function reasonsSection(idPrefix: string, title: string, reasons: readonly string[]): CardElement {
  const lines = reasons.map((reason, index) =>
    textBlock(joinText([label('•'), text(reason, LIMITS.listItem)], ' '), { spacing: index === 0 ? 'small' : 'none' }),
  );
  if (lines.length <= 3) return container([heading(label(title), { size: 'default' }), ...lines]);
  const moreId = `${idPrefix}-more`;
  return container([
    heading(label(title), { size: 'default' }),
    ...lines.slice(0, 2),
    container(lines.slice(2), { id: moreId, isVisible: false, spacing: 'none' }),
    actionSet([toggleVisibilityAction(`Show ${lines.length - 2} more / less`, [moreId])], { spacing: 'none' }),
  ]);
}

function techniquesSection(analysis: AlertAnalysis): CardElement {
  const items: CardElement[] = [heading(label('MITRE ATT&CK'))];
  if (analysis.killChain.description.trim() !== '')
    items.push(subtleNote(text(analysis.killChain.description, LIMITS.listItem), { spacing: 'small' }));
  analysis.techniques.forEach((technique, index) => {
    const id = canonicalTechniqueId(technique.id);
    const url = id === undefined ? undefined : attackTechniqueUrl(id);
    const title = `${id ?? technique.id} ${technique.name}`.trim();
    const link = url === undefined ? text(title, LIMITS.title) : markdownLink(title, url);
    const tactics = technique.tactics.length > 0 ? text(technique.tactics.join(', '), LIMITS.label) : label('');
    items.push(
      textBlock(tactics.trim() === '' ? link : joinText([link, tactics], ' — '), {
        spacing: index === 0 ? 'small' : 'default',
      }),
    );
    const sources = technique.sources.map((source) => SOURCE_LABELS[source] ?? source).join(', ');
    const evidence = technique.evidence.slice(0, 3).map((line) => text(line, LIMITS.listItem));
    items.push(
      subtleNote(joinText([label(`Evidence (${sources}):`), ...evidence], ' '), {
        spacing: 'none',
        color: technique.sources.includes('model') ? 'warning' : undefined,
      }),
    );
  });
  return optional(container(items));
}

function entitiesSection(analysis: AlertAnalysis): CardElement {
  const rows: CardElement[] = analysis.entities.map((entity, index) =>
    container(
      [
        columnSet(
          [
            column(
              [
                textBlock(label(capitalize(entity.verdict)), {
                  weight: 'bolder',
                  color: VERDICT_COLORS[entity.verdict] ?? 'default',
                  size: 'small',
                }),
              ],
              'auto',
            ),
            column(
              [
                textBlock(joinText([entityLabel(entity.type), text(entity.value, LIMITS.factValue)], ': '), {
                  size: 'small',
                  weight: 'bolder',
                }),
                textBlock(
                  joinText([text(entity.role, LIMITS.label), text(entity.reasons.join(' '), LIMITS.listItem)], ' — '),
                  { size: 'small', isSubtle: true, spacing: 'none' },
                ),
              ],
              'stretch',
            ),
          ],
          { spacing: 'none' },
        ),
      ],
      { spacing: index === 0 ? 'small' : 'small' },
    ),
  );
  if (rows.length <= 4) return optional(container([heading(label('Entities')), ...rows]));
  return optional(
    container([
      heading(label('Entities')),
      ...rows.slice(0, 4),
      container(rows.slice(4), { id: 'entities-more', isVisible: false, spacing: 'none' }),
      actionSet([toggleVisibilityAction(`Show ${rows.length - 4} more / less`, ['entities-more'])], {
        spacing: 'none',
      }),
    ]),
  );
}

function nextStepsSection(analysis: AlertAnalysis): CardElement {
  const steps = analysis.nextSteps.map((step, index) =>
    textBlock(
      joinText(
        [
          label(`${index + 1}.`),
          text(step.action, LIMITS.listItem),
          joinText([
            label('('),
            entityLabel(step.target.type),
            label(': '),
            text(step.target.value, LIMITS.label),
            label(')'),
          ]),
        ],
        ' ',
      ),
      { spacing: index === 0 ? 'small' : 'none' },
    ),
  );
  return container([heading(label('Next steps')), ...steps]);
}

function relatedSection(analysis: AlertAnalysis): CardElement {
  const items: CardElement[] = [heading(label(`Related alerts (${analysis.relatedAlerts.length})`))];
  analysis.relatedAlerts.slice(0, 6).forEach((related) => {
    const style = severityStyle(related.severity);
    const shared =
      related.sharedEntities.length > 0
        ? joinText([label('shares'), text(related.sharedEntities.slice(0, 3).join(', '), LIMITS.factValue)], ' ')
        : label('same incident');
    items.push(
      columnSet(
        [
          column([textBlock(label(style.label), { color: style.color, weight: 'bolder', size: 'small' })], 'auto'),
          column(
            [
              textBlock(joinText([text(related.id, LIMITS.label), text(related.title, LIMITS.title)], ' · '), {
                size: 'small',
              }),
              textBlock(shared, { size: 'small', isSubtle: true, spacing: 'none' }),
            ],
            'stretch',
          ),
          column(
            [actionSet([executeAction('Analyze', VERBS.analyzeAlert, { alertId: related.id })], { spacing: 'none' })],
            'auto',
          ),
        ],
        { spacing: 'small' },
      ),
    );
  });
  return container(items);
}

/** Notes (fallbacks, removed model output) and gaps (look-ups that failed), in one warning container. */
export function notesContainer(notes: readonly string[], gaps: readonly string[]): CardElement | undefined {
  const lines = [
    ...notes.map((note) => text(note, LIMITS.note)),
    ...gaps.slice(0, 6).map((gap) => joinText([label('Not looked up:'), text(gap, LIMITS.note)], ' ')),
  ];
  if (lines.length === 0) return undefined;
  return container(
    lines.map((line, index) => textBlock(line, { size: 'small', spacing: index === 0 ? 'none' : 'small' })),
    { style: 'warning', spacing: 'medium' },
  );
}

/** Which engine answered, from which data, when. `sources` are the gatherer's own words when it has them. */
export function footer(
  result: CapabilityResult<unknown>,
  options: CapabilityCardOptions,
  sources?: readonly string[],
): CardElement {
  const consulted =
    sources !== undefined && sources.length > 0
      ? joinText([label('Sources:'), text(sources.join('; '), LIMITS.listItem)], ' ')
      : options.dataSourceName === undefined
        ? label('Sources: the alert, MITRE ATT&CK')
        : joinText(
            [label('Sources:'), text(options.dataSourceName, LIMITS.label), label('data source, MITRE ATT&CK')],
            ' ',
          );
  const parts = [engineLine(result.engine), consulted, cardTime(result.generatedAt)];
  return subtleNote(joinText(parts, ' · '), { separator: true, spacing: 'medium' });
}

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
