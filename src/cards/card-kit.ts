import type { Severity } from '../sources/model';
import type { CardText } from './card-text';
import { text } from './card-text';
import type { SafeUrl } from './links';
import type { Verb } from './verbs';

export type { CardText } from './card-text';
export { text, label, bold, joinText, LIMITS } from './card-text';

/**
 * Typed builders for the Adaptive Card 1.5 subset our cards use. They return plain JSON objects; the
 * types keep unknown properties and pre-1.5 typos out, and text fields accept only `CardText` so that
 * nothing unsanitised reaches a TextBlock (see card-text.ts).
 */

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_VERSION = '1.5';

export type TextColor = 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
export type Spacing = 'none' | 'small' | 'default' | 'medium' | 'large' | 'extraLarge' | 'padding';

/**
 * Marks a body item the size guard may drop when a card is too large. A symbol key never reaches
 * JSON.stringify, so the mark cannot leak into what Teams receives.
 */
export const OPTIONAL = Symbol('optional card element');

interface ElementBase {
  id?: string;
  isVisible?: boolean;
  spacing?: Spacing;
  separator?: boolean;
  [OPTIONAL]?: true;
}

export interface TextBlock extends ElementBase {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
  weight?: 'lighter' | 'default' | 'bolder';
  color?: TextColor;
  isSubtle?: boolean;
  style?: 'default' | 'heading';
  maxLines?: number;
}

export interface Fact {
  title: string;
  value: string;
}

export interface FactSet extends ElementBase {
  type: 'FactSet';
  facts: Fact[];
}

export interface Column extends ElementBase {
  type: 'Column';
  items: CardElement[];
  width?: 'auto' | 'stretch' | number;
  verticalContentAlignment?: 'top' | 'center' | 'bottom';
}

export interface ColumnSet extends ElementBase {
  type: 'ColumnSet';
  columns: Column[];
}

export interface Container extends ElementBase {
  type: 'Container';
  items: CardElement[];
  style?: ContainerStyle;
  bleed?: boolean;
}

export interface ActionSet extends ElementBase {
  type: 'ActionSet';
  actions: CardAction[];
}

/** Adaptive Cards 1.5 Table; Teams renders it on desktop, web and mobile. */
export interface Table extends ElementBase {
  type: 'Table';
  columns: Array<{ width: number }>;
  rows: Array<{ type: 'TableRow'; cells: Array<{ type: 'TableCell'; items: CardElement[] }> }>;
  showGridLines?: boolean;
  gridStyle?: ContainerStyle;
}

/**
 * A plain-text input. Its value is edited, never rendered as Markdown or autolinked, which makes it the
 * place for copy-ready text that must stay exact (a query with a URL in a string literal).
 */
export interface TextInput extends ElementBase {
  type: 'Input.Text';
  id: string;
  value?: string;
  label?: string;
  isMultiline?: boolean;
  maxLength?: number;
}

export type CardElement = TextBlock | FactSet | ColumnSet | Container | ActionSet | Table | TextInput;

export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: Verb;
  data: Record<string, string>;
  style?: 'default' | 'positive' | 'destructive';
}

export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: { type: 'AdaptiveCard'; body: CardElement[] };
}

export interface ToggleVisibilityAction {
  type: 'Action.ToggleVisibility';
  title: string;
  targetElements: string[];
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: SafeUrl;
}

export type CardAction = ExecuteAction | ShowCardAction | ToggleVisibilityAction | OpenUrlAction;

/** A type alias, not an interface: callers pass cards on as plain `Record<string, unknown>` JSON. */
export type AdaptiveCard = {
  type: 'AdaptiveCard';
  $schema: typeof CARD_SCHEMA;
  version: typeof CARD_VERSION;
  body: CardElement[];
  actions?: CardAction[];
  /** Teams extension: full-width cards read better for alerts in channels. */
  msteams?: { width: 'Full' };
};

type ElementOptions = Pick<ElementBase, 'id' | 'isVisible' | 'spacing' | 'separator'>;
export type TextOptions = ElementOptions &
  Pick<TextBlock, 'size' | 'weight' | 'color' | 'isSubtle' | 'style' | 'maxLines'>;

export function textBlock(content: CardText, options: TextOptions = {}): TextBlock {
  // An empty TextBlock renders as a gap in Teams; a dash says "nothing here" on purpose.
  return { type: 'TextBlock', text: content.trim() === '' ? '—' : content, wrap: true, ...options };
}

export function heading(content: CardText, options: TextOptions = {}): TextBlock {
  return textBlock(content, { weight: 'bolder', style: 'heading', spacing: 'medium', ...options });
}

export function subtleNote(content: CardText, options: TextOptions = {}): TextBlock {
  return textBlock(content, { size: 'small', isSubtle: true, ...options });
}

export function factSet(
  facts: ReadonlyArray<{ title: CardText; value: CardText }>,
  options: ElementOptions = {},
): FactSet {
  return {
    type: 'FactSet',
    facts: facts.map((fact) => ({ title: fact.title, value: fact.value.trim() === '' ? '—' : fact.value })),
    ...options,
  };
}

