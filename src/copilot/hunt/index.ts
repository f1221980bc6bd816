import type { LlmClient, TokenUsage } from '../../llm/port';
import type { Logger } from '../../logger';
import type { HuntPlatform } from '../../kql/templates';
import { groundTechniques } from '../grounding';
import type { AttackFacts } from '../knowledge';
import { answerWithFallback, type CapabilityResult } from '../result';
import { checkHuntQuery } from './check';
import { huntOffline } from './offline';
import { buildHuntMessages, buildRepairMessages, type HuntKind } from './prompt';
import { HuntQueryAnswerSchema, boundAnswer, type HuntingQueryResult, type KqlValidate } from './schema';
import { tablesForRequest, type SchemaFor } from './tables';

export type { HuntDiagnostic, HuntTechnique, HuntingQueryResult, KqlValidate } from './schema';
export { HuntQueryAnswerSchema } from './schema';
export { bundledSchemaFor, tablesForRequest, type SchemaFor } from './tables';
export { scoreTemplates } from './offline';

export interface HuntDependencies {
  attack: AttackFacts;
  /** `validateKql` from src/kql/validator in production. */
  validate: KqlValidate;
  /** The columns of the tables the prompt shows; `bundledSchemaFor(platform)` or an operator's schema. */
  schemaFor: (platform: HuntPlatform) => SchemaFor;
  /** ATT&CK data component names of a technique ("Process Creation"), to choose tables for a technique. */
  dataComponents?: (techniqueId: string) => string[];
  llm?: LlmClient;
  logger: Logger;
  clock?: () => Date;
  /** Repair rounds after the first answer fails validation (default 2, so at most 3 model calls). */
  repairRounds?: number;
}

export interface HuntOptions {
  signal?: AbortSignal;
}

/** A hunting query for a described threat, validated for the platform, with what it finds and how to tune it. */
export function generateHuntingQuery(
  input: { threat: string; platform: HuntPlatform },
  dependencies: HuntDependencies,
  options: HuntOptions = {},
): Promise<CapabilityResult<HuntingQueryResult>> {
  return hunt('generateHuntingQuery', 'threat', input.threat, input.platform, dependencies, options);
}

/** An analyst's question as a time-bounded KQL query, validated for the platform, with an explanation. */
export function naturalLanguageToKql(
  input: { question: string; platform: HuntPlatform },
  dependencies: HuntDependencies,
  options: HuntOptions = {},
): Promise<CapabilityResult<HuntingQueryResult>> {
  return hunt('naturalLanguageToKql', 'question', input.question, input.platform, dependencies, options);
}

async function hunt(
  capability: string,
  kind: HuntKind,
  request: string,
  platform: HuntPlatform,
  dependencies: HuntDependencies,
  options: HuntOptions,
): Promise<CapabilityResult<HuntingQueryResult>> {
  return answerWithFallback(
    {
      capability,
      subject: {},
      started: Date.now(),
      fallbackLog: 'LLM failed; answering with the offline templates',
      logFields: { capability },
      fallbackNote: 'This answer comes from the offline template library instead.',
      online: (llm) => huntWithLlm(kind, request, platform, llm, dependencies, options.signal),
      offline: (notes) => {
        const offline = huntOffline(request, platform, dependencies.attack, dependencies.validate);
        notes.push(...offline.notes);
        return offline.result;
      },
    },
    dependencies,
    options.signal,
  );
}

function addUsage(total: TokenUsage, usage: TokenUsage): TokenUsage {
  return {
    promptTokens: total.promptTokens + usage.promptTokens,
    completionTokens: total.completionTokens + usage.completionTokens,
    totalTokens: total.totalTokens + usage.totalTokens,
  };
}

/**
 * Asks the model, validates its query, and sends the validator's findings back for a bounded number of
 * repair rounds. A query that still fails is returned as unvalidated with its diagnostics, never as one
 * ready to run.
 */
async function huntWithLlm(
  kind: HuntKind,
  request: string,
  platform: HuntPlatform,
  llm: LlmClient,
  dependencies: HuntDependencies,
  signal: AbortSignal | undefined,
): Promise<{ result: HuntingQueryResult; notes: string[]; model: string; usage: TokenUsage }> {
  const reference = dependencies.attack
    .techniquesForText(request)
    .slice(0, 5)
    .flatMap((candidate) => {
      const facts = dependencies.attack.technique(candidate.id);
      return facts === undefined ? [] : [{ id: facts.id, name: facts.fullName }];
    });
  const components = reference.flatMap((technique) => dependencies.dataComponents?.(technique.id) ?? []);
  const tables = tablesForRequest(request, platform, components);
  const schema = dependencies.schemaFor(platform)(tables);
  const messages = buildHuntMessages(kind, request, platform, schema, reference);
  const rounds = Math.max(0, dependencies.repairRounds ?? 2);

  let usage: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  let model = llm.model;
  for (let round = 0; ; round += 1) {
    const response = await llm.generateStructured({
      schemaName: 'hunting_query',
      schema: HuntQueryAnswerSchema,
      messages: [...messages],
      temperature: 0.1,
      maxOutputTokens: 1600,
      signal,
    });
    usage = addUsage(usage, response.usage);
    model = response.model;
    const answer = boundAnswer(response.value);
    const check = checkHuntQuery(answer.query, platform, dependencies.validate);
    if (check.ok || round >= rounds) {
      const notes: string[] = [];
      const techniques = groundTechniques(answer.techniques, dependencies.attack);
      if (techniques.dropped.length > 0) {
        notes.push(
          `Removed ATT&CK IDs the model gave that do not exist: ${techniques.dropped.map((id) => id.slice(0, 24)).join(', ')}.`,
        );
      }
      if (!check.ok) {
        notes.push(
          `The model's query still fails validation after ${round + 1} attempt(s); it is shown for reference only and needs fixing before it is run.`,
        );
      }
      return {
        result: {
          query: answer.query,
          platform,
          validation: { status: check.ok ? 'validated' : 'unvalidated', diagnostics: check.diagnostics },
          detects: answer.detects,
          expectedFalsePositives: answer.expectedFalsePositives,
          tuning: answer.tuning,
          explanation: answer.explanation,
          techniques: techniques.kept,
        },
        notes,
        model,
        usage,
      };
    }
    messages.push(...buildRepairMessages(answer.query, check.diagnostics));
  }
}
