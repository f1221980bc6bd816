import { AlertActionDataSchema, VERBS } from '../../../src/cards/verbs';

describe('VERBS', () => {
  it('uses each key as its verb, so routing tables can be written either way', () => {
    for (const [key, verb] of Object.entries(VERBS)) expect(verb).toBe(key);
    expect(Object.values(VERBS)).toEqual(['explainAlert', 'investigateAlert', 'analyzeAlert', 'huntAlert', 'showHelp']);
  });

  it('validates alert button data', () => {
    expect(AlertActionDataSchema.parse({ alertId: 'a1' })).toEqual({ alertId: 'a1' });
    expect(AlertActionDataSchema.safeParse({ alertId: '' }).success).toBe(false);
    expect(AlertActionDataSchema.safeParse({}).success).toBe(false);
  });
});
