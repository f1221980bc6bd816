import type { AnalyzedIndicator, IntelAction, IntelHunt, ThreatIntelAnalysis } from '../copilot/intel/schema';
import { isNonPublic } from '../copilot/intel/indicators';
import type { CapabilityResult } from '../copilot/result';
import { defangIoc } from '../intel/iocs/plain';
import { indicatorTypeLabel } from '../intel/enrichment/indicator';
import type { AdaptiveCard, CardAction, CardElement, CardText, ContainerStyle, TextColor } from './card-kit';
import {
  LIMITS,
  actionSet,
  adaptiveCard,
  bold,
  cardTime,
  collapsibleText,
  column,
  columnSet,
  container,
  executeAction,
  factSet,
  heading,
  joinText,
  label,
  optional,
  subtleNote,
  text,
  textBlock,
  toggleVisibilityAction,
} from './card-kit';
import { techniqueLines } from './alert-parts';
import { engineLine } from './alert-explanation-card';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';
import { VERBS } from './verbs';

type Verdict = AnalyzedIndicator['verdict'];

const VERDICT_STYLES: Readonly<Record<Verdict, { container: ContainerStyle; color: TextColor; word: string }>> = {
  malicious: { container: 'attention', color: 'attention', word: 'Malicious' },
  suspicious: { container: 'warning', color: 'warning', word: 'Suspicious' },
  harmless: { container: 'good', color: 'good', word: 'Harmless' },
  unknown: { container: 'default', color: 'default', word: 'Unknown' },
};

const ACTION_STYLES: Readonly<Record<IntelAction['action'], { color: TextColor; word: string }>> = {
  block: { color: 'attention', word: 'Block' },
  watch: { color: 'warning', word: 'Watch' },
  ignore: { color: 'good', word: 'Ignore' },
};

const CLASSIFICATION_LABELS: Readonly<Record<AnalyzedIndicator['classification'], string>> = {
  public: 'public',
  private: 'private',
  loopback: 'loopback',
  linkLocal: 'link-local',
  cgnat: 'carrier-grade NAT',
  documentation: 'documentation',
  multicast: 'multicast',
  reserved: 'reserved',
  unspecified: 'unspecified',
  reservedName: 'internal/documentation name',
  knownBenign: 'well-known service',
  file: 'file',
};

/** Indicators shown with every provider's word; the rest get one line each so fifty still fit. */
const DETAILED_INDICATORS = 8;
const HUNT_BUTTONS = 5;

/** Every indicator the bot shows is defanged, in text and in button data alike. */
function defanged(indicator: { type: AnalyzedIndicator['type']; value: string }): string {
  return defangIoc(indicator.type, indicator.value);
}

/**
 * The threat-intel analysis: the overall verdict and confidence in a coloured band, the assessment, a
 * block/watch/ignore recommendation per indicator, each indicator with its classification and every
 * provider's verdict (details behind a toggle), ATT&CK techniques, ATT&CK groups and software the input
 * names, hunting suggestions with buttons that chain into the hunting capability, and a footer with the
 * engine and the providers. Indicators are defanged everywhere; the only links are the attack.mitre.org
 * technique links the card builds itself (provider pages are not on the allow-list, so they stay text).
 */
