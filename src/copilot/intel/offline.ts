import type { EnrichmentResult, IndicatorEnrichment } from '../../intel/enrichment';
import { classifyIndicator, isNonPublic } from './indicators';
import type { AnalyzedIndicator, IntelAction, IntelAssociation, IntelTechnique, ThreatIntelAnalysis } from './schema';
import { verdicts } from './schema';

/** The enrichment of one indicator as the analysis shows it: classification, verdict, each provider's word. */
export function analyzedIndicator(entry: IndicatorEnrichment): AnalyzedIndicator {
  const classification = classifyIndicator(entry.indicator);
  const analyzed: AnalyzedIndicator = {
    type: entry.indicator.type,
    value: entry.indicator.value,
    ...classification,
    verdict: entry.verdict,
    verdictSummary: entry.summary,
    providers: entry.evidence.map((evidence) => {
      const provider: AnalyzedIndicator['providers'][number] = {
        provider: evidence.provider,
        verdict: evidence.verdict,
        detail: evidence.detail,
        cached: evidence.cached,
        checkedAt: evidence.checkedAt,
      };
      if (evidence.score !== undefined) provider.score = evidence.score.label;
      if (evidence.reference !== undefined) provider.reference = evidence.reference;
      return provider;
    }),
    failures: entry.failures.map((failure) => ({
      provider: failure.provider,
      kind: failure.kind,
      message: failure.message,
    })),
    tags: [...entry.associations.tags],
    malwareFamilies: [...entry.associations.malwareFamilies],
    groups: [...entry.associations.groups],
  };
  if (entry.notLookedUp !== undefined) analyzed.notLookedUp = entry.notLookedUp.message;
  return analyzed;
}

function rank(verdict: AnalyzedIndicator['verdict']): number {
  return verdicts.indexOf(verdict);
}

/**
 * The deterministic recommendation for one indicator. Only provider verdicts and where the indicator sits
 * decide it: the text around the indicators is attacker-writable ("this IP is benign, ignore it") and is
 * never read here.
 */
export function offlineAction(indicator: AnalyzedIndicator): IntelAction {
  const base = { type: indicator.type, indicator: indicator.value };
  const flaggedBy = indicator.providers
    .filter((provider) => provider.verdict === indicator.verdict)
    .map((p) => p.provider);
  const by = flaggedBy.length > 0 ? ` by ${flaggedBy.join(', ')}` : '';
  if (isNonPublic(indicator.classification)) {
    const reason =
      indicator.classification === 'documentation' || indicator.classification === 'reservedName'
        ? 'A documentation or internal name: it cannot be an attacker on the internet, so there is nothing to block.'
        : 'Not a public address: it is inside your network or special-purpose. Find the host it belongs to rather than block it.';
    return { ...base, action: 'ignore', reason };
  }
  if (indicator.classification === 'knownBenign') {
    return indicator.verdict === 'malicious' || indicator.verdict === 'suspicious'
      ? {
          ...base,
          action: 'watch',
          reason: `Flagged ${indicator.verdict}${by}, but it is a well-known service: blocking it would break legitimate traffic. Watch and check the specific connections.`,
        }
      : { ...base, action: 'ignore', reason: 'A well-known service; nothing points at it being malicious.' };
  }
  switch (indicator.verdict) {
    case 'malicious':
      return { ...base, action: 'block', reason: `Rated malicious${by}.` };
    case 'suspicious':
      return {
        ...base,
        action: 'watch',
        reason: `Rated suspicious${by}: hunt for it and block if it shows up in your logs.`,
      };
    case 'harmless':
      return { ...base, action: 'ignore', reason: `Rated harmless${by}.` };
    default:
      return {
        ...base,
        action: 'watch',
        reason:
          indicator.notLookedUp !== undefined && /no threat-intelligence provider/i.test(indicator.notLookedUp)
            ? 'No threat-intelligence provider is configured, so there is no verdict: hunt for it before deciding.'
            : indicator.failures.length > 0 && indicator.providers.length === 0
              ? 'Every lookup failed, so there is no verdict: hunt for it and look it up again later.'
              : 'No provider has a verdict for it: hunt for it before deciding.',
      };
  }
}

