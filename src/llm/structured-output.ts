import type { z } from 'zod';
import type { LlmMessage } from './port';

/**
 * Pure helpers around the model's structured output: reading it, describing why it is unusable, and the
 * messages that ask again. The adapter does the I/O; these carry the rules.
 */

/** Why an answer was unusable, in words safe to log (nothing of the answer itself). */
export type UnusableReason = 'empty' | 'not-json' | 'schema-mismatch';

/** `problem` is for the model (it may quote values from the answer); `reason` is for logs and errors. */
export type StructuredOutputReading<T> =
  { ok: true; value: T } | { ok: false; reason: UnusableReason; problem: string };

/** Issues listed back to the model when re-asking; enough to fix the answer, short enough to stay cheap. */
const maxIssuesListed = 6;
/** A runaway answer is cut before being sent back, so a re-ask cannot double an already huge prompt. */
const maxEchoedOutputChars = 12_000;

/**
 * Servers in json_object mode (and small local models) sometimes wrap the JSON in a Markdown code fence
 * despite being told not to; the object inside is still what we asked for.
 */
export function stripJsonCodeFence(content: string): string {
  const trimmed = content.trim();
  const fenced = /^```(?:json|JSON)?\s*\n([\s\S]*?)\n?```$/.exec(trimmed);
  return fenced ? fenced[1].trim() : trimmed;
}

export function describeZodIssues(issues: readonly z.ZodIssue[]): string {
  const listed = issues.slice(0, maxIssuesListed).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `- ${path}: ${issue.message}`;
  });
  const more = issues.length - listed.length;
  if (more > 0) listed.push(`- and ${more} more`);
  return listed.join('\n');
}

/** Parses the content as JSON and validates it against the schema. */
export function readStructuredOutput<T>(
  content: string | null | undefined,
  schema: z.ZodType<T>,
): StructuredOutputReading<T> {
  if (content === null || content === undefined || content.trim() === '') {
    return { ok: false, reason: 'empty', problem: 'The answer was empty; it must be a JSON object.' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripJsonCodeFence(content));
  } catch (error) {
    // The parser's message quotes the offending text; the model only needs to know it was not JSON.
    if (error instanceof SyntaxError)
      return { ok: false, reason: 'not-json', problem: 'The answer was not valid JSON.' };
    throw error;
  }
  const validation = schema.safeParse(parsed);
  if (validation.success) return { ok: true, value: validation.data };
  return {
    ok: false,
    reason: 'schema-mismatch',
    problem: `The JSON did not match the required schema:\n${describeZodIssues(validation.error.issues)}`,
  };
}

/** The assistant's unusable answer and a user turn saying what to fix, appended to the conversation. */
export function buildRepairMessages(badOutput: string | null | undefined, problem: string): LlmMessage[] {
  const echoed = (badOutput ?? '').slice(0, maxEchoedOutputChars);
  return [
    { role: 'assistant', content: echoed },
    {
      role: 'user',
      content:
        `Your previous answer could not be used. ${problem}\n` +
        'Answer again with only the corrected JSON object, following the schema exactly.',
    },
  ];
}

/**
 * For servers without json_schema support: the schema travels in the system message instead, and
 * json_object mode makes the server produce JSON (OpenAI requires the word "JSON" in the messages for it).
 */
export function withJsonSchemaInstructions(
  messages: readonly LlmMessage[],
  schemaName: string,
  jsonSchema: unknown,
): LlmMessage[] {
  const instructions =
    `Respond with one JSON object only, no prose and no code fence. It must conform to this JSON schema ` +
    `named "${schemaName}" (every property is required, no other properties are allowed):\n` +
    JSON.stringify(jsonSchema);
  const systemIndex = messages.findIndex((message) => message.role === 'system');
  if (systemIndex === -1) return [{ role: 'system', content: instructions }, ...messages];
  return messages.map((message, index) =>
    index === systemIndex ? { role: 'system', content: `${message.content}\n\n${instructions}` } : message,
  );
}