export function intelCard(result: CapabilityResult<ThreatIntelAnalysis>): AdaptiveCard {
  const analysis = result.result;
  const body: CardElement[] = [header(analysis), assessmentSection(analysis)];
  if (analysis.actions.length > 0) body.push(actionsSection(analysis.actions));

  // Most severe first; internal and documentation values, which cannot be an attacker's, last.
  const sorted = [...analysis.indicators].sort(
    (left, right) =>
      verdictRank(right.verdict) - verdictRank(left.verdict) ||
      Number(isNonPublic(left.classification)) - Number(isNonPublic(right.classification)),
  );
  const huntable = new Set(
    analysis.hunts
      .filter((hunt) => hunt.kind === 'indicator')
      .slice(0, HUNT_BUTTONS)
      .map((hunt) => hunt.indicator?.value),
  );
  sorted.slice(0, DETAILED_INDICATORS).forEach((indicator, index) => {
    const section = indicatorSection(indicator, index, huntable.has(indicator.value));
    body.push(index === 0 ? section : optional(section));
  });
  const rest = sorted.slice(DETAILED_INDICATORS);
  if (rest.length > 0) {
    body.push(
      optional(
        container([heading(label(`${rest.length} more indicators`)), ...rest.map(compactLine)], { separator: true }),
      ),
    );
  }
  if (analysis.omittedIndicators > 0) {
    body.push(
      subtleNote(label(`${analysis.omittedIndicators} more indicators were not looked up (limit per analysis).`)),
    );
  }

  if (analysis.techniques.length > 0) {
    body.push(
      optional(
        container([heading(label('MITRE ATT&CK techniques')), ...techniqueLines(analysis.techniques)], {
          separator: true,
        }),
      ),
    );
  }
  if (analysis.associations.length > 0) body.push(optional(associationSection(analysis)));
  const templateHunts = analysis.hunts.filter((hunt) => hunt.kind === 'template');
  if (analysis.hunts.length > 0) body.push(optional(huntSection(analysis.hunts)));
  if (analysis.otherObservables.length > 0) {
    body.push(
      optional(
        subtleNote(
          joinText(
            [
              label('Also in the text (not looked up):'),
              text(analysis.otherObservables.map((item) => item.value).join(', '), LIMITS.listItem),
            ],
            ' ',
          ),
        ),
      ),
    );
  }
  for (const note of result.notes) body.push(subtleNote(text(note, LIMITS.note)));
  body.push(footer(result));

  const actions: CardAction[] = templateHunts
    .slice(0, 2)
    .map((hunt) =>
      executeAction(`Hunt: ${shorten(hunt.title, 40)}`, VERBS.huntThreat, { threat: hunt.request.slice(0, 300) }),
    );
  return fitCard(adaptiveCard(body, actions, { fullWidth: true }), CARD_BUDGET_BYTES).card;
}

function verdictRank(verdict: Verdict): number {
  return ['unknown', 'harmless', 'suspicious', 'malicious'].indexOf(verdict);
}

function shorten(value: string, maximum: number): string {
  return value.length <= maximum ? value : `${value.slice(0, maximum - 1)}…`;
}

function header(analysis: ThreatIntelAnalysis): CardElement {
  const style = VERDICT_STYLES[analysis.assessment.overallVerdict];
  const counts = (['malicious', 'suspicious', 'harmless', 'unknown'] as const)
    .map((verdict) => ({
      verdict,
      count: analysis.indicators.filter((indicator) => indicator.verdict === verdict).length,
    }))
    .filter(({ count }) => count > 0)
    .map(({ verdict, count }) => `${count} ${verdict}`);
  const total = analysis.indicators.length === 1 ? '1 indicator' : `${analysis.indicators.length} indicators`;
  return container(
    [
      textBlock(
        joinText([label('Threat intel analysis'), label(`${analysis.assessment.confidence} confidence`)], ' · '),
        { size: 'small', weight: 'bolder', color: style.color, spacing: 'none' },
      ),
      heading(label(counts.length === 0 ? total : `${total}: ${counts.join(', ')}`), {
        size: 'medium',
        spacing: 'small',
      }),
    ],
    { style: style.container, bleed: true },
  );
}

function assessmentSection(analysis: ThreatIntelAnalysis): CardElement {
  const { summary, rationale, confidence } = analysis.assessment;
  return container([
    heading(label('Assessment')),
    ...collapsibleText('intel-summary', text(summary, LIMITS.section), text(summary, LIMITS.preview)),
    textBlock(joinText([bold(label(`Confidence ${confidence}:`)), text(rationale, LIMITS.note)], ' '), {
      size: 'small',
      spacing: 'small',
    }),
  ]);
}

function actionsSection(actions: readonly IntelAction[]): CardElement {
  const lines = actions
    .slice(0, 25)
    .map((action, index) =>
      columnSet(
        [
          column(
            [textBlock(bold(label(ACTION_STYLES[action.action].word)), { color: ACTION_STYLES[action.action].color })],
            'auto',
          ),
          column([
            textBlock(
              joinText(
                [
                  bold(text(defanged({ type: action.type, value: action.indicator }), LIMITS.title)),
                  text(action.reason, LIMITS.listItem),
                ],
                ' — ',
              ),
            ),
          ]),
        ],
        { spacing: index === 0 ? 'small' : 'none' },
      ),
    );
  return container([heading(label('Recommended actions')), ...lines], { separator: true });
}

