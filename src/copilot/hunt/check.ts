import type { HuntPlatform } from '../../kql/templates';
import type { HuntDiagnostic, KqlValidate } from './schema';

export const missingTimeBoundCode = 'SOC-HUNT-TIME';

/** A time filter a hunting query can carry: ago(), between(), a datetime literal or a start-of-period function. */
const timeBound = /\b(ago|between|datetime|startofday|startofweek|startofmonth)\s*\(/i;

/** The validator's "no time filter" lint code (lintCodes.missingTimeFilter in src/kql/lint.ts). */
const validatorTimeFilterCode = 'SOC001';

/** Validator findings about the time bound; warnings to the validator, blocking for a hunting query. */
function isTimeBoundFinding(diagnostic: HuntDiagnostic): boolean {
  return (
    diagnostic.code === validatorTimeFilterCode || /time[\s-]*(bound|filter|range|window)/i.test(diagnostic.message)
  );
}

export interface QueryCheck {
  ok: boolean;
  diagnostics: HuntDiagnostic[];
}

/**
 * Validates a query for the platform and adds what a hunting query must also have. A query without a
 * time bound scans the whole retention (slow, costly, and in advanced hunting silently capped), so it
 * counts as an error here even where the validator only warns.
 */
export function checkHuntQuery(query: string, platform: HuntPlatform, validate: KqlValidate): QueryCheck {
  if (query.trim() === '') {
    return {
      ok: false,
      diagnostics: [{ code: 'SOC-HUNT-EMPTY', severity: 'error', message: 'The query is empty.', start: 0, length: 0 }],
    };
  }
  const validation = validate(query, { platform });
  const diagnostics = [...validation.diagnostics];
  const validatorFlagsTime = diagnostics.some(isTimeBoundFinding);
  if (!timeBound.test(query) && !validatorFlagsTime) {
    const column = platform === 'defender' ? 'Timestamp' : 'TimeGenerated';
    diagnostics.push({
      code: missingTimeBoundCode,
      severity: 'error',
      message: `The query has no time bound; filter the time column first, e.g. | where ${column} > ago(1d).`,
      start: 0,
      length: 0,
    });
  }
  const blocking = diagnostics.some((diagnostic) => diagnostic.severity === 'error' || isTimeBoundFinding(diagnostic));
  return { ok: validation.valid && !blocking, diagnostics };
}
