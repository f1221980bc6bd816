/** Adaptive Card 1.5 builders: pure functions from typed results to card JSON (DESIGN: layers). */
export { alertCard } from './alert-card';
export type { AlertCardOptions } from './alert-card';
export { alertExplanationCard, engineLine } from './alert-explanation-card';
export { enrichmentCard } from './enrichment-card';
export { errorCard } from './error-card';
export { workingCard } from './working-card';
export { techniqueCard, type TechniqueCardInput } from './technique-card';
export { huntingQueryCard } from './hunt-card';
export type { ErrorCardInput } from './error-card';
export { helpCard, unknownInputCard, welcomeCard } from './guide-cards';
export type { CapabilityGuide } from './guide-cards';
export { attackTechniqueUrl, portalLink } from './links';
export type { SafeUrl } from './links';
export { CARD_BUDGET_BYTES, TEAMS_CARD_LIMIT_BYTES, cardByteSize, fitCard } from './size-guard';
export type { FitResult } from './size-guard';
export { VERBS, AlertActionDataSchema } from './verbs';
export type { AlertActionData, Verb } from './verbs';
export type { AdaptiveCard } from './card-kit';
