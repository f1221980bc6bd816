import type { HuntingQueryResult } from '../copilot/hunt/schema';
import type { CapabilityResult } from '../copilot/result';
import type {
  AdaptiveCard,
  CardAction,
  CardElement,
  CardText,
  Container,
  ExecuteAction,
  ShowCardAction,
  TextBlock,
} from './card-kit';
import {
  LIMITS,
  adaptiveCard,
  cardTime,
  collapsibleText,
  container,
  executeAction,
  heading,
  joinText,
  label,
  optional,
  showCardAction,
  subtleNote,
  text,
  textBlock,
  textInput,
} from './card-kit';
import { VERBS } from './verbs';
import { techniqueLines } from './alert-parts';
import { engineLine } from './alert-explanation-card';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';

/** Longest query shown in full; beyond it the card says the query was cut (the size guard may cut more). */
const maximumQueryLength = 12000;
const maximumDiagnostics = 8;

export const huntPlatformNames: Record<HuntingQueryResult['platform'], string> = {
  sentinel: 'Microsoft Sentinel',
  defender: 'Defender advanced hunting',
};

/**
 * A hunting query or NL→KQL answer: the query in a monospace block, whether it passed validation (and
 * what the validator found when it did not), what it detects, expected false positives, tuning advice
 * behind a toggle, the ATT&CK techniques and the engine that wrote it. The query and every text are
 * model- or request-influenced and go through `text()`, so indicators in a query are shown defanged.
 */
export function huntingQueryCard(result: CapabilityResult<HuntingQueryResult>): AdaptiveCard {
  const hunt = result.result;
  const body: CardElement[] = [
    heading(
      joinText(
        [
          label(
            hunt.query === undefined
              ? 'No hunting query'
              : result.capability === 'validateKql'
                ? 'KQL check'
                : 'Hunting query',
          ),
          label(`· ${huntPlatformNames[hunt.platform]}`),
        ],
        ' ',
      ),
      {
        size: 'medium',
        spacing: 'none',
      },
    ),
  ];

  if (hunt.query !== undefined) {
    body.push(validationSection(hunt));
    body.push(queryBlock(hunt.query));
  }
  if (hunt.detects.trim() !== '')
    body.push(container([heading(label('What it detects')), textBlock(text(hunt.detects, LIMITS.section))]));
  if (hunt.explanation.trim() !== '') {
    body.push(
      container([
        heading(label(hunt.query === undefined ? 'Why' : 'How it works')),
        ...collapsibleText(
          'hunt-explanation',
          text(hunt.explanation, LIMITS.section),
          text(hunt.explanation, LIMITS.preview),
        ),
      ]),
    );
  }
  if (hunt.expectedFalsePositives.length > 0) {
    body.push(
      optional(container([heading(label('Expected false positives')), ...bulletLines(hunt.expectedFalsePositives)])),
    );
  }
  if (hunt.tuning.length > 0) body.push(optional(tuningSection(hunt.tuning)));
  if (hunt.techniques.length > 0) {
    body.push(optional(container([heading(label('MITRE ATT&CK')), ...techniqueLines(hunt.techniques)])));
  }
  if (result.notes.length > 0) {
    const notes = result.notes.map((note, index) =>
      textBlock(text(note, LIMITS.note), { size: 'small', spacing: index === 0 ? 'none' : 'small' }),
    );
    body.push(container(notes, { style: 'warning', spacing: 'medium' }));
  }
  const footer: CardText[] = [engineLine(result.engine)];
  if (hunt.template !== undefined) footer.push(joinText([label('template'), text(hunt.template, LIMITS.label)], ' '));
  footer.push(cardTime(result.generatedAt));
  body.push(subtleNote(joinText(footer, ' · '), { separator: true, spacing: 'medium' }));

  const actions: CardAction[] = [];
  const run = runQueryAction(hunt);
  if (run !== undefined) actions.push(run);
  const copy = hunt.query === undefined ? undefined : copyQueryAction(hunt.query);
  if (copy !== undefined) actions.push(copy);
  return fitCard(adaptiveCard(body, actions, { fullWidth: true }), CARD_BUDGET_BYTES).card;
}

function queryBlock(query: string): CardElement {
  return monospaceBlock(text(query, maximumQueryLength));
}

