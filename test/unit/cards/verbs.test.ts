import { AlertActionDataSchema, RunHuntQueryDataSchema, VERBS } from '../../../src/cards/verbs';

describe('VERBS', () => {
  it('uses each key as its verb, so routing tables can be written either way', () => {
    for (const [key, verb] of Object.entries(VERBS)) expect(verb).toBe(key);
    expect(Object.values(VERBS)).toEqual(
      expect.arrayContaining([
        'explainAlert',
        'investigateAlert',
        'analyzeAlert',
        'huntAlert',
        'showHelp',
        'runHuntQuery',
      ]),
    );
  });

  it('validates alert button data', () => {
    expect(AlertActionDataSchema.parse({ alertId: 'a1' })).toEqual({ alertId: 'a1' });
    expect(AlertActionDataSchema.safeParse({ alertId: '' }).success).toBe(false);
    expect(AlertActionDataSchema.safeParse({}).success).toBe(false);
  });
});

describe('RunHuntQueryDataSchema', () => {
  it('takes a query and a platform, nothing else', () => {
    expect(RunHuntQueryDataSchema.parse({ query: 'T | take 1', platform: 'defender', extra: 1 })).toEqual({
      query: 'T | take 1',
      platform: 'defender',
    });
    expect(RunHuntQueryDataSchema.safeParse({ query: '', platform: 'defender' }).success).toBe(false);
    expect(RunHuntQueryDataSchema.safeParse({ query: 'T', platform: 'splunk' }).success).toBe(false);
  });
});
