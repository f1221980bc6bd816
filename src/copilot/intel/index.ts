import type { EnrichmentResult, Indicator } from '../../intel/enrichment';
import { parseIndicator } from '../../intel/enrichment';
import { urlHost } from '../../intel/enrichment/indicator';
import { extractIocs } from '../../intel/iocs';
import type { LlmClient, TokenUsage } from '../../llm/port';
import type { Logger } from '../../logger';
import { groundTechniques } from '../grounding';
import type { AttackFacts } from '../knowledge';
import { answerWithFallback, type CapabilityResult } from '../result';
import { groundedAssociations, type AttackActors } from './associations';
import { suggestHunts } from './hunts';
import { extractIntel, indicatorSpans } from './indicators';
import { analyzedIndicator, offlineAction, offlineAssessment } from './offline';
import { buildIntelMessages } from './prompt';
import {
  IntelAssessmentAnswerSchema,
  ThreatIntelAnalysisSchema,
  boundText,
  confidenceLevels,
  indicatorActions,
  type AnalyzedIndicator,
  type IntelAction,
  type IntelTechnique,
  type ThreatIntelAnalysis,
} from './schema';

export {
  ThreatIntelAnalysisSchema,
  IntelAssessmentAnswerSchema,
  type IntelAssessmentAnswer,
  type ThreatIntelAnalysis,
} from './schema';
export type { AnalyzedIndicator, IntelAction, IntelAssociation, IntelHunt, IntelTechnique } from './schema';
export type { AttackActors } from './associations';
export { extractIntel, enrichableIndicators, maximumIndicatorsPerAnalysis } from './indicators';
export { huntForIndicator, indicatorHuntQuery } from './hunts';

export interface IntelDependencies {
  attack: AttackFacts;
  /** ATT&CK groups and software by name or alias (AttackKnowledge). */
  actors: AttackActors;
  enrichment: {
    enrich(indicators: readonly Indicator[], options?: { signal?: AbortSignal }): Promise<EnrichmentResult>;
  };
  llm?: LlmClient;
  logger: Logger;
  clock?: () => Date;
}

const maximumTechniques = 8;

/**
 * Analyzes threat intel: the indicators in a text (defanged is fine) with their classification and every
 * provider's verdict, the ATT&CK techniques the text shows, the ATT&CK groups and software it or the
 * providers name, hunts that fit, an assessment and a block/watch/ignore recommendation per indicator.
 * The facts are always ours; with an LLM the model writes the assessment and recommendations on top of
 * them and is checked against them; without one (or when it fails) the offline rules do.
 */
export async function analyzeThreatIntel(
  input: { text: string },
  dependencies: IntelDependencies,
  options: { signal?: AbortSignal } = {},
): Promise<CapabilityResult<ThreatIntelAnalysis>> {
  const started = Date.now();
  const text = input.text;
  const extracted = extractIntel(text);
  const enrichment = await dependencies.enrichment.enrich(extracted.indicators, { signal: options.signal });
  const indicators = enrichment.indicators.map(analyzedIndicator);
  const techniques = techniquesIn(
    text,
    extracted.report.attackTechnique.map((ioc) => ioc.value),
    dependencies.attack,
  );
  const providerNames = indicators.flatMap((indicator) =>
    [...indicator.groups, ...indicator.malwareFamilies].map((name) => ({
      name,
      provider: indicator.providers.map((provider) => provider.provider).join(', ') || 'a provider',
    })),
  );
  const associations = groundedAssociations(text, indicatorSpans(extracted.report), providerNames, dependencies.actors);
  const offlineActions = indicators.map(offlineAction);
  const offline = offlineAssessment({ indicators, techniques, associations, enrichment });
  const notes: string[] = [];
  if (extracted.omitted > 0) {
    notes.push(
      `${extracted.omitted} more indicator(s) were not looked up: at most ${extracted.indicators.length} per analysis.`,
    );
  }

  const build = (
    assessment: ThreatIntelAnalysis['assessment'],
    actions: IntelAction[],
    shownTechniques: IntelTechnique[],
  ): ThreatIntelAnalysis =>
    ThreatIntelAnalysisSchema.parse({
      indicators,
      omittedIndicators: extracted.omitted,
      otherObservables: extracted.otherObservables,
      techniques: shownTechniques,
      associations,
      hunts: suggestHunts(
        text,
        shownTechniques.map((technique) => technique.id),
        indicators,
        actions,
        dependencies.attack,
      ),
      assessment,
      actions,
      providers: enrichment.providers,
    });

  return answerWithFallback(
    {
      capability: 'analyzeThreatIntel',
      subject: {},
      started,
      fallbackLog: 'LLM failed; answering threat intel with the offline engine',
      fallbackNote: 'This assessment comes from the offline engine instead.',
      notes,
      online: async (llm) => {
        const answered = await assessWithLlm(llm, {
          text,
          indicators,
          offlineActions,
          techniques,
          associations,
          providers: enrichment.providers,
          offline,
          attack: dependencies.attack,
          signal: options.signal,
        });
        return {
          result: build(answered.assessment, answered.actions, answered.techniques),
          notes: [...notes, ...answered.notes],
          model: answered.model,
          usage: answered.usage,
        };
      },
      offline: () => build(offline, sortActions(offlineActions), techniques),
    },
    dependencies,
    options.signal,
  );
}

