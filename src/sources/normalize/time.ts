/**
 * Timestamps arrive as ISO 8601 (Graph, Defender), as "2019-01-12 06:41:44" without a zone (Log Analytics
 * exports), or as "1/15/2019, 9:15:03.000 AM" (the Log Analytics portal's CSV export). All are UTC.
 * `Date.parse` would read the zone-less forms as local time, so they are matched explicitly first.
 */

const zonelessIso = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;
const portalExport = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(AM|PM)?$/i;
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** The instant as `YYYY-MM-DDTHH:mm:ss.sssZ`, or `undefined` when the value is not a recognisable timestamp. */
export function toIsoTimestamp(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;

  const zoneless = zonelessIso.exec(text);
  if (zoneless) return fromMilliseconds(Date.parse(`${zoneless[1]}T${zoneless[2]}Z`));

  if (dateOnly.test(text)) return fromMilliseconds(Date.parse(`${text}T00:00:00Z`));

  const exported = portalExport.exec(text);
  if (exported) return fromPortalExport(exported);

  // Only strings that carry their own zone are handed to Date.parse, so nothing is read as local time.
  if (!/^\d{4}-\d{2}-\d{2}[T ].*(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return undefined;
  return fromMilliseconds(Date.parse(text));
}

/** The first of several candidate fields that holds a usable timestamp. */
export function firstIsoTimestamp(...values: unknown[]): string | undefined {
  for (const value of values) {
    const timestamp = toIsoTimestamp(value);
    if (timestamp !== undefined) return timestamp;
  }
  return undefined;
}

function fromPortalExport(match: RegExpExecArray): string | undefined {
  const [, month, day, year, hourText, minute, second = '0', fraction = '0', meridiem] = match;
  let hour = Number(hourText);
  if (meridiem !== undefined) {
    const isPm = meridiem.toUpperCase() === 'PM';
    if (hour === 12) hour = isPm ? 12 : 0;
    else if (isPm) hour += 12;
  }
  const milliseconds = Number(fraction.padEnd(3, '0').slice(0, 3));
  return fromMilliseconds(
    Date.UTC(Number(year), Number(month) - 1, Number(day), hour, Number(minute), Number(second), milliseconds),
  );
}

function fromMilliseconds(milliseconds: number): string | undefined {
  return Number.isNaN(milliseconds) ? undefined : new Date(milliseconds).toISOString();
}
