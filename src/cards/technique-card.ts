import { firstParagraph, plainAttackText } from '../intel/attack/attack-text';
import type { DataComponentInfo, TechniqueDetails, TechniqueInfo } from '../intel/attack/types';
import type { AdaptiveCard, CardAction, CardElement, CardText } from './card-kit';
import {
  LIMITS,
  actionSet,
  adaptiveCard,
  bold,
  collapsibleText,
  container,
  factSet,
  heading,
  joinText,
  label,
  openUrlAction,
  optional,
  subtleNote,
  text,
  textBlock,
  toggleVisibilityAction,
} from './card-kit';
import { attackTechniqueUrl, markdownLink } from './links';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';

export interface TechniqueCardInput {
  /** what the analyst asked about ("T1566.001", "kerberoasting"), echoed when it is not a known technique */
  query: string;
  /** the technique from the ATT&CK facts; undefined when the query matched none */
  technique: TechniqueInfo | undefined;
  /** its active sub-techniques (AttackKnowledge.subTechniques) */
  subTechniques?: ReadonlyArray<Pick<TechniqueInfo, 'id' | 'name'>>;
  /** from the full bundle (AttackKnowledge.details), when the operator configured one */
  details?: TechniqueDetails;
  /** a line of our own under the card, e.g. why the details are missing */
  note?: string;
  /** the ATT&CK release the facts come from, e.g. "18.1" */
  attackVersion?: string;
}

const MAX_SUBTECHNIQUES = 12;
const MAX_DATA_COMPONENTS = 8;
const MAX_LOG_SOURCES = 6;
const MAX_ANALYTICS = 9;
const MAX_MITIGATIONS = 12;
const ANALYTIC_TEXT = 450;
const MITIGATION_TEXT = 350;

/**
 * The answer to "what is T1566.001": the technique's ATT&CK facts, linked to its page on attack.mitre.org, and,
 * when the full bundle is configured, a short description with detection guidance and mitigations in sections the
 * reader opens. MITRE's prose is not attacker-controlled, but it still goes through text(): its Markdown links keep
 * only their text (the card links nowhere but to the technique pages it builds itself). An unknown ID or name gets
 * a card that says so; nothing is invented.
 */
export function techniqueCard(input: TechniqueCardInput): AdaptiveCard {
  const technique = input.technique;
  if (technique === undefined) return unknownTechniqueCard(input.query, input.attackVersion);
  const url = attackTechniqueUrl(technique.id);
  const body: CardElement[] = [header(technique), ...statusNotes(technique), factsSection(technique)];
  if (technique.parent !== undefined) body.push(parentLine(technique.parent));
  const subTechniques = input.subTechniques ?? [];
  if (subTechniques.length > 0) body.push(optional(subTechniqueSection(subTechniques)));
  const details = input.details?.id === technique.id ? input.details : undefined;
  if (details !== undefined && details.description.trim() !== '') body.push(descriptionSection(details.description));
  const components = dataComponentSection(technique.dataComponents, details);
  if (components !== undefined) body.push(optional(components));
  if (details !== undefined && details.detection.length > 0) body.push(optional(detectionSection(details)));
  if (details !== undefined && details.mitigations.length > 0) body.push(optional(mitigationSection(details)));
  if (input.note !== undefined && input.note.trim() !== '') body.push(subtleNote(text(input.note, LIMITS.note)));
  body.push(attribution(input.attackVersion));
  const actions: CardAction[] = url === undefined ? [] : [openUrlAction('Open in MITRE ATT&CK', url)];
  return fitCard(adaptiveCard(body, actions), CARD_BUDGET_BYTES).card;
}

function titleLink(id: string, name: string): CardText {
  const url = attackTechniqueUrl(id);
  return url === undefined ? text(`${id} ${name}`, LIMITS.title) : markdownLink(`${id} ${name}`, url);
}

function header(technique: TechniqueInfo): CardElement {
  const kind = technique.isSubtechnique ? 'MITRE ATT&CK sub-technique' : 'MITRE ATT&CK technique';
  return container(
    [
      textBlock(label(kind), { size: 'small', weight: 'bolder', color: 'accent', spacing: 'none' }),
      heading(titleLink(technique.id, technique.fullName), { size: 'medium', spacing: 'small' }),
    ],
    { style: 'accent', bleed: true },
  );
}

