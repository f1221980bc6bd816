import { z } from 'zod';
import type { HuntPlatform } from '../../kql/templates';

/** A diagnostic as the validator reports it (src/kql/validator.ts), repeated here so the copilot only needs the shape. */
export interface HuntDiagnostic {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  start: number;
  length: number;
}

/** The validator the capability is given: `validateKql` in production, anything with its signature in tests. */
export type KqlValidate = (
  query: string,
  options: { platform: HuntPlatform },
) => { valid: boolean; diagnostics: HuntDiagnostic[] };

export interface HuntTechnique {
  id: string;
  name: string;
  tactics: string[];
}

/** What both hunting capabilities return. */
export interface HuntingQueryResult {
  /** Absent when no template fits offline: the engine never invents a query. */
  query?: string;
  platform: HuntPlatform;
  validation: { status: 'validated' | 'unvalidated'; diagnostics: HuntDiagnostic[] };
  detects: string;
  expectedFalsePositives: string[];
  tuning: string[];
  explanation: string;
  techniques: HuntTechnique[];
  /** The offline template the query came from. */
  template?: string;
  /** When no template fits: the closest ones, for the analyst to ask for instead. */
  closestTemplates?: Array<{ id: string; title: string }>;
}

/**
 * What the model fills. No string length keywords: OpenAI's strict structured output rejects
 * minLength/maxLength, so descriptions ask for brevity and the capability trims afterwards.
 */
export const HuntQueryAnswerSchema = z.object({
  query: z
    .string()
    .describe(
      'The complete KQL query, using only the tables and columns listed, starting with a time filter such as | where TimeGenerated > ago(1d)',
    ),
  detects: z.string().describe('What the query finds, one or two sentences'),
  explanation: z.string().describe('How the query works, step by step, in at most five sentences'),
  expectedFalsePositives: z.array(z.string()).max(6).describe('Benign activity the query may also return'),
  tuning: z.array(z.string()).max(6).describe('Concrete ways to reduce noise or widen coverage'),
  techniques: z
    .array(
      z.object({
        id: z.string().describe('MITRE ATT&CK technique ID, e.g. T1059.001'),
        name: z.string(),
        tactics: z.array(z.string()),
      }),
    )
    .max(6)
    .describe('ATT&CK techniques the query hunts for'),
});
export type HuntQueryAnswer = z.infer<typeof HuntQueryAnswerSchema>;

const limits = { query: 20000, detects: 600, explanation: 1500, item: 400 };

export function boundText(value: string, maximum: number): string {
  const trimmed = value.trim();
  return trimmed.length <= maximum ? trimmed : `${trimmed.slice(0, maximum - 1)}…`;
}

/** Trims the model's texts to their limits and drops empty list items. */
export function boundAnswer(answer: HuntQueryAnswer): HuntQueryAnswer {
  const items = (values: string[]) =>
    values.map((value) => boundText(value, limits.item)).filter((value) => value.length > 0);
  return {
    ...answer,
    query: answer.query.trim().slice(0, limits.query),
    detects: boundText(answer.detects, limits.detects),
    explanation: boundText(answer.explanation, limits.explanation),
    expectedFalsePositives: items(answer.expectedFalsePositives),
    tuning: items(answer.tuning),
  };
}
