import type * as AdaptiveCardsModule from 'adaptivecards';
import type { CapabilityResult } from '../../src/copilot/result';
import type { AlertExplanation } from '../../src/copilot/explain-alert/schema';
import type { Alert } from '../../src/sources/model';

/**
 * The official Adaptive Cards library, loaded from its UMD bundle. The package's `main` (lib/) is ES
 * module source with extension-less imports, which neither Node's require nor jest's CommonJS runtime
 * loads (jest leaves node_modules untransformed); dist/ is the same library built as UMD. Parsing and
 * property validation never touch the DOM (only rendering does), so the plain `node` test environment
 * works without a shim.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AdaptiveCards = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsModule;

export const TEAMS_LIMIT_BYTES = 28 * 1024;

/** Hosts a card may link to (DESIGN: SOC conventions); an independent copy of src/cards/links.ts on purpose. */
function isAllowedLink(url: string, options: CardCheckOptions = {}): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false; // an unparseable link target is not one of ours
  }
  // Only origins a test names explicitly (e.g. the bot's own PUBLIC_BASE_URL for report downloads).
  if ((options.allowedOrigins ?? []).includes(parsed.origin) && parsed.username === '' && parsed.password === '') {
    return true;
  }
  const host = parsed.hostname.toLowerCase();
  const allowedHost =
    host === 'attack.mitre.org' ||
    host === 'security.microsoft.com' ||
    host === 'portal.azure.com' ||
    host.endsWith('.portal.azure.com') ||
    host === 'portal.azure.us';
  return parsed.protocol === 'https:' && allowedHost;
}

/** Strict by default; a test may allow its own bot's origin ("http://127.0.0.1:1234") for download links. */
export interface CardCheckOptions {
  allowedOrigins?: string[];
}

/** Collections the library parses outside its property schemas, per type. */
const COLLECTION_KEYS: Record<string, string[]> = {
  AdaptiveCard: ['body', 'actions', 'msteams'],
  Container: ['items'],
  Column: ['items'],
  ColumnSet: ['columns'],
  ActionSet: ['actions'],
  'Action.ShowCard': ['card'],
  Table: ['columns', 'rows'],
};

/**
 * Everything wrong with a card, as readable strings (empty when valid):
 * - the official library's parse and validation events for a 1.5 target (unknown or 1.6-only
 *   element, action and property types, invalid values, duplicate ids, missing required values);
 * - properties that no 1.5 schema knows (the library ignores those silently, so typos would pass);
 * - `version` other than "1.5", an empty body, Action.ToggleVisibility targets that do not exist;
 * - a UTF-8 JSON size over 28 KB;
 * - any link, image or mention that is not ours: Action.OpenUrl and URL properties, Markdown links,
 *   Markdown images, `<at>` mentions, raw http(s)/www autolinks anywhere in rendered text, unless
 *   the target is https on attack.mitre.org or a Microsoft portal host.
 */
export function cardProblems(card: unknown, options: CardCheckOptions = {}): string[] {
  if (card === null || typeof card !== 'object' || (card as { type?: unknown }).type !== 'AdaptiveCard') {
    return ['not an AdaptiveCard object'];
  }
  const json = card as Record<string, unknown>;
  const problems: string[] = [];
  if (json.version !== '1.5') problems.push(`version must be "1.5", got ${JSON.stringify(json.version)}`);
  if (!Array.isArray(json.body) || json.body.length === 0) problems.push('body is empty');
  problems.push(...libraryProblems(json));
  const ids = new Set<string>();
  const toggleTargets: string[] = [];
  walk(json, (node, path) => {
    problems.push(...unknownProperties(node, path));
    if (typeof node.id === 'string') ids.add(node.id);
    if (node.type === 'Action.ToggleVisibility' && Array.isArray(node.targetElements)) {
      for (const target of node.targetElements)
        toggleTargets.push(typeof target === 'string' ? target : target.elementId);
    }
  });
  for (const target of toggleTargets) if (!ids.has(target)) problems.push(`toggle target "${target}" does not exist`);
  const size = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (size > TEAMS_LIMIT_BYTES) problems.push(`card is ${size} bytes, over the ${TEAMS_LIMIT_BYTES}-byte Teams limit`);
  problems.push(...linkProblems(json, options));
  return problems;
}

/** Fails the test with every problem `cardProblems` finds. */
export function expectValidCard(card: unknown, options: CardCheckOptions = {}): void {
  expect(cardProblems(card, options)).toEqual([]);
}

function libraryProblems(json: Record<string, unknown>): string[] {
  const parsed = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
  parsed.parse(json, context);
  const events = [];
  for (let index = 0; index < context.eventCount; index += 1) events.push(context.getEventAt(index));
  events.push(...parsed.validateProperties().validationEvents);
  return events.map((event) => `${AdaptiveCards.ValidationEvent[event.event]}: ${event.message}`);
}

function schemaProperties(type: string): Set<string> | undefined {
  const version = AdaptiveCards.Versions.v1_5;
  const instance =
    type === 'AdaptiveCard'
      ? new AdaptiveCards.AdaptiveCard()
      : type === 'Column'
        ? new AdaptiveCards.Column()
        : (AdaptiveCards.GlobalRegistry.elements.createInstance(type, version) ??
          AdaptiveCards.GlobalRegistry.actions.createInstance(type, version));
  if (instance === undefined) return undefined; // unknown types are reported by the library itself
  const schema = instance.getSchema();
  const names = new Set(COLLECTION_KEYS[type] ?? []);
  names.add('fallback');
  for (let index = 0; index < schema.getCount(); index += 1) names.add(schema.getItemAt(index).name);
  return names;
}

