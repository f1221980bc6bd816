import { z } from 'zod';

/** What the model fills: one command in the bot's own command language, or alternatives when unclear. */
export const IntentAnswerSchema = z.object({
  command: z
    .string()
    .describe('The one command, in the command language, that does what the analyst asked; "" when unclear'),
  alternatives: z
    .array(z.string())
    .max(3)
    .describe('When the request could mean several things: up to three commands it might mean; otherwise empty'),
  reason: z.string().describe('Why, in one short sentence'),
});
export type IntentAnswer = z.infer<typeof IntentAnswerSchema>;

export type IntentDecision =
  | { kind: 'command'; command: string; reason: string }
  | { kind: 'clarify'; choices: string[]; reason: string }
  | { kind: 'unknown'; reason: string };
