import { CopilotError } from '../../errors';
import type { LlmClient } from '../../llm/port';
import type { Logger } from '../../logger';
import { entityTypes, type Alert, type EntityType } from '../../sources/model';
import type { SecurityDataSource } from '../../sources/port';
import { alertTextsShownToModel } from '../explain-alert/prompt';
import { groundTechniques, groundValues } from '../grounding';
import type { AttackFacts } from '../knowledge';
import { answerWithFallback, type CapabilityResult } from '../result';
import { alertTactics, furthestStage } from './kill-chain';
import { analyzeAlertOffline, severityOrder } from './offline';
import { buildAnalyzeAlertMessages } from './prompt';
import {
  AlertAnalysisModelSchema,
  boundAnalysis,
  falsePositiveLevels,
  verdicts,
  type AlertAnalysis,
  type AlertAnalysisModelOutput,
  type EntityAssessment,
  type NextStep,
} from './schema';
import type { AttackCatalog, EnrichmentLookup } from '../context';
import { gatherAlertSurroundings, type AlertSurroundings } from './surroundings';

export { AlertAnalysisSchema, type AlertAnalysis } from './schema';

export interface AnalyzeAlertDependencies {
  attack: AttackFacts;
  /** Where related alerts and user context come from; without it the analysis says so in `gaps`. */
  dataSource?: SecurityDataSource;
  /** ATT&CK groups and software, for the context gatherer. */
  attackKnowledge?: AttackCatalog;
  /** Threat intelligence for the alert's public indicators; without it the gaps say so. */
  enrichment?: EnrichmentLookup;
  llm?: LlmClient;
  logger: Logger;
  clock?: () => Date;
  sourceTimeoutMs?: number;
}

/**
 * A deeper analysis of one alert than "explain": ATT&CK mapping with evidence, kill-chain stage, a verdict
 * per entity, related alerts, a severity assessment, false-positive likelihood and next steps. The LLM
 * writes it when configured, checked against the alert and bounded by the deterministic findings;
 * otherwise (or when the model fails) the offline engine answers and the result says why.
 */
export async function analyzeAlert(
  alert: Alert,
  dependencies: AnalyzeAlertDependencies,
  options: { signal?: AbortSignal } = {},
): Promise<CapabilityResult<AlertAnalysis>> {
  const started = Date.now();
  const surroundings: AlertSurroundings = dependencies.dataSource
    ? await gatherAlertSurroundings(
        alert,
        {
          dataSource: dependencies.dataSource,
          attack: dependencies.attack,
          attackKnowledge: dependencies.attackKnowledge,
          enrichment: dependencies.enrichment,
        },
        { timeoutMs: dependencies.sourceTimeoutMs, signal: options.signal },
      )
    : {
        relatedAlerts: [],
        users: new Map(),
        intelligence: new Map(),
        gaps: ['No security data source: related alerts and user context were not looked up.'],
        sources: ['the alert itself', 'MITRE ATT&CK'],
      };
  const offline = boundAnalysis(analyzeAlertOffline(alert, dependencies.attack, surroundings));
  return answerWithFallback(
    {
      capability: 'analyzeAlert',
      subject: { alertId: alert.id, incidentId: alert.incidentId },
      started,
      fallbackLog: 'LLM failed; analysing with the offline engine',
      logFields: { alertId: alert.id },
      fallbackNote: 'This answer comes from the offline engine instead.',
      online: async (llm) => {
        const answer = await llm.generateStructured({
          schemaName: 'alert_analysis',
          schema: AlertAnalysisModelSchema,
          messages: buildAnalyzeAlertMessages(alert, offline, [...surroundings.users.values()]),
          temperature: 0.2,
          maxOutputTokens: 1800,
          signal: options.signal,
        });
        const notes: string[] = [];
        let result: AlertAnalysis;
        try {
          result = boundAnalysis(groundAnalysis(answer.value, alert, offline, dependencies.attack, notes));
        } catch (error) {
          throw new CopilotError('llm_invalid_output', 'the analysis had empty required fields', { cause: error });
        }
        return { result, notes, model: answer.model, usage: answer.usage };
      },
      offline: () => offline,
    },
    dependencies,
    options.signal,
  );
}

const knownEntityTypes = new Set<string>(entityTypes);

/**
 * Checks the model's analysis against the alert and the deterministic findings: invented ATT&CK IDs
 * are dropped, techniques only the model saw are marked "model", entities and step targets that are
 * not in the alert are dropped, and severity, verdicts and false-positive likelihood may not be talked
 * down further than one level below what the facts support (the alert text is attacker-writable).
 */
