import type { HuntRunResult } from '../copilot/hunt/run';
import type { CapabilityResult } from '../copilot/result';
import type { AdaptiveCard, CardAction, CardElement, CardText } from './card-kit';
import {
  LIMITS,
  adaptiveCard,
  cardTime,
  actionSet,
  container,
  factSet,
  heading,
  joinText,
  label,
  openUrlAction,
  optional,
  subtleNote,
  table,
  text,
  textBlock,
  toggleVisibilityAction,
} from './card-kit';
import { advancedHuntingUrl, logAnalyticsQueryUrl } from './links';
import { copyQueryAction, diagnosticLines, huntPlatformNames, monospaceBlock } from './hunt-card';
import { CARD_BUDGET_BYTES, fitCard } from './size-guard';

/** Rows and columns a Teams card shows legibly; the count says how many there were. */
export const SHOWN_ROWS = 10;
export const SHOWN_COLUMNS = 6;
const CELL_LENGTH = 80;

export interface HuntResultsCardOptions {
  /** ARM id of the Sentinel workspace, for an "Open in Log Analytics" link (SENTINEL_WORKSPACE_RESOURCE_ID). */
  sentinelWorkspaceResourceId?: string;
}

/**
 * What a hunting query returned: the row count, the first rows as a table (every cell is data from the
 * tenant, so it goes through `text()` and indicators in it are shown defanged), the validator's warnings,
 * the query behind a toggle, and buttons to open it in the portal or copy it. A query that failed
 * validation was not run, and the card says why.
 */
export function huntResultsCard(
  result: CapabilityResult<HuntRunResult>,
  options: HuntResultsCardOptions = {},
): AdaptiveCard {
  const run = result.result;
  const platform = huntPlatformNames[run.platform];
  const body: CardElement[] = [
    heading(
      joinText([label(run.status === 'rejected' ? 'Query not run' : 'Query results'), label(`· ${platform}`)], ' '),
      {
        size: 'medium',
        spacing: 'none',
      },
    ),
  ];

  if (run.status === 'rejected') {
    body.push(
      container(
        [
          textBlock(label('⚠ The query does not pass validation, so I did not send it to the service.'), {
            color: 'attention',
            weight: 'bolder',
          }),
          ...diagnosticLines(run.validation.diagnostics),
        ],
        { style: 'attention', spacing: 'small' },
      ),
    );
  } else {
    body.push(textBlock(countLine(run), { weight: 'bolder', spacing: 'small' }));
    body.push(
      factSet([
        { title: label('Source'), value: text(run.source, LIMITS.label) },
        { title: label('Columns'), value: label(String(run.columns.length)) },
      ]),
    );
    if (run.rows.length > 0) body.push(resultTable(run));
    if (run.validation.diagnostics.length > 0) {
      body.push(
        optional(
          container([heading(label('Validator warnings')), ...diagnosticLines(run.validation.diagnostics)], {
            style: 'warning',
          }),
        ),
      );
    }
  }

  // The query was shown on the card the analyst ran it from; here it waits behind a toggle.
  const queryBlock = monospaceBlock(text(run.query, 12000));
  body.push(
    container([
      actionSet([toggleVisibilityAction('Show / hide the query', ['run-query'])], { spacing: 'small' }),
      { ...queryBlock, id: 'run-query', isVisible: false },
    ]),
  );
  if (result.notes.length > 0) {
    body.push(
      container(
        result.notes.map((note) => textBlock(text(note, LIMITS.note), { size: 'small' })),
        { style: 'warning' },
      ),
    );
  }
  body.push(
    subtleNote(
      joinText(
        [
          label('Ran through the data source'),
          text(run.source, LIMITS.label),
          label('·'),
          cardTime(result.generatedAt),
        ],
        ' ',
      ),
      {
        separator: true,
        spacing: 'medium',
      },
    ),
  );

  const actions: CardAction[] = [];
  const link =
    run.platform === 'defender'
      ? advancedHuntingUrl(run.query)
      : logAnalyticsQueryUrl(options.sentinelWorkspaceResourceId, run.query);
  if (link !== undefined)
    actions.push(openUrlAction(run.platform === 'defender' ? 'Open in Defender' : 'Open in Log Analytics', link));
  const copy = copyQueryAction(run.query);
  if (copy !== undefined) actions.push(copy);
  return fitCard(adaptiveCard(body, actions, { fullWidth: true }), CARD_BUDGET_BYTES).card;
}

function countLine(run: HuntRunResult): CardText {
  if (run.rowCount === 0) return label('No rows matched.');
  const rows = `${run.rowCount.toLocaleString('en-US')} row${run.rowCount === 1 ? '' : 's'}`;
  const shown = run.rowCount > SHOWN_ROWS ? `, the first ${SHOWN_ROWS} shown` : '';
  const more = run.truncated ? ' (the service had more; I stopped at the row limit)' : '';
  return label(`${rows}${shown}${more}.`);
}

/** The first columns (those with a value in any shown row first, keeping their order) and the first rows. */
function resultTable(run: HuntRunResult): CardElement {
  const rows = run.rows.slice(0, SHOWN_ROWS);
  const filled = run.columns.filter((column) => rows.some((row) => !isEmpty(row[column.name])));
  const empty = run.columns.filter((column) => !filled.includes(column));
  const columns = [...filled, ...empty].slice(0, SHOWN_COLUMNS);
  const shownNames = new Set(columns.map((column) => column.name));
  const ordered = run.columns.filter((column) => shownNames.has(column.name));
  const items: CardElement[] = [
    table(
      ordered.map((column) => text(column.name, LIMITS.label)),
      rows.map((row) => ordered.map((column) => text(cellText(row[column.name], column.type), CELL_LENGTH))),
      { spacing: 'small' },
    ),
  ];
  if (run.columns.length > ordered.length) {
    items.push(
      subtleNote(
        label(
          `${run.columns.length - ordered.length} more column(s) not shown; open the query in the portal for all of them.`,
        ),
      ),
    );
  }
  return container(items, { spacing: 'small' });
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

/** A cell as text: KQL's empty as "—", times to the second in UTC, dynamic values as compact JSON. */
function cellText(value: unknown, type: string): string {
  if (isEmpty(value)) return '—';
  if (type === 'datetime' && typeof value === 'string') {
    const time = Date.parse(value);
    if (Number.isFinite(time)) return new Date(time).toISOString().slice(0, 19).replace('T', ' ');
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