function indicatorSection(indicator: AnalyzedIndicator, index: number, huntable: boolean): CardElement {
  const style = VERDICT_STYLES[indicator.verdict];
  const detailsId = `intel-indicator-${index}-details`;
  const title = joinText(
    [bold(label(style.word)), bold(text(defanged(indicator), LIMITS.title)), label(indicatorTypeLabel(indicator.type))],
    ' · ',
  );
  const details: CardElement[] = [];
  const facts: Array<{ title: CardText; value: CardText }> = [
    {
      title: label('Classification'),
      value: text(
        `${CLASSIFICATION_LABELS[indicator.classification]} — ${indicator.classificationNote}`,
        LIMITS.factValue,
      ),
    },
  ];
  for (const provider of indicator.providers) {
    const score = provider.score === undefined ? '' : ` (${provider.score})`;
    facts.push({
      title: text(provider.provider, LIMITS.label),
      value: text(`${VERDICT_STYLES[provider.verdict].word}${score}: ${provider.detail}`, LIMITS.factValue),
    });
  }
  for (const failure of indicator.failures) {
    facts.push({
      title: text(failure.provider, LIMITS.label),
      value: text(`lookup failed (${failure.kind}): ${failure.message}`, LIMITS.factValue),
    });
  }
  if (indicator.notLookedUp !== undefined && indicator.notLookedUp !== indicator.verdictSummary)
    facts.push({ title: label('Lookup'), value: text(indicator.notLookedUp, LIMITS.factValue) });
  const associated = [...indicator.malwareFamilies, ...indicator.groups];
  if (associated.length > 0)
    facts.push({ title: label('Provider-reported'), value: text(associated.join(', '), LIMITS.factValue) });
  if (indicator.tags.length > 0)
    facts.push({ title: label('Tags'), value: text(indicator.tags.join(', '), LIMITS.factValue) });
  const checked = indicator.providers.map((provider) => provider.checkedAt).sort();
  if (checked.length > 0) facts.push({ title: label('Checked'), value: cardTime(checked[checked.length - 1]) });
  details.push(factSet(facts, { spacing: 'small' }));

  const buttons: CardAction[] = [toggleVisibilityAction('Details', [detailsId])];
  if (huntable) {
    buttons.push(
      executeAction('Hunt for this', VERBS.huntIndicator, {
        indicatorType: indicator.type,
        indicator: defanged(indicator),
      }),
    );
  }
  return container(
    [
      textBlock(title, { color: style.color, spacing: 'none' }),
      textBlock(text(indicator.verdictSummary, LIMITS.listItem), { size: 'small', isSubtle: true, spacing: 'none' }),
      container(details, { id: detailsId, isVisible: false, spacing: 'small' }),
      actionSet(buttons, { spacing: 'small' }),
    ],
    { separator: index === 0, spacing: 'medium' },
  );
}

function compactLine(indicator: AnalyzedIndicator): CardElement {
  const style = VERDICT_STYLES[indicator.verdict];
  return textBlock(
    joinText(
      [label(style.word), text(defanged(indicator), LIMITS.title), label(indicatorTypeLabel(indicator.type))],
      ' · ',
    ),
    { size: 'small', color: style.color, spacing: 'none' },
  );
}

function associationSection(analysis: ThreatIntelAnalysis): CardElement {
  const lines = analysis.associations.map((association, index) => {
    const kind = association.kind === 'group' ? 'threat group' : (association.softwareType ?? 'software');
    const aliases = association.aliases.length > 0 ? ` (also ${association.aliases.slice(0, 3).join(', ')})` : '';
    return textBlock(
      joinText(
        [
          bold(text(`${association.id} ${association.name}`, LIMITS.title)),
          text(`${kind}${aliases} — ${association.evidence}`, LIMITS.listItem),
        ],
        ' · ',
      ),
      { spacing: index === 0 ? 'small' : 'none' },
    );
  });
  return container(
    [
      heading(label('Known to MITRE ATT&CK')),
      ...lines,
      subtleNote(label('Only names ATT&CK knows are shown; nothing is inferred.')),
    ],
    { separator: true },
  );
}

function huntSection(hunts: readonly IntelHunt[]): CardElement {
  const lines = hunts.map((hunt, index) =>
    textBlock(joinText([label('•'), text(hunt.suggestion, LIMITS.listItem)], ' '), {
      spacing: index === 0 ? 'small' : 'none',
    }),
  );
  return container([heading(label('Hunting')), ...lines], { separator: true });
}

function footer(result: CapabilityResult<ThreatIntelAnalysis>): CardElement {
  const providers = result.result.providers;
  const sources =
    providers.length === 0
      ? label('No threat-intelligence provider configured')
      : joinText([label('Sources:'), text(providers.join(', '), LIMITS.label)], ' ');
  return subtleNote(joinText([engineLine(result.engine), sources, cardTime(result.generatedAt)], ' · '), {
    separator: true,
    spacing: 'medium',
  });
}