/** Revoked and deprecated techniques are shown, but the reader must not mistake them for current ones. */
function statusNotes(technique: TechniqueInfo): CardElement[] {
  const lines: CardText[] = [];
  if (technique.resolvedFrom !== undefined) {
    lines.push(
      joinText(
        [
          text(`${technique.resolvedFrom} was revoked by MITRE and replaced by`, LIMITS.note),
          bold(text(`${technique.id} ${technique.fullName}`, LIMITS.title)),
          label('— shown here.'),
        ],
        ' ',
      ),
    );
  }
  if (technique.revoked) {
    lines.push(text(`MITRE revoked ${technique.id} without naming a replacement; it is no longer part of ATT&CK.`));
  }
  if (technique.deprecated) {
    lines.push(text(`MITRE has deprecated ${technique.id}: it is no longer maintained and may be removed.`));
  }
  if (lines.length === 0) return [];
  return [
    container(
      lines.map((line, index) => textBlock(line, { spacing: index === 0 ? 'none' : 'small' })),
      { style: 'warning', spacing: 'medium' },
    ),
  ];
}

function factsSection(technique: TechniqueInfo): CardElement {
  const tactics = technique.tactics.map((tactic) => tactic.name).join(', ');
  const platforms = technique.platforms.join(', ');
  return factSet(
    [
      { title: label('Tactics'), value: text(tactics === '' ? 'none listed' : tactics, LIMITS.factValue) },
      { title: label('Platforms'), value: text(platforms === '' ? 'none listed' : platforms, LIMITS.factValue) },
    ],
    { spacing: 'medium' },
  );
}

function parentLine(parent: { id: string; name: string }): CardElement {
  return textBlock(joinText([label('Sub-technique of'), titleLink(parent.id, parent.name)], ' '), { spacing: 'small' });
}

function subTechniqueSection(subTechniques: ReadonlyArray<Pick<TechniqueInfo, 'id' | 'name'>>): CardElement {
  const shown = subTechniques.slice(0, MAX_SUBTECHNIQUES);
  const lines = shown.map((subTechnique, index) =>
    textBlock(joinText([label('•'), titleLink(subTechnique.id, subTechnique.name)], ' '), {
      spacing: index === 0 ? 'small' : 'none',
    }),
  );
  const hidden = subTechniques.length - shown.length;
  if (hidden > 0) lines.push(subtleNote(label(`and ${hidden} more on the ATT&CK page`), { spacing: 'none' }));
  return container([heading(label(`Sub-techniques (${subTechniques.length})`)), ...lines]);
}

function descriptionSection(description: string): CardElement {
  const plain = plainAttackText(description);
  return container([
    heading(label('Description')),
    ...collapsibleText(
      'technique-description',
      text(plain, LIMITS.section),
      text(firstParagraph(plain), LIMITS.preview),
    ),
  ]);
}

/**
 * Where to look: from the bundle, the log sources and channels this technique's analytics name (EventCode=4688);
 * otherwise the compact facts' data components with the log sources ATT&CK lists for each.
 */
function dataComponentSection(
  compact: readonly DataComponentInfo[],
  details: TechniqueDetails | undefined,
): CardElement | undefined {
  const fromDetails = details !== undefined && details.dataComponents.length > 0;
  const entries = fromDetails
    ? details.dataComponents.map((component) => ({
        id: component.id,
        name: component.name,
        sources: component.logSources.map((source) =>
          source.channel === undefined ? source.name : `${source.name} (${source.channel})`,
        ),
      }))
    : compact.map((component) => ({ id: component.id, name: component.name, sources: component.logSources }));
  if (entries.length === 0) return undefined;
  const shown = entries.slice(0, MAX_DATA_COMPONENTS);
  const lines = shown.map((entry, index) => {
    const sources = entry.sources.slice(0, MAX_LOG_SOURCES).join(', ');
    const more = entry.sources.length > MAX_LOG_SOURCES ? ` and ${entry.sources.length - MAX_LOG_SOURCES} more` : '';
    const name = bold(text(`${entry.name} (${entry.id})`, LIMITS.label));
    const line = sources === '' ? name : joinText([name, text(`${sources}${more}`, LIMITS.listItem)], ': ');
    return textBlock(line, { spacing: index === 0 ? 'small' : 'none' });
  });
  if (entries.length > shown.length) {
    lines.push(subtleNote(label(`and ${entries.length - shown.length} more`), { spacing: 'none' }));
  }
  return container([heading(label('Data components (log sources)')), ...lines]);
}