/** Technique IDs written in the text first, then what the keyword rules find; only real ATT&CK IDs. */
function techniquesIn(text: string, writtenIds: string[], attack: AttackFacts): IntelTechnique[] {
  const candidates = [
    ...writtenIds.map((id) => ({ id, reason: 'written in the text' })),
    ...attack.techniquesForText(text.slice(0, 50_000)),
  ];
  const seen = new Set<string>();
  const techniques: IntelTechnique[] = [];
  for (const candidate of candidates) {
    const facts = attack.technique(candidate.id);
    if (facts === undefined || seen.has(facts.id)) continue;
    seen.add(facts.id);
    techniques.push({ id: facts.id, name: facts.fullName, tactics: facts.tactics, reason: candidate.reason });
    if (techniques.length === maximumTechniques) break;
  }
  return techniques;
}

interface LlmAssessmentInput {
  text: string;
  indicators: AnalyzedIndicator[];
  offlineActions: IntelAction[];
  techniques: IntelTechnique[];
  associations: ThreatIntelAnalysis['associations'];
  providers: string[];
  offline: ThreatIntelAnalysis['assessment'];
  attack: AttackFacts;
  signal?: AbortSignal;
}

async function assessWithLlm(
  llm: LlmClient,
  input: LlmAssessmentInput,
): Promise<{
  assessment: ThreatIntelAnalysis['assessment'];
  actions: IntelAction[];
  techniques: IntelTechnique[];
  notes: string[];
  model: string;
  usage: TokenUsage;
}> {
  const response = await llm.generateStructured({
    schemaName: 'threat_intel_assessment',
    schema: IntelAssessmentAnswerSchema,
    messages: buildIntelMessages(input),
    temperature: 0.2,
    maxOutputTokens: 1500,
    signal: input.signal,
  });
  const answer = response.value;
  const notes: string[] = [];
  const known = new Map(input.indicators.map((indicator) => [indicator.value, indicator]));

  // Recommendations: only for indicators we extracted, one each, never far below the rules' floor.
  const actions: IntelAction[] = [];
  const unverified: string[] = [];
  const lowered: string[] = [];
  for (const proposed of answer.actions) {
    const indicator = matchIndicator(proposed.indicator, known);
    if (indicator === undefined) {
      unverified.push(shorten(proposed.indicator.trim(), 60));
      continue;
    }
    if (actions.some((action) => action.indicator === indicator.value)) continue;
    const floor = input.offlineActions.find((action) => action.indicator === indicator.value);
    let action = proposed.action;
    if (floor?.action === 'block' && action === 'ignore') {
      action = 'watch';
      lowered.push(indicator.value);
    }
    const reason = markUnverified(boundText(proposed.reason, 400), known, input.attack);
    actions.push({
      type: indicator.type,
      indicator: indicator.value,
      action,
      reason: reason === '' ? (floor?.reason ?? '') : reason,
    });
  }
  if (unverified.length > 0) {
    notes.push(
      `Removed ${unverified.length} recommendation(s) for indicators that are not in your input (unverified): ${unverified.slice(0, 3).join(', ')}${unverified.length > 3 ? ' and more' : ''}.`,
    );
  }
  if (lowered.length > 0) {
    notes.push(
      `The model said to ignore ${lowered.join(', ')}, which a provider rates malicious; shown as watch instead.`,
    );
  }
  const missing = input.offlineActions.filter((action) => !actions.some((kept) => kept.indicator === action.indicator));
  if (missing.length > 0) {
    actions.push(...missing);
    notes.push(
      `Recommendations for ${missing.length} indicator(s) the model did not cover come from the offline rules.`,
    );
  }

  const grounded = groundTechniques(
    answer.techniques.map((technique) => ({ id: technique.id, name: technique.name, tactics: [] })),
    input.attack,
  );
  if (grounded.dropped.length > 0) {
    notes.push(
      `Removed ATT&CK IDs the model gave that do not exist: ${grounded.dropped.map((id) => shorten(id, 24)).join(', ')}.`,
    );
  }
  const techniques = [...input.techniques];
  for (const technique of grounded.kept) {
    if (techniques.length >= maximumTechniques) break;
    if (!techniques.some((existing) => existing.id === technique.id)) {
      techniques.push({ ...technique, reason: 'suggested by the model' });
    }
  }

  const summary = markUnverified(boundText(answer.summary, 1500), known, input.attack);
  if (summary === '') throw new Error('the model returned an empty summary');
  let confidence = answer.confidence;
  const ceiling =
    confidenceLevels[Math.min(confidenceLevels.length - 1, confidenceLevels.indexOf(input.offline.confidence) + 1)];
  if (confidenceLevels.indexOf(confidence) > confidenceLevels.indexOf(ceiling)) {
    notes.push(`The model rated its confidence ${confidence}; the provider answers support at most ${ceiling}.`);
    confidence = ceiling;
  }
  return {
    assessment: {
      // The overall verdict is the providers', not the model's: text cannot talk it up or down.
      overallVerdict: input.offline.overallVerdict,
      summary,
      confidence,
      rationale: markUnverified(boundText(answer.rationale, 600), known, input.attack) || input.offline.rationale,
    },
    actions: sortActions(actions),
    techniques,
    notes,
    model: response.model,
    usage: response.usage,
  };
}

