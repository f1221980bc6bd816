import type { RankedItem, Triage } from '../copilot/triage/schema';
import type { CapabilityResult } from '../copilot/result';
import type { AdaptiveCard, CardElement } from './card-kit';
import {
  LIMITS,
  actionSet,
  adaptiveCard,
  container,
  executeAction,
  factSet,
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
import { footer, notesContainer, type CapabilityCardOptions } from './analysis-card';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';
import { VERBS } from './verbs';

const FACTOR_LABELS: Record<string, string> = {
  severity: 'Severity',
  userRisk: 'User risk',
  assetRisk: 'Device risk',
  attackStage: 'ATT&CK stage',
  correlation: 'Correlation',
  age: 'Age',
  status: 'Status',
};

/** Alert rows the size guard never drops. */
const alwaysShown = 5;

const STATUS_LABELS: Record<string, string> = { new: 'New', inProgress: 'In progress', active: 'Active' };

/**
 * The triage queue: the top open alerts by score, each with why it ranks there, its score broken down
 * by factor (behind a toggle) and Explain / Analyze / Remediate buttons; then the open incidents with a
 * Remediate button. Titles and reasons come from the data source (or the LLM) and go through `text()`.
 */
export function triageCard(result: CapabilityResult<Triage>, options: CapabilityCardOptions = {}): AdaptiveCard {
  const triage = result.result;
  const filter = triage.filter.minimumSeverity ? `, ${triage.filter.minimumSeverity} severity and above` : '';
  const body: CardElement[] = [
    container(
      [
        textBlock(label('Triage'), { size: 'small', weight: 'bolder', color: 'accent', spacing: 'none' }),
        heading(
          label(
            triage.alerts.length === 0
              ? 'Nothing open to triage'
              : `Top ${triage.alerts.length} of ${triage.considered.openAlerts} open alerts${filter}`,
          ),
          { size: 'medium', spacing: 'small' },
        ),
      ],
      { style: 'emphasis', bleed: true },
    ),
    textBlock(text(triage.rationale, LIMITS.section), { spacing: 'medium' }),
  ];
  // Rows past the first few may be dropped (from the bottom) by the size guard when a long queue does not fit.
  triage.alerts.forEach((item, index) => body.push(index < alwaysShown ? alertRow(item) : optional(alertRow(item))));
  if (triage.incidents.length > 0) {
    body.push(
      optional(
        container([
          heading(label(`Open incidents (${triage.considered.openIncidents})`)),
          ...triage.incidents.map((item) => incidentRow(item)),
        ]),
      ),
    );
  }
  body.push(
    subtleNote(
      text(
        'Score = severity (≤40) + user risk (≤20) + device risk (≤15) + ATT&CK stage (≤20, later stages higher) + correlated open alerts (≤12) + recent activity (≤8) + new (3).',
        LIMITS.note,
      ),
      { spacing: 'medium' },
    ),
  );
  const problems = notesContainer(result.notes, triage.gaps);
  if (problems !== undefined) body.push(problems);
  body.push(footer(result, options));
  return fitCard(adaptiveCard(body, [], { fullWidth: true }), CARD_BUDGET_BYTES).card;
}

/** Three lines, no columns: ten rows of columns would not fit Teams' card size. */
function headline(item: RankedItem): CardElement {
  const style = severityStyle(item.severity);
  const moved = item.rank !== item.scoreRank ? ` (score rank ${item.scoreRank})` : '';
  return container(
    [
      textBlock(joinText([label(`#${item.rank}`), text(item.title, LIMITS.title)], ' · '), {
        weight: 'bolder',
        spacing: 'none',
      }),
      textBlock(
        joinText(
          [
            label(`${item.score} pts${moved}`),
            label(style.label),
            text(item.id, LIMITS.label),
            label(STATUS_LABELS[item.status] ?? item.status),
            ...(item.kind === 'alert' && item.incidentId
              ? [joinText([label('incident'), text(item.incidentId, LIMITS.label)], ' ')]
              : []),
            ...(item.stage ? [text(item.stage, LIMITS.label)] : []),
          ],
          ' · ',
        ),
        { size: 'small', color: style.color, spacing: 'none' },
      ),
      textBlock(text(item.reason, LIMITS.listItem), { size: 'small', spacing: 'none' }),
    ],
    { spacing: 'none' },
  );
}

function scoreDetails(item: RankedItem, id: string): CardElement {
  return container(
    [
      factSet(
        item.factors.map((factor) => ({
          title: label(`${FACTOR_LABELS[factor.factor] ?? factor.factor} +${factor.points}`),
          value: text(factor.detail, LIMITS.factValue),
        })),
      ),
    ],
    { id, isVisible: false, spacing: 'small' },
  );
}

function alertRow(item: RankedItem): CardElement {
  const detailsId = `score-${item.kind}-${item.rank}`;
  return container(
    [
      headline(item),
      scoreDetails(item, detailsId),
      actionSet(
        [
          executeAction('Explain', VERBS.explainAlert, { alertId: item.id }),
          executeAction('Analyze', VERBS.analyzeAlert, { alertId: item.id }, 'positive'),
          executeAction('Remediate', VERBS.remediateAlert, { alertId: item.id }),
          toggleVisibilityAction('Score', [detailsId]),
        ],
        { spacing: 'small' },
      ),
    ],
    { separator: true, spacing: 'medium' },
  );
}

/** Incident rows are shorter than alert rows (no score breakdown): the card must hold ten alerts and them under 26 KB. */
function incidentRow(item: RankedItem): CardElement {
  return container(
    [
      headline(item),
      subtleNote(joinText([label('Open alerts:'), text(item.alertIds.join(', '), LIMITS.factValue)], ' '), {
        spacing: 'none',
      }),
      actionSet([executeAction('Remediate incident', VERBS.remediateIncident, { incidentId: item.id })], {
        spacing: 'small',
      }),
    ],
    { separator: true, spacing: 'medium' },
  );
}
