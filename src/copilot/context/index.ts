/**
 * Context gathering for the copilot's capabilities: an incident or an alert with everything around it, from
 * the data source, threat intelligence and ATT&CK, with per-source time-outs and gaps instead of failures.
 */
export { gatherAlertContext, gatherIncidentContext } from './gather';
export {
  contextForPrompt,
  contextItems,
  estimateTokens,
  selectWithinBudget,
  type BudgetSelection,
  type ContextPrompt,
  type PromptItem,
} from './budget';
export {
  affectedUserPrincipalNames,
  buildEvidence,
  correlationValues,
  entityEvidenceId,
  incidentFromAlerts,
  publicIndicators,
  sortAlertsByActivity,
  userEvidenceId,
} from './evidence';
export { incidentInputFromJson } from './input';
export { techniquesForAlerts, threatsForIncident } from './threats';
export { GatherAbortedError, SourceTimeoutError, mapSettledBounded, withTimeout } from './concurrency';
export {
  contextSources,
  type AlertContext,
  type AttackCatalog,
  type ContextDependencies,
  type ContextGap,
  type ContextSource,
  type ContextTechnique,
  type ContextThreat,
  type EnrichmentLookup,
  type EvidenceItem,
  type GatherOptions,
  type GatheredContext,
  type IncidentContext,
  type IncidentInput,
  type RelatedAlert,
} from './types';
