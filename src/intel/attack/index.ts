export { AttackKnowledge, attackKnowledge, type AttackKnowledgeOptions } from './knowledge';
export { keywordRules, type KeywordRule, type RuleTechnique } from './keyword-rules';
export { findTechniqueIds, normalizeTechniqueId } from './technique-id';
export { compactAttackSchema, loadBundledCompactAttack, type CompactAttack } from './compact-data';
export { attackStixPathVariable, loadTechniqueDetails, type BundleSummary, type LoadedDetails } from './bundle-details';
export { attackKnowledgeFor, attackStixPath } from './environment';
export { firstParagraph, plainAttackText } from './attack-text';
export { describeTechniqueQuery, type TechniqueQuery } from './technique-query';
export type {
  AnalyticInfo,
  CategoryMapping,
  Confidence,
  DataComponentInfo,
  DataComponentUse,
  DetectionGuidance,
  GroupInfo,
  LogSourceReference,
  MitigationInfo,
  SoftwareInfo,
  TacticInfo,
  TechniqueDetails,
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
