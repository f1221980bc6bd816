import { techniqueCard } from '../../cards';
import { subjectOf } from '../../copilot/ask';
import { describeTechniqueQuery } from '../../intel/attack';
import type { MessageHandler } from './types';
import { askQuestion } from './ask';

const maximumCards = 3;

/**
 * "what is T1566.001", "explain T1558.003", "what is kerberoasting": the technique card from the ATT&CK
 * facts (and the full bundle when configured). An ID ATT&CK does not have gets an honest "unknown" card;
 * anything that names no technique ("what is a honeytoken") is a concept question for `askQuestion`.
 */
export const describeTechnique: MessageHandler = async (turn) => {
  const knowledge = turn.services.attackKnowledge;
  const query = describeTechniqueQuery(turn.text, knowledge);
  // A tactic's name ("what is persistence") is the tactic, not a technique that has the word in its name.
  if (!query || (query.by === 'name' && knowledge.tactic(subjectOf(turn.text)) !== undefined)) {
    await askQuestion(turn);
    return;
  }
  const note = knowledge.detailsConfigured
    ? undefined
    : 'Descriptions, detection guidance and mitigations appear when the operator sets ATTACK_STIX_PATH.';
  for (const technique of query.techniques.slice(0, maximumCards)) {
    const details = knowledge.detailsConfigured ? await knowledge.details(technique.id) : undefined;
    await turn.responder.sendCard(
      techniqueCard({
        query: query.asked,
        technique,
        subTechniques: technique.isSubtechnique ? [] : knowledge.subTechniques(technique.id),
        details,
        note,
        attackVersion: knowledge.version,
      }),
    );
  }
  for (const unknownId of query.unknownIds.slice(0, maximumCards)) {
    await turn.responder.sendCard(
      techniqueCard({ query: unknownId, technique: undefined, attackVersion: knowledge.version }),
    );
  }
};
