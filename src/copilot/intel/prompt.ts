import type { LlmMessage } from '../../llm/port';
import { fenceUntrusted, untrustedDataRule } from '../untrusted';
import type { AnalyzedIndicator, IntelAction, IntelAssociation, IntelTechnique } from './schema';

export const intelSystemPrompt = [
  'You are a senior threat-intelligence analyst in a security operations centre.',
  'You are given indicators extracted from an analyst’s message, what threat-intelligence providers said about each, the ATT&CK techniques and ATT&CK groups or software found for the text, and the text itself.',
  'Write an assessment (summary, confidence, rationale) and one recommendation per indicator: block, watch or ignore, with a one-sentence reason.',
  'Use only the facts you are given. Never add an indicator, verdict, threat actor, malware family or campaign that is not in the facts; if something is unknown, say it is unknown.',
  'Recommendations must name indicators exactly as they appear in the indicator list. Internal, documentation and special-purpose addresses are never blocked.',
  'Only cite ATT&CK technique IDs from the reference list or written in the text.',
  untrustedDataRule,
  'Answer with JSON that matches the given schema.',
].join('\n');

const maximumTextLength = 12_000;
const maximumDetailLength = 300;

function cut(text: string, maximum: number): string {
  return text.length <= maximum ? text : `${text.slice(0, maximum)}…`;
}

export interface IntelPromptFacts {
  text: string;
  indicators: AnalyzedIndicator[];
  offlineActions: IntelAction[];
  techniques: IntelTechnique[];
  associations: IntelAssociation[];
  providers: string[];
}

/**
 * Facts we stand behind (classification, verdicts, ATT&CK) go in the clear; everything someone else wrote
 * (the pasted text, providers' descriptions and tags) goes inside fences.
 */
export function buildIntelMessages(facts: IntelPromptFacts): LlmMessage[] {
  const indicators = facts.indicators.map((indicator) => ({
    indicator: indicator.value,
    type: indicator.type,
    classification: indicator.classification,
    verdict: indicator.verdict,
    providers: indicator.providers.map((provider) => ({
      provider: provider.provider,
      verdict: provider.verdict,
      score: provider.score,
    })),
    failedProviders: indicator.failures.map((failure) => `${failure.provider} (${failure.kind})`),
    notLookedUp: indicator.notLookedUp,
    ruleBasedRecommendation: facts.offlineActions.find((action) => action.indicator === indicator.value)?.action,
  }));
  const providerText = facts.indicators
    .filter((indicator) => indicator.providers.length > 0 || indicator.tags.length > 0)
    .map((indicator) => ({
      indicator: indicator.value,
      details: indicator.providers.map(
        (provider) => `${provider.provider}: ${cut(provider.detail, maximumDetailLength)}`,
      ),
      tags: indicator.tags.slice(0, 10),
      malwareFamilies: indicator.malwareFamilies.slice(0, 8),
      groups: indicator.groups.slice(0, 6),
    }));
  const reference = {
    techniques: facts.techniques.map((technique) => ({
      id: technique.id,
      name: technique.name,
      tactics: technique.tactics,
    })),
    attackGroupsAndSoftware: facts.associations.map((association) => ({
      id: association.id,
      name: association.name,
      kind: association.kind,
      why: association.evidence,
    })),
  };
  return [
    { role: 'system', content: intelSystemPrompt },
    {
      role: 'user',
      content: [
        'Assess these indicators.',
        '',
        `Threat-intelligence providers configured: ${facts.providers.length === 0 ? 'none' : facts.providers.join(', ')}.`,
        'Indicators and provider verdicts (trusted facts):',
        JSON.stringify(indicators),
        '',
        'ATT&CK reference (trusted, from the MITRE ATT&CK knowledge base):',
        JSON.stringify(reference),
        '',
        fenceUntrusted('provider descriptions and tags', JSON.stringify(providerText)),
        '',
        fenceUntrusted('analyst-pasted text', cut(facts.text, maximumTextLength)),
      ].join('\n'),
    },
  ];
}
