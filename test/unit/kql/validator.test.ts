import { validateKql } from '../../../src/kql/validator';

describe('validateKql', () => {
  it('accepts a valid Sentinel query', () => {
    const result = validateKql(
      'SecurityEvent | where TimeGenerated > ago(1d) | where EventID == 4624 | project Account',
      {
        platform: 'sentinel',
      },
    );
    expect(result).toEqual({ valid: true, diagnostics: [] });
  });

  it('flags an unknown column with Kusto code KS142', () => {
    const query = 'SecurityEvent | where TimeGenerated > ago(1d) | where NoSuchColumn == 1';
    const result = validateKql(query, { platform: 'sentinel' });
    expect(result.valid).toBe(false);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'KS142', severity: 'error', start: query.indexOf('NoSuchColumn'), length: 12 }),
    );
  });
});