/** A titled section whose content stays hidden until the reader opens it, with the button kept beside it. */
function collapsedSection(id: string, title: string, items: CardElement[]): CardElement {
  return container([
    heading(label(title)),
    actionSet([toggleVisibilityAction('Show / hide', [id])], { spacing: 'small' }),
    container(items, { id, isVisible: false, spacing: 'small' }),
  ]);
}

function detectionSection(details: TechniqueDetails): CardElement {
  const items: CardElement[] = [];
  let analyticsShown = 0;
  for (const strategy of details.detection) {
    const title = strategy.id === undefined ? strategy.name : `${strategy.name} (${strategy.id})`;
    items.push(textBlock(bold(text(title, LIMITS.title)), { spacing: items.length === 0 ? 'none' : 'medium' }));
    if (strategy.description !== undefined && strategy.description.trim() !== '') {
      items.push(textBlock(text(plainAttackText(strategy.description), LIMITS.section), { spacing: 'small' }));
    }
    for (const analytic of strategy.analytics.slice(0, Math.max(0, MAX_ANALYTICS - analyticsShown))) {
      analyticsShown += 1;
      const platforms =
        analytic.platforms.length === 0 ? analytic.id : `${analytic.platforms.join(', ')} (${analytic.id})`;
      items.push(
        textBlock(
          joinText(
            [bold(text(platforms, LIMITS.label)), text(plainAttackText(analytic.description), ANALYTIC_TEXT)],
            ': ',
          ),
          {
            spacing: 'small',
          },
        ),
      );
      const sources = analytic.logSources.map((source) =>
        source.channel === undefined ? source.name : `${source.name} (${source.channel})`,
      );
      if (sources.length > 0) {
        items.push(
          subtleNote(text(`Log sources: ${[...new Set(sources)].join('; ')}`, LIMITS.listItem), { spacing: 'none' }),
        );
      }
    }
  }
  const analyticCount = details.detection.reduce((count, strategy) => count + strategy.analytics.length, 0);
  if (analyticCount > analyticsShown) {
    items.push(subtleNote(label(`and ${analyticCount - analyticsShown} more analytics on the ATT&CK page`)));
  }
  const count = analyticCount > 0 ? ` (${analyticCount} ${analyticCount === 1 ? 'analytic' : 'analytics'})` : '';
  return collapsedSection('technique-detection', `Detection guidance${count}`, items);
}

function mitigationSection(details: TechniqueDetails): CardElement {
  const shown = details.mitigations.slice(0, MAX_MITIGATIONS);
  const items: CardElement[] = shown.map((mitigation, index) =>
    textBlock(
      joinText(
        [
          bold(text(`${mitigation.id} ${mitigation.name}`, LIMITS.title)),
          text(plainAttackText(mitigation.description), MITIGATION_TEXT),
        ],
        ': ',
      ),
      { spacing: index === 0 ? 'none' : 'small' },
    ),
  );
  const hidden = details.mitigations.length - shown.length;
  if (hidden > 0) items.push(subtleNote(label(`and ${hidden} more on the ATT&CK page`)));
  return collapsedSection('technique-mitigations', `Mitigations (${details.mitigations.length})`, items);
}

/** MITRE's licence asks for its copyright with every reproduction of ATT&CK content. */
function attribution(attackVersion: string | undefined): CardElement {
  const release = attackVersion === undefined ? 'MITRE ATT&CK®' : `MITRE ATT&CK® v${attackVersion}`;
  return subtleNote(label(`${release} · © The MITRE Corporation`), { separator: true, spacing: 'medium' });
}

function unknownTechniqueCard(query: string, attackVersion: string | undefined): AdaptiveCard {
  const asked = query.trim();
  const release = attackVersion === undefined ? 'MITRE ATT&CK Enterprise' : `MITRE ATT&CK Enterprise v${attackVersion}`;
  const body: CardElement[] = [
    container(
      [
        textBlock(label('Not an ATT&CK technique I know'), { weight: 'bolder', color: 'warning', spacing: 'none' }),
        textBlock(
          asked === ''
            ? label('No technique ID or name was given.')
            : joinText([label('“'), text(asked, LIMITS.echo), label(`” is not a technique ID or name in ${release}.`)]),
          { spacing: 'small' },
        ),
      ],
      { style: 'warning' },
    ),
    textBlock(
      text(
        'Check the ID (techniques look like T1059 or T1059.001), or ask by name, e.g. “what is kerberoasting”.',
        LIMITS.note,
      ),
      { spacing: 'small' },
    ),
    attribution(attackVersion),
  ];
  return fitCard(adaptiveCard(body), CARD_BUDGET_BYTES).card;
}