export interface OfflineAssessmentInput {
  indicators: AnalyzedIndicator[];
  techniques: IntelTechnique[];
  associations: IntelAssociation[];
  enrichment: EnrichmentResult;
}

/** The overall verdict, a summary built only from the facts, and how confident the facts make it. */
export function offlineAssessment(input: OfflineAssessmentInput): ThreatIntelAnalysis['assessment'] {
  const { indicators, techniques, associations, enrichment } = input;
  const overallVerdict = indicators.reduce<AnalyzedIndicator['verdict']>(
    (worst, indicator) => (rank(indicator.verdict) > rank(worst) ? indicator.verdict : worst),
    'unknown',
  );
  const sentences: string[] = [];
  const external = indicators.filter((indicator) => !isNonPublic(indicator.classification));
  const internal = indicators.length - external.length;
  const counts = verdicts
    .slice()
    .reverse()
    .map((verdict) => ({ verdict, count: indicators.filter((indicator) => indicator.verdict === verdict).length }))
    .filter((entry) => entry.count > 0)
    .map((entry) => `${entry.count} ${entry.verdict}`);
  if (indicators.length === 0) {
    sentences.push('The text holds no IP address, domain, URL or file hash to look up.');
  } else {
    sentences.push(
      `${indicators.length} indicator${indicators.length === 1 ? '' : 's'} (${external.length} external${
        internal > 0 ? `, ${internal} internal, documentation or special-purpose` : ''
      }): ${counts.join(', ')}.`,
    );
  }
  const malicious = indicators
    .filter((indicator) => indicator.verdict === 'malicious')
    .map((indicator) => indicator.value);
  if (malicious.length > 0)
    sentences.push(`Rated malicious: ${malicious.slice(0, 5).join(', ')}${malicious.length > 5 ? ' and more' : ''}.`);
  if (enrichment.providers.length === 0 && indicators.length > 0) {
    sentences.push('No threat-intelligence provider is configured, so no verdict comes from outside.');
  }
  if (techniques.length > 0) {
    sentences.push(
      `The text shows ${techniques
        .slice(0, 4)
        .map((technique) => `${technique.id} ${technique.name}`)
        .join('; ')}${techniques.length > 4 ? ' and more' : ''}.`,
    );
  }
  if (associations.length > 0) {
    sentences.push(
      `ATT&CK knows ${associations
        .slice(0, 4)
        .map(
          (association) =>
            `${association.name} (${association.id}, ${association.kind === 'group' ? 'threat group' : (association.softwareType ?? 'software')})`,
        )
        .join(', ')}, named in the input.`,
    );
  }

  const answered = external.filter((indicator) => indicator.providers.length > 0);
  const corroborated = external.some(
    (indicator) =>
      indicator.verdict !== 'unknown' &&
      indicator.providers.filter((provider) => provider.verdict === indicator.verdict).length >= 2,
  );
  let confidence: ThreatIntelAnalysis['assessment']['confidence'];
  let rationale: string;
  if (external.length === 0) {
    confidence = indicators.length === 0 && techniques.length > 0 ? 'low' : 'high';
    rationale =
      indicators.length === 0
        ? 'Only the text itself was analysed; no indicator was there to check.'
        : 'Every indicator is internal, documentation or special-purpose, which is certain from the address or name alone.';
  } else if (corroborated && answered.length === external.length) {
    confidence = 'high';
    rationale = 'Several providers agree, and every external indicator has at least one provider answer.';
  } else if (answered.length > 0) {
    confidence = 'medium';
    rationale = `${answered.length} of ${external.length} external indicators have a provider answer${corroborated ? '' : ', none confirmed by a second provider'}.`;
  } else {
    confidence = 'low';
    rationale =
      enrichment.providers.length === 0
        ? 'No threat-intelligence provider is configured, so the external indicators have no verdict.'
        : 'No provider answered for the external indicators.';
  }
  return { overallVerdict, summary: sentences.join(' '), confidence, rationale };
}
