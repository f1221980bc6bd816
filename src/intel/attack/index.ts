export { AttackKnowledge, attackKnowledge, type AttackKnowledgeOptions } from './knowledge';
export { keywordRules, type KeywordRule, type RuleTechnique } from './keyword-rules';
export { findTechniqueIds, normalizeTechniqueId } from './technique-id';
export { compactAttackSchema, loadBundledCompactAttack, type CompactAttack } from './compact-data';
export type {
  CategoryMapping,
  Confidence,
  DataComponentInfo,
  GroupInfo,
  SoftwareInfo,
  TacticInfo,
  TechniqueInfo,
  TechniqueMatch,
  TextMappingOptions,
} from './types';
export {
  attackFactsView,
  defaultAttackKnowledge,
  type AttackFactsOptions,
  type AttackFactsView,
  type AttackTechniqueCandidate,
  type AttackTechniqueFacts,
} from './facts';
