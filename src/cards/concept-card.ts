import type { ConceptAnswer, ConceptTactic, ConceptTechnique } from '../copilot/ask/schema';
import type { CapabilityResult } from '../copilot/result';
import type { AdaptiveCard, CardAction, CardElement, CardText } from './card-kit';
import {
  LIMITS,
  actionSet,
  adaptiveCard,
  bold,
  cardTime,
  collapsibleText,
  container,
  executeAction,
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
import { engineLine } from './alert-explanation-card';
import { attackTechniqueUrl, markdownLink } from './links';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';
import { VERBS } from './verbs';

const HUNT_BUTTONS = 3;

/**
 * The answer to a concept question: the answer, its key points each marked as from ATT&CK (with the
 * technique) or not, the techniques with tactics, platforms and data sources (description, detection and
 * mitigations behind toggles), ATT&CK groups or software, and — when ATT&CK has nothing — a plain "no
 * grounded source" band with the closest techniques. "Hunt for this" chains into the hunting capability.
 * The question and any model text go through text(); the only links are attack.mitre.org technique pages.
 */
export function conceptCard(result: CapabilityResult<ConceptAnswer>): AdaptiveCard {
  const answer = result.result;
  const body: CardElement[] = [header(answer)];
  if (!answer.grounded) body.push(ungroundedBand(answer, result.engine.kind === 'llm'));
  body.push(
    container([
      heading(label('Answer')),
      ...collapsibleText('concept-answer', text(answer.answer, LIMITS.section), text(answer.answer, LIMITS.preview)),
    ]),
  );
  if (answer.points.length > 0) body.push(optional(pointsSection(answer)));
  answer.techniques.forEach((technique, index) => {
    const section = techniqueSection(technique, index);
    body.push(index === 0 ? section : optional(section));
  });
  if (answer.actors.length > 0) body.push(optional(actorSection(answer)));
  for (const tactic of answer.tactics) body.push(tacticSection(tactic));
  if (answer.closestTechniques.length > 0) {
    body.push(
      container([
        heading(label('Closest ATT&CK techniques')),
        ...answer.closestTechniques.map((technique, index) =>
          textBlock(joinText([label('•'), techniqueTitle(technique.id, technique.name)], ' '), {
            spacing: index === 0 ? 'small' : 'none',
          }),
        ),
      ]),
    );
  }
  for (const note of result.notes) body.push(subtleNote(text(note, LIMITS.note)));
  body.push(
    subtleNote(
      joinText(
        [
          engineLine(result.engine),
          label(`MITRE ATT&CK® v${answer.attackVersion} · © The MITRE Corporation`),
          cardTime(result.generatedAt),
        ],
        ' · ',
      ),
      { separator: true, spacing: 'medium' },
    ),
  );

  const actions: CardAction[] = answer.techniques.slice(0, HUNT_BUTTONS).map((technique) =>
    executeAction(`Hunt: ${technique.id}`, VERBS.huntThreat, {
      threat: `${shortName(technique.name)} (${technique.id})`,
    }),
  );
  const firstUrl = answer.techniques[0] === undefined ? undefined : attackTechniqueUrl(answer.techniques[0].id);
  if (firstUrl !== undefined) actions.push(openUrlAction('Open in MITRE ATT&CK', firstUrl));
  return fitCard(adaptiveCard(body, actions), CARD_BUDGET_BYTES).card;
}

function shortName(name: string): string {
  const last = name.split(':').pop() ?? name;
  return last.trim().slice(0, 200);
}

function techniqueTitle(id: string, name: string): CardText {
  const url = attackTechniqueUrl(id);
  return url === undefined ? text(`${id} ${name}`, LIMITS.title) : markdownLink(`${id} ${name}`, url);
}

function header(answer: ConceptAnswer): CardElement {
  const kicker = {
    technique: 'Security concept · MITRE ATT&CK',
    comparison: 'Comparison · MITRE ATT&CK',
    actor: 'Threat actor or software · MITRE ATT&CK',
    tactic: 'Tactic · MITRE ATT&CK',
    concept: 'Security concept',
  }[answer.kind];
  return container(
    [
      textBlock(label(kicker), { size: 'small', weight: 'bolder', color: 'accent', spacing: 'none' }),
      heading(text(answer.question, LIMITS.headline), { size: 'medium', spacing: 'small' }),
    ],
    { style: answer.grounded ? 'accent' : 'default', bleed: true },
  );
}

function ungroundedBand(answer: ConceptAnswer, fromLlm: boolean): CardElement {
  const lines: CardElement[] = [
    textBlock(label('I have no grounded source for that'), { weight: 'bolder', color: 'warning', spacing: 'none' }),
    textBlock(
      text(
        fromLlm
          ? `MITRE ATT&CK has no technique, group or software for “${answer.subject}”. The answer below is the language model’s general knowledge: check it before relying on it.`
          : `MITRE ATT&CK has no technique, group or software for “${answer.subject}”, and without an LLM I answer only from ATT&CK.`,
        LIMITS.note,
      ),
      { spacing: 'small' },
    ),
  ];
  return container(lines, { style: 'warning' });
}

function pointsSection(answer: ConceptAnswer): CardElement {
  const lines = answer.points.map((point, index) => {
    const source =
      point.source === 'attack' ? label(`[ATT&CK ${point.techniqueIds.join(', ')}]`) : label('[not from ATT&CK]');
    return textBlock(joinText([label('•'), text(point.text, LIMITS.listItem), bold(source)], ' '), {
      spacing: index === 0 ? 'small' : 'none',
      color: point.source === 'attack' ? 'default' : 'warning',
    });
  });
  return container([heading(label('Key points')), ...lines], { separator: true });
}

function collapsed(id: string, title: string, items: CardElement[]): CardElement[] {
  return [
    actionSet([toggleVisibilityAction(title, [id])], { spacing: 'small' }),
    container(items, { id, isVisible: false, spacing: 'small' }),
  ];
}

function techniqueSection(technique: ConceptTechnique, index: number): CardElement {
  const items: CardElement[] = [
    textBlock(bold(techniqueTitle(technique.id, technique.name)), { spacing: 'none' }),
    factSet(
      [
        { title: label('Tactics'), value: text(technique.tactics.join(', ') || 'none listed', LIMITS.factValue) },
        { title: label('Platforms'), value: text(technique.platforms.join(', ') || 'none listed', LIMITS.factValue) },
        {
          title: label('Data sources'),
          value: text(technique.dataSources.join(', ') || 'none listed', LIMITS.factValue),
        },
      ],
      { spacing: 'small' },
    ),
  ];
  const prefix = `concept-technique-${index}`;
  if (technique.description !== undefined) {
    items.push(
      ...collapsed(`${prefix}-description`, 'Description', [textBlock(text(technique.description, LIMITS.section))]),
    );
  }
  if (technique.detection.length > 0) {
    items.push(
      ...collapsed(
        `${prefix}-detection`,
        'Detection guidance',
        technique.detection.map((line, lineIndex) =>
          textBlock(text(line, LIMITS.listItem), { spacing: lineIndex === 0 ? 'none' : 'small' }),
        ),
      ),
    );
  }
  if (technique.mitigations.length > 0) {
    items.push(
      ...collapsed(`${prefix}-mitigations`, `Mitigations (${technique.mitigations.length})`, [
        textBlock(
          text(
            technique.mitigations.map((mitigation) => `${mitigation.id} ${mitigation.name}`).join('\n'),
            LIMITS.section,
          ),
        ),
      ]),
    );
  }
  return container(items, { separator: true, spacing: 'medium' });
}

function actorSection(answer: ConceptAnswer): CardElement {
  const lines = answer.actors.map((actor, index) =>
    textBlock(
      joinText(
        [
          bold(text(`${actor.id} ${actor.name}`, LIMITS.title)),
          text(
            `${actor.kind === 'group' ? 'threat group' : 'software'} · ${actor.techniqueCount} ATT&CK techniques${
              actor.aliases.length > 0 ? ` · also ${actor.aliases.slice(0, 4).join(', ')}` : ''
            }`,
            LIMITS.listItem,
          ),
        ],
        ' — ',
      ),
      { spacing: index === 0 ? 'small' : 'none' },
    ),
  );
  return container([heading(label('Known to MITRE ATT&CK')), ...lines], { separator: true });
}

function tacticSection(tactic: ConceptTactic): CardElement {
  const lines = tactic.techniques.map((technique, index) =>
    textBlock(joinText([label('•'), techniqueTitle(technique.id, technique.name)], ' '), {
      spacing: index === 0 ? 'small' : 'none',
    }),
  );
  const more = tactic.techniqueCount - tactic.techniques.length;
  if (more > 0) lines.push(subtleNote(label(`and ${more} more techniques and sub-techniques`), { spacing: 'none' }));
  return container([heading(text(`${tactic.id} ${tactic.name}: techniques`, LIMITS.title)), ...lines], {
    separator: true,
  });
}
