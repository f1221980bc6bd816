/** A time window asked for in a request, as a KQL timespan literal and in hours (for comparisons). */
export interface Lookback {
  kql: string;
  hours: number;
  /** As the analyst would say it, e.g. "24 hours". */
  description: string;
}

const unitHours: Record<string, number> = {
  minute: 1 / 60,
  hour: 1,
  day: 24,
  week: 24 * 7,
  month: 24 * 30,
};

function unitOf(word: string): string | undefined {
  const lower = word.toLowerCase();
  if (/^(m|mins?|minutes?)$/.test(lower)) return 'minute';
  if (/^(h|hrs?|hours?)$/.test(lower)) return 'hour';
  if (/^(d|days?)$/.test(lower)) return 'day';
  if (/^(w|wks?|weeks?)$/.test(lower)) return 'week';
  if (/^(months?)$/.test(lower)) return 'month';
  return undefined;
}

function lookbackOf(amount: number, unit: string): Lookback | undefined {
  const hours = amount * unitHours[unit];
  // Advanced hunting keeps 30 days and a window beyond a year is a typo; neither is worth a query.
  if (!(hours > 0) || hours > 24 * 365) return undefined;
  const kql = unit === 'minute' ? `${amount}m` : hours % 24 === 0 ? `${hours / 24}d` : `${hours}h`;
  return { kql, hours, description: `${amount} ${unit}${amount === 1 ? '' : 's'}` };
}

/**
 * The window a request names: "last 24h", "past 7 days", "in the last hour", "last week", "today",
 * "yesterday". Undefined when the request names none, so the template's own default applies.
 */
export function lookbackFromText(request: string): Lookback | undefined {
  const numbered = /\b(?:last|past|previous|within|over|in the last|in the past)\s+(\d{1,4})\s*([a-z]+)\b/i.exec(
    request,
  );
  if (numbered) {
    const unit = unitOf(numbered[2]);
    if (unit !== undefined) return lookbackOf(Number(numbered[1]), unit);
  }
  const compact = /\b(\d{1,4})\s*(h|hrs?|hours?|d|days?|w|weeks?)\b/i.exec(request);
  if (compact) {
    const unit = unitOf(compact[2]);
    if (unit !== undefined) return lookbackOf(Number(compact[1]), unit);
  }
  const single = /\b(?:last|past|previous)\s+(minute|hour|day|week|month)\b/i.exec(request);
  if (single) return lookbackOf(1, single[1].toLowerCase());
  if (/\b(today|yesterday)\b/i.test(request)) return lookbackOf(1, 'day');
  return undefined;
}

const lookbackLine = /^let lookback = [^;]+;/m;
const baselineLine = /^let baseline = (\d+)d;/m;

/**
 * Sets a template's `let lookback` to the window asked for. A template that compares against a baseline
 * must keep the baseline longer than the window, or the comparison would be against nothing.
 */
export function applyLookback(query: string, lookback: Lookback): string {
  let adjusted = query.replace(lookbackLine, `let lookback = ${lookback.kql};`);
  const baseline = baselineLine.exec(adjusted);
  if (baseline && Number(baseline[1]) * 24 <= lookback.hours) {
    const days = Math.ceil(lookback.hours / 24) + 14;
    adjusted = adjusted.replace(baselineLine, `let baseline = ${days}d;`);
  }
  return adjusted;
}

/** The `let lookback` a query carries, e.g. "1d". */
export function lookbackOfQuery(query: string): string | undefined {
  return /^let lookback = ([^;]+);/m.exec(query)?.[1];
}