function matchIndicator(value: string, known: Map<string, AnalyzedIndicator>): AnalyzedIndicator | undefined {
  const direct = known.get(value.trim());
  if (direct !== undefined) return direct;
  const parsed = parseIndicator(value);
  return parsed === undefined ? undefined : known.get(parsed.value);
}

/**
 * Marks what the model wrote that is not in the facts: an indicator that was not extracted gets
 * "(unverified)" after it, a technique ID ATT&CK does not have "(not an ATT&CK ID)".
 */
export function markUnverified(text: string, known: Map<string, AnalyzedIndicator>, attack: AttackFacts): string {
  if (text === '') return text;
  const report = extractIocs(text);
  const insertions: Array<{ at: number; mark: string }> = [];
  for (const type of ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256'] as const) {
    for (const ioc of report[type]) {
      if (known.has(ioc.value)) continue;
      // The host of a known URL is not a new indicator.
      if (type === 'domain' && knownHosts(known).has(ioc.value)) continue;
      for (const occurrence of ioc.occurrences) insertions.push({ at: occurrence.end, mark: ' (unverified)' });
    }
  }
  for (const ioc of report.attackTechnique) {
    if (attack.technique(ioc.value) !== undefined) continue;
    for (const occurrence of ioc.occurrences) insertions.push({ at: occurrence.end, mark: ' (not an ATT&CK ID)' });
  }
  // Also IDs the extractor rejects as outside ATT&CK's ranges (T9999): the model must not present them as real.
  for (const match of text.matchAll(/(?<![A-Za-z0-9])T\d{4}(?:\.\d{3})?(?![A-Za-z0-9])/g)) {
    const end = (match.index ?? 0) + match[0].length;
    if (attack.technique(match[0]) === undefined && !insertions.some((insertion) => insertion.at === end)) {
      insertions.push({ at: end, mark: ' (not an ATT&CK ID)' });
    }
  }
  let marked = text;
  for (const insertion of insertions.sort((left, right) => right.at - left.at)) {
    marked = `${marked.slice(0, insertion.at)}${insertion.mark}${marked.slice(insertion.at)}`;
  }
  return marked;
}

function knownHosts(known: Map<string, AnalyzedIndicator>): Set<string> {
  const hosts = new Set<string>();
  for (const indicator of known.values()) {
    if (indicator.type !== 'url') continue;
    const host = urlHost(indicator.value);
    if (host !== undefined) hosts.add(host.toLowerCase());
  }
  return hosts;
}

function sortActions(actions: IntelAction[]): IntelAction[] {
  return actions
    .map((action, index) => ({ action, index }))
    .sort(
      (left, right) =>
        indicatorActions.indexOf(left.action.action) - indicatorActions.indexOf(right.action.action) ||
        left.index - right.index,
    )
    .map(({ action }) => action);
}

function shorten(text: string, maximum: number): string {
  return text.length <= maximum ? text : `${text.slice(0, maximum - 1)}…`;
}