/**
 * A query shown for reading: monospace on an emphasis background. Shown through `text()`, so indicators in
 * string literals are defanged; the exact query is in the copy field and the Run button's data.
 */
export function monospaceBlock(shown: CardText): Container {
  // card-kit has no fontType option; the property is valid Adaptive Cards 1.5 and keeps KQL columns aligned.
  const block: TextBlock & { fontType: 'monospace' } = Object.assign(textBlock(shown, { spacing: 'small' }), {
    fontType: 'monospace' as const,
  });
  return container([block], { style: 'emphasis', spacing: 'small' });
}

/** Queries longer than this get no copy field or Run button: three copies would not fit a Teams card. */
export const MAXIMUM_ACTIONABLE_QUERY_LENGTH = 6000;

/**
 * "Copy-ready query": the exact query, undefanged, in a plain-text input (Teams never renders or links an
 * input's value), so an analyst can copy it into the portal. Undefined for queries too long for a card.
 */
export function copyQueryAction(query: string): ShowCardAction | undefined {
  if (query.length > MAXIMUM_ACTIONABLE_QUERY_LENGTH) return undefined;
  return showCardAction('Copy-ready query', [
    textInput('copy-query', query, { label: 'Select all and copy', isMultiline: true }),
  ]);
}

/** "Run query": sends the exact query back to the bot, which validates it again before running it. */
function runQueryAction(hunt: HuntingQueryResult): ExecuteAction | undefined {
  if (hunt.query === undefined || hunt.validation.status !== 'validated') return undefined;
  if (hunt.query.length > MAXIMUM_ACTIONABLE_QUERY_LENGTH) return undefined;
  return executeAction('Run query', VERBS.runHuntQuery, { query: hunt.query, platform: hunt.platform }, 'positive');
}

function validationSection(hunt: HuntingQueryResult): CardElement {
  const { status, diagnostics } = hunt.validation;
  if (status === 'validated') {
    const warnings = diagnostics.filter((diagnostic) => diagnostic.severity === 'warning');
    const suffix = warnings.length > 0 ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})` : '';
    const verdict = textBlock(label(`✔ Validated against the ${huntPlatformNames[hunt.platform]} schema${suffix}`), {
      color: 'good',
      weight: 'bolder',
      spacing: 'small',
    });
    if (warnings.length === 0) return verdict;
    return container([verdict, ...diagnosticLines(warnings)], { spacing: 'small' });
  }
  return container(
    [
      textBlock(label('⚠ Unvalidated: fix these problems before running the query'), {
        color: 'attention',
        weight: 'bolder',
      }),
      ...diagnosticLines(diagnostics),
    ],
    { style: 'attention', spacing: 'small' },
  );
}

/** Validator findings, one small line each, the first few only. */
export function diagnosticLines(
  diagnostics: readonly HuntingQueryResult['validation']['diagnostics'][number][],
): CardElement[] {
  const lines: CardElement[] = diagnostics
    .slice(0, maximumDiagnostics)
    .map((diagnostic) =>
      textBlock(
        joinText([label(`${diagnostic.severity} ${diagnostic.code}:`), text(diagnostic.message, LIMITS.listItem)], ' '),
        { size: 'small', spacing: 'none' },
      ),
    );
  if (diagnostics.length > maximumDiagnostics) {
    lines.push(subtleNote(label(`… and ${diagnostics.length - maximumDiagnostics} more`), { spacing: 'none' }));
  }
  return lines;
}

function bulletLines(values: readonly string[]): CardElement[] {
  return values.map((value, index) =>
    textBlock(joinText([label('•'), text(value, LIMITS.listItem)], ' '), { spacing: index === 0 ? 'small' : 'none' }),
  );
}

/** Tuning advice is for the analyst who adopts the query, so it starts collapsed behind a toggle. */
function tuningSection(tuning: readonly string[]): CardElement {
  const preview = label(`${tuning.length} suggestion${tuning.length === 1 ? '' : 's'}`);
  const full = joinText(
    tuning.map((advice) => joinText([label('•'), text(advice, LIMITS.listItem)], ' ')),
    '\n\n',
  );
  return container([heading(label('Tuning advice')), ...collapsibleText('hunt-tuning', full, preview)]);
}