export function column(items: CardElement[], width: Column['width'] = 'stretch', options: ElementOptions = {}): Column {
  return { type: 'Column', items, width, ...options };
}

export function columnSet(columns: Column[], options: ElementOptions = {}): ColumnSet {
  return { type: 'ColumnSet', columns, ...options };
}

export function container(
  items: CardElement[],
  options: ElementOptions & { style?: ContainerStyle; bleed?: boolean } = {},
): Container {
  return { type: 'Container', items, ...options };
}

/** A grid of plain text cells; the first row is the header (the Table default). Cell texts must already be sanitised `CardText`. */
export function table(header: CardText[], rows: CardText[][], options: ElementOptions = {}): Table {
  const cell = (content: CardText, bold: boolean) => ({
    type: 'TableCell' as const,
    items: [textBlock(content, { size: 'small', ...(bold ? { weight: 'bolder' as const } : {}) })],
  });
  return {
    type: 'Table',
    columns: header.map(() => ({ width: 1 })),
    rows: [
      { type: 'TableRow', cells: header.map((content) => cell(content, true)) },
      ...rows.map((row) => ({ type: 'TableRow' as const, cells: row.map((content) => cell(content, false)) })),
    ],
    showGridLines: true,
    ...options,
  };
}

export function textInput(
  id: string,
  value: string,
  options: { label?: string; isMultiline?: boolean } = {},
): TextInput {
  return { type: 'Input.Text', id, value, ...options };
}

export function actionSet(actions: CardAction[], options: ElementOptions = {}): ActionSet {
  return { type: 'ActionSet', actions, ...options };
}

export function executeAction(
  title: string,
  verb: Verb,
  data: Record<string, string>,
  style?: ExecuteAction['style'],
): ExecuteAction {
  return style === undefined
    ? { type: 'Action.Execute', title, verb, data }
    : { type: 'Action.Execute', title, verb, data, style };
}

export function showCardAction(title: string, body: CardElement[]): ShowCardAction {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body } };
}

export function toggleVisibilityAction(title: string, targetElements: string[]): ToggleVisibilityAction {
  return { type: 'Action.ToggleVisibility', title, targetElements };
}

/** Only a `SafeUrl` (attackTechniqueUrl, portalLink) can become a button that opens a browser. */
export function openUrlAction(title: string, url: SafeUrl): OpenUrlAction {
  return { type: 'Action.OpenUrl', title, url };
}

export function adaptiveCard(
  body: CardElement[],
  actions: CardAction[] = [],
  options: { fullWidth?: boolean } = {},
): AdaptiveCard {
  const card: AdaptiveCard = { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, body };
  if (actions.length > 0) card.actions = actions;
  if (options.fullWidth === true) card.msteams = { width: 'Full' };
  return card;
}

/** Returns the element marked as droppable by the size guard (see OPTIONAL). */
export function optional<T extends CardElement>(element: T): T {
  element[OPTIONAL] = true;
  return element;
}

export interface SeverityStyle {
  container: ContainerStyle;
  color: TextColor;
  label: string;
}

/** Sentinel / Graph severity → how the card shows it: colour carries urgency at a glance. */
export const SEVERITY_STYLES: Readonly<Record<Severity, SeverityStyle>> = {
  high: { container: 'attention', color: 'attention', label: 'High' },
  medium: { container: 'warning', color: 'warning', label: 'Medium' },
  low: { container: 'accent', color: 'accent', label: 'Low' },
  informational: { container: 'default', color: 'default', label: 'Informational' },
};

export function severityStyle(severity: Severity): SeverityStyle {
  return SEVERITY_STYLES[severity] ?? SEVERITY_STYLES.informational;
}

/**
 * A section whose full text is long: a preview plus the full text hidden behind a Show more / less
 * toggle. Both states live in one container with their button, so dropping or truncating the section
 * never leaves a toggle pointing at nothing. `idPrefix` must be unique within the card.
 */
export function collapsibleText(idPrefix: string, full: CardText, preview: CardText): CardElement[] {
  if (preview === full) return [textBlock(full)];
  const previewId = `${idPrefix}-preview`;
  const fullId = `${idPrefix}-full`;
  return [
    textBlock(preview, { id: previewId }),
    textBlock(full, { id: fullId, isVisible: false }),
    actionSet([toggleVisibilityAction('Show more / less', [previewId, fullId])], { spacing: 'small' }),
  ];
}

/**
 * A timestamp Teams renders in the reader's own time zone and locale. The DATE/TIME functions accept
 * only whole seconds, so the value is normalised first; an unparseable value is shown as given.
 */
export function cardTime(iso: string | undefined): CardText {
  if (iso === undefined || iso.trim() === '') return '—' as CardText;
  const parsed = new Date(iso);
  if (Number.isNaN(parsed.getTime())) return text(iso, 64);
  const normalised = parsed.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${normalised}, SHORT)}} {{TIME(${normalised})}}` as CardText;
}
