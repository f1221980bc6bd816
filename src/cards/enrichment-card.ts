import { indicatorTypeLabel } from '../intel/enrichment/indicator';
import type {
  EnrichmentResult,
  IndicatorEnrichment,
  ProviderEvidence,
  ProviderFailure,
  Verdict,
} from '../intel/enrichment/types';
import { verdictRank, verdictWord } from '../intel/enrichment/verdict';
import type { AdaptiveCard, CardElement, CardText, ContainerStyle, TextColor } from './card-kit';
import {
  LIMITS,
  adaptiveCard,
  cardTime,
  column,
  columnSet,
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
import type { TechniqueEntry } from './alert-parts';
import { techniqueLines } from './alert-parts';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';

const VERDICT_STYLES: Readonly<Record<Verdict, { container: ContainerStyle; color: TextColor }>> = {
  malicious: { container: 'attention', color: 'attention' },
  suspicious: { container: 'warning', color: 'warning' },
  harmless: { container: 'good', color: 'good' },
  unknown: { container: 'default', color: 'default' },
};

/**
 * Indicators shown with every source and association; the rest (the least severe, after sorting) get one
 * line each, so a paste of fifty indicators still fits Teams' card size limit without losing any of them.
 */
const DETAILED_INDICATORS = 10;

export interface EnrichmentCardOptions {
  /** ATT&CK techniques the caller associates with these indicators, rendered with attack.mitre.org links. */
  techniques?: readonly TechniqueEntry[];
}

/**
 * Threat-intelligence enrichment for a set of indicators: each one defanged with its type, combined verdict
 * (coloured), what every source said and the malware families, groups and tags they associate with it;
 * optional ATT&CK techniques; a footer naming the sources asked and the lookups that failed. Provider text
 * (pulse names, tags, rule descriptions) is attacker-influenced and goes through `text()`. The providers'
 * own pages stay data: they are not on the safe-link allow-list, so the card never links to them.
 */
export function enrichmentCard(result: EnrichmentResult, options: EnrichmentCardOptions = {}): AdaptiveCard {
  const sorted = result.indicators
    .map((entry, index) => ({ entry, index }))
    .sort(
      (left, right) => verdictRank(right.entry.verdict) - verdictRank(left.entry.verdict) || left.index - right.index,
    )
    .map(({ entry }) => entry);

  const body: CardElement[] = [header(result.indicators)];
  sorted.slice(0, DETAILED_INDICATORS).forEach((entry, index) => {
    const section = indicatorSection(entry, index);
    // The most severe indicator must survive any shrinking; the size guard may drop the others from the end.
    body.push(index === 0 ? section : optional(section));
  });
  const rest = sorted.slice(DETAILED_INDICATORS);
  if (rest.length > 0) {
    body.push(
      optional(
        container([heading(label(`${rest.length} more indicators`)), ...rest.map((entry) => compactLine(entry))], {
          separator: true,
        }),
      ),
    );
  }

  const techniques = options.techniques ?? [];
  if (techniques.length > 0) {
    body.push(
      optional(container([heading(label('MITRE ATT&CK')), ...techniqueLines(techniques)], { separator: true })),
    );
  }

  body.push(...footer(result));
  return fitCard(adaptiveCard(body, [], { fullWidth: true }), CARD_BUDGET_BYTES).card;
}

function header(indicators: readonly IndicatorEnrichment[]): CardElement {
  const worst = indicators.reduce<Verdict>(
    (current, entry) => (verdictRank(entry.verdict) > verdictRank(current) ? entry.verdict : current),
    'unknown',
  );
  const counts = (['malicious', 'suspicious', 'harmless', 'unknown'] as const)
    .map((verdict) => ({ verdict, count: indicators.filter((entry) => entry.verdict === verdict).length }))
    .filter(({ count }) => count > 0)
    .map(({ verdict, count }) => `${count} ${verdictWord(verdict).toLowerCase()}`);
  const total = indicators.length === 1 ? '1 indicator' : `${indicators.length} indicators`;
  const style = VERDICT_STYLES[worst];
  return container(
    [
      textBlock(label('Threat-intel enrichment'), {
        size: 'small',
        weight: 'bolder',
        color: style.color,
        spacing: 'none',
      }),
      heading(label(counts.length === 0 ? total : `${total}: ${counts.join(', ')}`), {
        size: 'medium',
        spacing: 'small',
      }),
    ],
    { style: style.container, bleed: true },
  );
}

function indicatorSection(entry: IndicatorEnrichment, index: number): CardElement {
  const style = VERDICT_STYLES[entry.verdict];
  const items: CardElement[] = [
    columnSet([
      column([textBlock(label(verdictWord(entry.verdict)), { weight: 'bolder', color: style.color })], 'auto'),
      column(
        [
          textBlock(text(entry.indicator.value, LIMITS.title), { weight: 'bolder' }),
          textBlock(label(indicatorTypeLabel(entry.indicator.type)), {
            size: 'small',
            isSubtle: true,
            spacing: 'none',
          }),
        ],
        'stretch',
      ),
    ]),
    textBlock(text(entry.summary, LIMITS.listItem), { size: 'small', spacing: 'small' }),
  ];
  const facts = [...entry.evidence.map(evidenceFact), ...entry.failures.map(failureFact)];
  if (facts.length > 0) items.push(factSet(facts, { spacing: 'small' }));
  const associations = associationLine(entry);
  if (associations !== undefined) items.push(textBlock(associations, { size: 'small', spacing: 'small' }));
  return container(items, { separator: true, spacing: index === 0 ? 'medium' : 'default' });
}

function evidenceFact(evidence: ProviderEvidence): { title: CardText; value: CardText } {
  const parts: CardText[] = [label(verdictWord(evidence.verdict))];
  if (evidence.score !== undefined) parts.push(text(evidence.score.label, LIMITS.label));
  parts.push(text(evidence.detail, LIMITS.factValue));
  if (evidence.cached) parts.push(label('(cached)'));
  return { title: label(evidence.provider), value: joinText(parts, ' · ') };
}

function failureFact(failure: ProviderFailure): { title: CardText; value: CardText } {
  return {
    title: label(failure.provider),
    value: joinText([label(`Lookup failed (${failure.kind})`), text(failure.message, LIMITS.factValue)], ' · '),
  };
}

function associationLine(entry: IndicatorEnrichment): CardText | undefined {
  const { malwareFamilies, groups, tags } = entry.associations;
  const parts: CardText[] = [];
  if (malwareFamilies.length > 0)
    parts.push(joinText([label('Malware:'), text(malwareFamilies.join(', '), LIMITS.factValue)], ' '));
  if (groups.length > 0) parts.push(joinText([label('Groups:'), text(groups.join(', '), LIMITS.factValue)], ' '));
  if (tags.length > 0) parts.push(joinText([label('Tags:'), text(tags.join(', '), LIMITS.factValue)], ' '));
  return parts.length === 0 ? undefined : joinText(parts, ' · ');
}

function compactLine(entry: IndicatorEnrichment): CardElement {
  const line = joinText(
    [
      label(verdictWord(entry.verdict)),
      text(entry.indicator.value, LIMITS.title),
      label(indicatorTypeLabel(entry.indicator.type)),
    ],
    ' · ',
  );
  return textBlock(line, { size: 'small', color: VERDICT_STYLES[entry.verdict].color, spacing: 'none' });
}

function footer(result: EnrichmentResult): CardElement[] {
  const sources =
    result.providers.length === 0
      ? label('No threat-intelligence provider configured')
      : joinText([label('Sources:'), label(result.providers.join(', '))], ' ');
  const lines: CardElement[] = [
    subtleNote(joinText([sources, cardTime(result.generatedAt)], ' · '), { separator: true, spacing: 'medium' }),
  ];
  const failures = failureCounts(result.indicators);
  if (failures.length > 0) {
    lines.push(
      subtleNote(joinText([label('Failed lookups:'), text(failures.join('; '), LIMITS.note)], ' '), {
        spacing: 'none',
      }),
    );
  }
  return lines;
}

/** "VirusTotal: 3 throttled, 1 timeout" per provider, in order of first failure. */
function failureCounts(indicators: readonly IndicatorEnrichment[]): string[] {
  const byProvider = new Map<string, Map<string, number>>();
  for (const failure of indicators.flatMap((entry) => entry.failures)) {
    const kinds = byProvider.get(failure.provider) ?? new Map<string, number>();
    kinds.set(failure.kind, (kinds.get(failure.kind) ?? 0) + 1);
    byProvider.set(failure.provider, kinds);
  }
  return [...byProvider].map(
    ([provider, kinds]) => `${provider}: ${[...kinds].map(([kind, count]) => `${count} ${kind}`).join(', ')}`,
  );
}
