import type { Alert } from '../../sources/model';
import { canonicalIp } from './classify';
import { DEFAULT_MAX_OCCURRENCES, IocCollector } from './collector';
import { scanText } from './extract';
import type { ExtractOptions, IocReport } from './types';
import { isContextDomain, isIpv4, isIpv6Indicator } from './validate';

/**
 * Extracts indicators from any JSON value: every string is scanned as text (object keys are field names, not
 * data, and are not), and each occurrence records the string's path (`$.entities[0].properties.sha256`) and the
 * offsets inside it. A string that holds JSON itself (Sentinel's `Entities` and `ExtendedProperties` columns) is
 * parsed and walked, its paths continuing from the string's (`$.Entities[0].Address`).
 */
export function extractIocsFromJson(value: unknown, options: ExtractOptions = {}): IocReport {
  const collector = new IocCollector(options.maxOccurrences ?? DEFAULT_MAX_OCCURRENCES);
  walkJson(value, collector, options);
  return collector.report();
}

/**
 * Indicators in an alert: its title, description, recommended actions, the techniques its source attached, and
 * every entity with its properties (paths like `$.entities[2].properties.sha256`). An entity's type is evidence
 * too: a `domain` entity's value is a domain and an `ip` entity's value an address even where bare text would not
 * say so (`evil.zip`, `fe80::1`).
 */
export function iocsForAlert(alert: Alert, options: ExtractOptions = {}): IocReport {
  const collector = new IocCollector(options.maxOccurrences ?? DEFAULT_MAX_OCCURRENCES);
  const view = {
    title: alert.title,
    description: alert.description,
    recommendedActions: alert.recommendedActions,
    techniques: alert.techniques,
    entities: alert.entities.map((entity) => ({
      type: entity.type,
      value: entity.value,
      properties: entity.properties,
    })),
  };
  walkJson(view, collector, options);
  // Typed values the text rules leave out (a bare `evil.zip`, `fe80::1`) come last, after everything text found.
  alert.entities.forEach((entity, index) => {
    const value = entity.value.trim().toLowerCase();
    const occurrence = { path: `$.entities[${index}].value`, start: 0, end: entity.value.length };
    if (entity.type === 'domain' && isContextDomain(value) && !collector.has('domain', value)) {
      collector.add('domain', value, value, occurrence);
    } else if (entity.type === 'ip' && !isIpv4(value) && isIpv6Indicator(value, false)) {
      if (!collector.has('ipv6', canonicalIp(value))) {
        collector.add('ipv6', value, canonicalIp(value), occurrence);
      }
    }
  });
  return collector.report();
}

/** Strings longer than this are scanned as text without trying them as JSON (parsing twice costs too much). */
const MAX_EMBEDDED_JSON_LENGTH = 1_000_000;

interface Pending {
  value: unknown;
  path: string;
}

/** Depth-first in document order, with an explicit stack: deeply nested input cannot overflow the call stack. */
function walkJson(root: unknown, collector: IocCollector, options: ExtractOptions): void {
  const stack: Pending[] = [{ value: root, path: '$' }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { value, path } = stack.pop() as Pending;
    if (typeof value === 'string') {
      const embedded = parseEmbeddedJson(value);
      if (embedded !== undefined) stack.push({ value: embedded, path });
      else scanText(value, collector, options, (start, end) => ({ path, start, end }));
      continue;
    }
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    const children: Pending[] = Array.isArray(value)
      ? value.map((item, index) => ({ value: item, path: `${path}[${index}]` }))
      : Object.entries(value).map(([key, item]) => ({ value: item, path: `${path}${pathSegment(key)}` }));
    for (let index = children.length - 1; index >= 0; index -= 1) stack.push(children[index]);
  }
}

function pathSegment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function parseEmbeddedJson(text: string): object | undefined {
  const trimmed = text.trim();
  const opening = trimmed.charAt(0);
  const closing = trimmed.charAt(trimmed.length - 1);
  const looksLikeJson = (opening === '{' && closing === '}') || (opening === '[' && closing === ']');
  if (!looksLikeJson || trimmed.length > MAX_EMBEDDED_JSON_LENGTH) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch (error) {
    // Text that merely starts with a brace ("[2024-01-01] connection from …") is scanned as text instead.
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