function unknownProperties(node: Record<string, unknown>, path: string): string[] {
  if (typeof node.type !== 'string') return [];
  const known = schemaProperties(node.type);
  if (known === undefined) return [];
  return Object.keys(node)
    .filter((key) => !known.has(key))
    .map((key) => `${path}: property "${key}" is not in the 1.5 schema of ${node.type}`);
}

/** Visits every object in the card except Action.Execute data, which Teams never renders. */
function walk(node: unknown, visit: (node: Record<string, unknown>, path: string) => void, path = 'card'): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, visit, `${path}[${index}]`));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  visit(record, path);
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'data') walk(value, visit, `${path}.${key}`);
  }
}

const MARKDOWN_LINK = /\]\(\s*<?([^)\s>]*)/g;
const RAW_URL = /(?<![\p{L}\p{N}_])(?:https?|ftp):\/\/[^\s)\]>]+/giu;

function linkProblems(json: Record<string, unknown>, options: CardCheckOptions): string[] {
  const problems: string[] = [];
  walk(json, (node, path) => {
    if (node.type === 'Image' || node.type === 'Media') problems.push(`${path}: ${node.type} elements are not allowed`);
    for (const [key, value] of Object.entries(node)) {
      if (typeof value !== 'string' || key === '$schema') continue;
      // An input's value is editable plain text: Teams neither renders it as Markdown nor autolinks it.
      if (node.type === 'Input.Text' && key === 'value') continue;
      const where = `${path}.${key}`;
      if (['url', 'iconUrl', 'backgroundImage'].includes(key)) {
        if (!isAllowedLink(value, options)) problems.push(`${where}: link to ${value}`);
        continue;
      }
      for (const match of value.matchAll(MARKDOWN_LINK)) {
        if (!isAllowedLink(match[1], options)) problems.push(`${where}: Markdown link to ${match[1]}`);
      }
      for (const match of value.matchAll(RAW_URL)) {
        if (!isAllowedLink(match[0], options)) problems.push(`${where}: raw URL ${match[0]}`);
      }
      if (/!\[/.test(value)) problems.push(`${where}: Markdown image`);
      if (/<\s*at\b/i.test(value)) problems.push(`${where}: mention`);
      if (/(?<![\p{L}\p{N}_])www\.[\p{L}\p{N}]/iu.test(value)) problems.push(`${where}: www autolink`);
    }
  });
  return problems;
}

/** Every text a person would read in the card, joined: for assertions about what is (not) shown. */
export function renderedText(card: unknown): string {
  const texts: string[] = [];
  walk(card, (node) => {
    for (const key of ['text', 'title', 'value']) if (typeof node[key] === 'string') texts.push(node[key] as string);
  });
  return texts.join('\n');
}

export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'da638412345678901234_-1234567890',
    sourceFormat: 'demo',
    title: 'Suspicious PowerShell command line',
    description:
      'A suspicious encoded PowerShell command was run by alice@contoso.com on WS-0142. It downloaded ' +
      'a script from https://cdn.evil.example/stage2.ps1 and connected to 203.0.113.7.',
    severity: 'high',
    status: 'new',
    category: 'Execution',
    productName: 'Microsoft Defender for Endpoint',
    createdAt: '2025-03-04T09:15:30.123Z',
    techniques: ['T1059.001', 'T1105'],
    tactics: ['Execution', 'CommandAndControl'],
    entities: [
      { type: 'account', value: 'alice@contoso.com', properties: {}, roles: ['compromised'] },
      { type: 'host', value: 'WS-0142.contoso.local', properties: {}, roles: [] },
      { type: 'ip', value: '203.0.113.7', properties: {}, roles: ['attacker'] },
      { type: 'url', value: 'https://cdn.evil.example/stage2.ps1', properties: {}, roles: [] },
      {
        type: 'file',
        value: 'stage2.ps1',
        properties: { sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
        roles: [],
      },
    ],
    portalUrl: 'https://security.microsoft.com/alerts/da638412345678901234_-1234567890',
    ...overrides,
  };
}

export function makeExplanationResult(
  overrides: Partial<AlertExplanation> = {},
  resultOverrides: Partial<CapabilityResult<AlertExplanation>> = {},
): CapabilityResult<AlertExplanation> {
  return {
    capability: 'explainAlert',
    result: {
      headline: 'Someone ran a hidden PowerShell command on WS-0142 that downloaded a script from the internet.',
      whatHappened:
        'On WS-0142, the account alice@contoso.com started PowerShell with an encoded command. The command ' +
        'downloaded stage2.ps1 from https://cdn.evil.example and contacted 203.0.113.7.',
      whyItMatters: 'Attackers use hidden PowerShell to install malware and take control of computers.',
      immediateRisk: { level: 'high', rationale: 'The script ran and reached an outside address.' },
      recommendedActions: [
        'Isolate WS-0142 from the network.',
        'Reset the password of alice@contoso.com and revoke her sessions.',
        'Block 203.0.113.7 and cdn.evil.example at the proxy.',
      ],
      techniques: [
        {
          id: 'T1059.001',
          name: 'Command and Scripting Interpreter: PowerShell',
          tactics: ['Execution'],
        },
        { id: 'T1105', name: 'Ingress Tool Transfer', tactics: ['Command and Control'] },
      ],
      keyEntities: [
        { type: 'account', value: 'alice@contoso.com' },
        { type: 'ip', value: '203.0.113.7' },
        { type: 'url', value: 'https://cdn.evil.example/stage2.ps1' },
      ],
      ...overrides,
    },
    engine: {
      kind: 'llm',
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: { promptTokens: 1200, completionTokens: 340, totalTokens: 1540 },
      durationMs: 2300,
    },
    notes: [],
    subject: { alertId: 'da638412345678901234_-1234567890' },
    generatedAt: '2025-03-04T09:20:00.000Z',
    ...resultOverrides,
  };
}
