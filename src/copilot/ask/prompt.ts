import type { LlmMessage } from '../../llm/port';
import { fenceUntrusted, untrustedDataRule } from '../untrusted';
import type { ResolvedConcept } from './resolve';

export const askSystemPrompt = [
  'You explain security concepts to SOC analysts: precise, practical, short.',
  'You are given the analyst’s question and what MITRE ATT&CK says about it (possibly nothing).',
  'Base the answer on the ATT&CK reference when it covers the question. You may explain general security concepts from your own knowledge, but every key point must say whether it comes from the ATT&CK reference (fromAttack true, with the technique IDs from the reference) or from general knowledge (fromAttack false, no technique IDs).',
  'Cite only technique IDs that appear in the ATT&CK reference; never invent IDs, names, groups or statistics. If you do not know, say so.',
  untrustedDataRule,
  'Answer with JSON that matches the given schema.',
].join('\n');

const maximumQuestionLength = 2000;

export function buildAskMessages(question: string, resolved: ResolvedConcept): LlmMessage[] {
  const reference = {
    techniques: resolved.sides.flatMap((side) =>
      side.techniques.map((technique) => ({
        id: technique.id,
        name: technique.name,
        tactics: technique.tactics,
        platforms: technique.platforms,
        description: technique.description,
        detection: technique.detection,
        mitigations: technique.mitigations.map((mitigation) => mitigation.name),
        dataSources: technique.dataSources,
      })),
    ),
    groupsAndSoftware: resolved.sides.flatMap((side) => side.actors),
    tactics: resolved.sides.flatMap((side) => side.tactics),
    techniqueIdsNotInAttack: resolved.unknownIds,
  };
  return [
    { role: 'system', content: askSystemPrompt },
    {
      role: 'user',
      content: [
        'Answer the analyst’s question.',
        '',
        'ATT&CK reference (trusted, from the MITRE ATT&CK knowledge base):',
        JSON.stringify(reference),
        '',
        fenceUntrusted('analyst question', question.slice(0, maximumQuestionLength)),
      ].join('\n'),
    },
  ];
}
