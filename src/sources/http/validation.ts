import type { z } from 'zod';
import { CopilotError } from '../../errors';

/** Validates what a caller asks a source to write; a bad value is the caller's `bad_input`, never sent. */
export function parseOrBadInput<Schema extends z.ZodTypeAny>(
  schema: Schema,
  value: unknown,
  what: string,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.output<Schema>;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') ?? '';
  throw new CopilotError('bad_input', `invalid ${what}${where ? ` (${where})` : ''}: ${issue?.message ?? ''}`, {
    userMessage: `That ${what} is not valid${where ? ` (${where})` : ''}: ${issue?.message ?? 'unexpected value'}.`,
  });
}
