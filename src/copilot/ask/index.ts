import type { AttackKnowledge } from '../../intel/attack';
import type { LlmClient, TokenUsage } from '../../llm/port';
import type { Logger } from '../../logger';
import { markUnverified } from '../intel';
import { answerWithFallback, type CapabilityResult } from '../result';
import { answerOffline } from './offline';
import { buildAskMessages } from './prompt';
import { resolveConcept, type ResolvedConcept } from './resolve';
import { ConceptAnswerSchema, ConceptLlmAnswerSchema, type ConceptAnswer, type ConceptPoint } from './schema';

export { ConceptAnswerSchema, ConceptLlmAnswerSchema, type ConceptAnswer } from './schema';
export { comparedSubjects, resolveConcept, subjectOf, type ResolvedConcept } from './resolve';
export { noGroundedSource } from './offline';

export interface AskDependencies {
  knowledge: AttackKnowledge;
  llm?: LlmClient;
  logger: Logger;
  clock?: () => Date;
}

const maximumQuestionLength = 2000;

/**
 * Explains a security concept ("what is kerberoasting?", "difference between pass-the-hash and
 * pass-the-ticket"), grounded in ATT&CK when the concept maps to a technique, group or software. Offline it
 * answers only from ATT&CK and says plainly when it has no grounded source; with an LLM the model may add
 * general knowledge, marked as not from ATT&CK, and may cite only technique IDs that exist.
 */
export async function askConcept(
  input: { question: string },
  dependencies: AskDependencies,
  options: { signal?: AbortSignal } = {},
): Promise<CapabilityResult<ConceptAnswer>> {
  const started = Date.now();
  const question = input.question.trim().slice(0, maximumQuestionLength);
  const knowledge = dependencies.knowledge;
  const resolved = await resolveConcept(question, knowledge);
  const offline = ConceptAnswerSchema.parse(
    answerOffline(question, resolved, knowledge.version, knowledge.detailsConfigured),
  );
  return answerWithFallback(
    {
      capability: 'askConcept',
      subject: {},
      started,
      fallbackLog: 'LLM failed; answering the concept question offline',
      fallbackNote: 'This answer comes from the offline engine instead.',
      online: async (llm) => {
        const answered = await askWithLlm(question, resolved, offline, llm, knowledge, options.signal);
        return { ...answered, result: ConceptAnswerSchema.parse(answered.result) };
      },
      offline: () => offline,
    },
    dependencies,
    options.signal,
  );
}

function bound(text: string, maximum: number): string {
  const trimmed = text.trim();
  return trimmed.length <= maximum ? trimmed : `${trimmed.slice(0, maximum - 1)}…`;
}

async function askWithLlm(
  question: string,
  resolved: ResolvedConcept,
  offline: ConceptAnswer,
  llm: LlmClient,
  knowledge: AttackKnowledge,
  signal: AbortSignal | undefined,
): Promise<{ result: ConceptAnswer; notes: string[]; model: string; usage: TokenUsage }> {
  const response = await llm.generateStructured({
    schemaName: 'concept_answer',
    schema: ConceptLlmAnswerSchema,
    messages: buildAskMessages(question, resolved),
    temperature: 0.2,
    maxOutputTokens: 1200,
    signal,
  });
  const notes: string[] = [];
  const referenceIds = new Set(offline.techniques.map((technique) => technique.id));
  const dropped = new Set<string>();
  const unreferenced = new Set<string>();
  const points: ConceptPoint[] = [];
  for (const point of response.value.points) {
    const text = markUnverified(bound(point.text, 600), new Map(), knowledgeFacts(knowledge));
    if (text === '') continue;
    const ids: string[] = [];
    for (const id of point.techniqueIds) {
      const technique = knowledge.technique(id);
      if (technique === undefined) dropped.add(id.trim().slice(0, 24));
      else if (!referenceIds.has(technique.id)) unreferenced.add(technique.id);
      else if (!ids.includes(technique.id)) ids.push(technique.id);
    }
    // A point is from ATT&CK only if it cites a technique ATT&CK was asked about; otherwise it is the model's.
    points.push({ text, source: point.fromAttack && ids.length > 0 ? 'attack' : 'general', techniqueIds: ids });
  }
  if (dropped.size > 0) notes.push(`Removed ATT&CK IDs the model gave that do not exist: ${[...dropped].join(', ')}.`);
  if (unreferenced.size > 0) {
    notes.push(
      `The model cited ${[...unreferenced].join(', ')}, which the question did not lead to; those points are marked as not from ATT&CK.`,
    );
  }
  const answer = markUnverified(bound(response.value.answer, 2000), new Map(), knowledgeFacts(knowledge));
  if (answer === '') throw new Error('the model returned an empty answer');
  const grounded = offline.grounded;
  if (!grounded)
    notes.push('MITRE ATT&CK has nothing on this; the answer is the model’s general knowledge, not a grounded source.');
  return {
    result: { ...offline, answer, points, grounded },
    notes,
    model: response.model,
    usage: response.usage,
  };
}

/** The narrow view markUnverified needs: which technique IDs exist. */
function knowledgeFacts(knowledge: AttackKnowledge) {
  return {
    technique: (id: string) => {
      const technique = knowledge.technique(id);
      return technique === undefined ? undefined : { id: technique.id, fullName: technique.fullName, tactics: [] };
    },
    techniquesForText: () => [],
  };
}
