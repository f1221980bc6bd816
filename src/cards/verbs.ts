import { z } from 'zod';

/**
 * The `Action.Execute` verbs our cards emit. Routing maps each verb to its handler, so both sides use
 * this one object and a renamed verb cannot silently stop working.
 */
export const VERBS = {
  explainAlert: 'explainAlert',
  investigateAlert: 'investigateAlert',
  analyzeAlert: 'analyzeAlert',
  huntAlert: 'huntAlert',
  showHelp: 'showHelp',
  runHuntQuery: 'runHuntQuery',
} as const;
export type Verb = (typeof VERBS)[keyof typeof VERBS];

/** The data every alert button carries; the invoke handler validates it with this schema. */
export const AlertActionDataSchema = z.object({ alertId: z.string().min(1).max(512) });
export type AlertActionData = z.infer<typeof AlertActionDataSchema>;

/** The Run query button's data: the exact query and where to run it. The handler validates the query again. */
export const RunHuntQueryDataSchema = z.object({
  query: z.string().min(1).max(20000),
  platform: z.enum(['sentinel', 'defender']),
});
export type RunHuntQueryData = z.infer<typeof RunHuntQueryDataSchema>;
