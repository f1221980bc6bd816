import { attackKnowledge, type AttackKnowledge } from './knowledge';
import type { Confidence } from './types';

/** A technique as the copilot layer consumes it: tactics as names ("Execution"), the MITRE display name. */
export interface AttackTechniqueFacts {
  id: string;
  name: string;
  /** "Command and Scripting Interpreter: PowerShell" for a sub-technique */
  fullName: string;
  tactics: string[];
  deprecated: boolean;
  resolvedFrom?: string;
}

export interface AttackTechniqueCandidate {
  id: string;
  reason: string;
  confidence: Confidence;
}

/**
 * The narrow view of ATT&CK the copilot's AttackFacts port expects (src/copilot/knowledge.ts), shaped here so that
 * the knowledge layer does not import from the copilot layer above it.
 */
export interface AttackFactsView {
  technique(id: string): AttackTechniqueFacts | undefined;
  techniquesForText(text: string): AttackTechniqueCandidate[];
}

export interface AttackFactsOptions {
  /**
   * Weakest keyword match passed on. Defaults to medium: low-confidence matches are hedges (a keyword quoted as an
   * example, a generic admin logon) that should not be presented as what an alert shows.
   */
  minimumConfidence?: Confidence;
}

export function attackFactsView(knowledge: AttackKnowledge, options: AttackFactsOptions = {}): AttackFactsView {
  const minimumConfidence = options.minimumConfidence ?? 'medium';
  return {
    technique(id) {
      const technique = knowledge.technique(id);
      if (technique === undefined) return undefined;
      const facts: AttackTechniqueFacts = {
        id: technique.id,
        name: technique.name,
        fullName: technique.fullName,
        tactics: technique.tactics.map((tactic) => tactic.name),
        deprecated: technique.deprecated,
      };
      if (technique.resolvedFrom !== undefined) facts.resolvedFrom = technique.resolvedFrom;
      return facts;
    },
    techniquesForText(text) {
      return knowledge
        .techniquesForText(text, { minimumConfidence })
        .map((match) => ({ id: match.technique.id, reason: match.reason, confidence: match.confidence }));
    },
  };
}

let shared: AttackFactsView | undefined;

/** The facts view over the bundled ATT&CK table, shared process-wide (the data is immutable). */
export function defaultAttackKnowledge(): AttackFactsView {
  shared ??= attackFactsView(attackKnowledge());
  return shared;
}
