import type { z } from 'zod';
import { CopilotError } from '../../errors';

/**
 * A button's data, checked by its schema: a button that does not carry what it should (a stale or forged card) is
 * `bad_input`, with `problem` in the log and `userMessage` for the analyst.
 */
export function buttonData<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  data: unknown,
  problem: string,
  userMessage: string,
): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new CopilotError('bad_input', problem, { userMessage });
  return parsed.data;
}