export function groundAnalysis(
  model: AlertAnalysisModelOutput,
  alert: Alert,
  offline: AlertAnalysis,
  attack: AttackFacts,
  notes: string[],
): AlertAnalysis {
  const alertText = alertTextsShownToModel(alert).join('\n');

  const techniques = groundTechniques(
    model.techniques.map((technique) => ({ id: technique.id, name: '', tactics: [] })),
    attack,
  );
  if (techniques.dropped.length > 0)
    notes.push(
      `Removed ATT&CK IDs the model gave that do not exist: ${techniques.dropped.map((id) => shorten(id, 24)).join(', ')}.`,
    );
  const modelOnly = techniques.kept.filter((kept) => !offline.techniques.some((known) => known.id === kept.id));
  if (modelOnly.length > 0)
    notes.push(
      `Marked as model-proposed (not shown by the alert's own facts): ${modelOnly.map((technique) => technique.id).join(', ')}.`,
    );
  const mergedTechniques = [
    ...offline.techniques,
    ...modelOnly.map((technique) => ({
      id: technique.id,
      name: technique.name,
      tactics: technique.tactics,
      sources: ['model' as const],
      evidence: model.techniques
        .filter((candidate) => attack.technique(candidate.id)?.id === technique.id)
        .map((candidate) => candidate.evidence)
        .slice(0, 2),
    })),
  ].slice(0, 12);

  const entities = groundValues(model.entities, alertText);
  if (entities.dropped.length > 0)
    notes.push(
      `Removed ${entities.dropped.length} entity value(s) the model gave that are not in the alert: ${entities.dropped
        .slice(0, 3)
        .map((entity) => shorten(entity.value, 60))
        .join(', ')}.`,
    );
  const assessed: EntityAssessment[] = [];
  for (const entity of entities.kept) {
    const type = entityTypeFor(entity.type, entity.value, alert);
    if (
      assessed.some(
        (existing) => existing.type === type && existing.value.toLowerCase() === entity.value.trim().toLowerCase(),
      )
    )
      continue;
    const known = offline.entities.find(
      (candidate) => candidate.value.toLowerCase() === entity.value.trim().toLowerCase(),
    );
    let verdict = entity.verdict;
    if (known !== undefined && verdicts.indexOf(verdict) > verdicts.indexOf(known.verdict) + 1) {
      notes.push(
        `The model rated ${shorten(entity.value, 60)} ${verdict}; the source's facts say ${known.verdict}, so it is shown as ${known.verdict}.`,
      );
      verdict = known.verdict;
    }
    assessed.push({
      type,
      value: entity.value.trim(),
      role: entity.role,
      verdict,
      reasons: [entity.reason, ...(known?.reasons ?? [])].slice(0, 5),
    });
  }
  // Entities the model left out keep their deterministic assessment: a quiet model must not hide one.
  for (const known of offline.entities) {
    if (!assessed.some((entity) => entity.value.toLowerCase() === known.value.toLowerCase())) assessed.push(known);
  }

  const steps = groundValues(
    model.nextSteps.map((step) => ({ ...step, value: step.entityValue })),
    alertText,
  );
  if (steps.dropped.length > 0)
    notes.push(
      `Removed ${steps.dropped.length} next step(s) aimed at something not in the alert: ${steps.dropped
        .slice(0, 3)
        .map((step) => shorten(step.entityValue, 60))
        .join(', ')}.`,
    );
  let nextSteps: NextStep[] = steps.kept.map((step) => ({
    action: step.action,
    target: { type: entityTypeFor(step.entityType, step.entityValue, alert), value: step.entityValue.trim() },
    why: step.why,
  }));
  if (nextSteps.length === 0) {
    notes.push("None of the model's next steps named an entity of the alert; the rule-based steps are shown.");
    nextSteps = offline.nextSteps;
  }

  const severityFloor = severityOrder[Math.max(0, severityOrder.indexOf(offline.severity.assessed) - 1)];
  let assessedSeverity = model.severity.level;
  if (severityOrder.indexOf(assessedSeverity) < severityOrder.indexOf(severityFloor)) {
    notes.push(
      `The model rated the severity ${assessedSeverity}; the alert's facts support at least ${severityFloor}, so it is shown as ${severityFloor}.`,
    );
    assessedSeverity = severityFloor;
  }
  const falsePositiveCeiling =
    falsePositiveLevels[
      Math.min(falsePositiveLevels.length - 1, falsePositiveLevels.indexOf(offline.falsePositive.likelihood) + 1)
    ];
  let likelihood = model.falsePositive.likelihood;
  if (falsePositiveLevels.indexOf(likelihood) > falsePositiveLevels.indexOf(falsePositiveCeiling)) {
    notes.push(
      `The model rated the false-positive likelihood ${likelihood}; the alert's facts support at most ${falsePositiveCeiling}, so it is shown as ${falsePositiveCeiling}.`,
    );
    likelihood = falsePositiveCeiling;
  }

  const tactics = alertTactics(alert, mergedTechniques);
  const stage = furthestStage(tactics);
  return {
    summary: model.summary,
    techniques: mergedTechniques,
    killChain:
      stage === offline.killChain.stage
        ? offline.killChain
        : { stage: stage ?? 'Unknown', tactics, description: offline.killChain.description },
    entities: assessed.slice(0, 15),
    relatedAlerts: offline.relatedAlerts,
    sources: offline.sources,
    severity: { vendor: alert.severity, assessed: assessedSeverity, reasons: model.severity.reasons },
    falsePositive: { likelihood, reasons: model.falsePositive.reasons },
    nextSteps: nextSteps.slice(0, 8),
    gaps: offline.gaps,
  };
}

/** The model's type when it is one of ours, else the type the alert lists for the value, else "other". */
function entityTypeFor(claimed: string, value: string, alert: Alert): EntityType {
  const trimmed = claimed.trim();
  if (knownEntityTypes.has(trimmed)) return trimmed as EntityType;
  const listed = alert.entities.find((entity) => entity.value.trim().toLowerCase() === value.trim().toLowerCase());
  return listed?.type ?? 'other';
}

function shorten(text: string, maximum: number): string {
  const trimmed = text.trim();
  return trimmed.length <= maximum ? trimmed : `${trimmed.slice(0, maximum - 1)}…`;
}
