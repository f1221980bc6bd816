import type { AccessToken, TokenCredential } from '@azure/identity';
import { z } from 'zod';
import { getJson, parseBody, type FetchFunction } from '../http';
import { ThreatIntelError, isThreatIntelError } from '../provider-error';
import type { Clock } from '../rate-limiter';
import type { Indicator, ProviderFinding, ThreatIntelProvider, Verdict } from '../types';
import { emptyAssociations } from '../types';
import { joinUrl, uniqueLimited } from './mapping';

/**
 * Microsoft Defender Threat Intelligence through Microsoft Graph v1.0
 * (https://learn.microsoft.com/graph/api/security-host-get-reputation): GET
 * /v1.0/security/threatIntelligence/hosts/{host}/reputation with an app token for
 * https://graph.microsoft.com/.default (application permission ThreatIntelligence.Read.All). The reputation
 * resource alone carries what a verdict needs (classification, score 0-100, the rules behind it), so one call
 * per host is enough; GET /hosts/{host} would add only first/last-seen dates and registrar details.
 */

export const GRAPH_BASE_URL = 'https://graph.microsoft.com';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** Refresh this long before expiry, so a token never runs out between getting it and Graph checking it. */
const TOKEN_REFRESH_MARGIN_MS = 2 * 60 * 1000;

const HostReputationSchema = z.object({
  classification: z.string(),
  score: z.number().nullable().optional(),
  rules: z
    .array(
      z.object({
        name: z.string().nullable().optional(),
        description: z.string().nullable().optional(),
        severity: z.string().nullable().optional(),
      }),
    )
    .nullable()
    .optional(),
});
type HostReputation = z.infer<typeof HostReputationSchema>;

export interface MdtiOptions {
  credential: TokenCredential;
  baseUrl?: string;
  fetch?: FetchFunction;
  clock?: Clock;
}

export function mdtiProvider(options: MdtiOptions): ThreatIntelProvider {
  const name = 'Microsoft Defender TI';
  const baseUrl = options.baseUrl ?? GRAPH_BASE_URL;
  const clock = options.clock ?? Date.now;
  let cachedToken: AccessToken | undefined;

  async function bearerToken(signal: AbortSignal | undefined): Promise<string> {
    if (cachedToken !== undefined && cachedToken.expiresOnTimestamp - TOKEN_REFRESH_MARGIN_MS > clock()) {
      return cachedToken.token;
    }
    let token: AccessToken | null;
    try {
      token = await options.credential.getToken(GRAPH_SCOPE, { abortSignal: signal });
    } catch (error) {
      if (signal?.aborted && isThreatIntelError(signal.reason)) throw signal.reason;
      // Only the error's class name: identity errors quote tenant and client ids and the authority's answer.
      const kind = error instanceof Error ? error.name : 'unknown error';
      throw new ThreatIntelError(name, 'auth', `could not get a Microsoft Graph token (${kind})`);
    }
    if (token === null) throw new ThreatIntelError(name, 'auth', 'the credential returned no Microsoft Graph token');
    cachedToken = token;
    return token.token;
  }

  return {
    id: 'mdti',
    name,
    supports: (indicator) => indicator.type === 'ipv4' || indicator.type === 'ipv6' || indicator.type === 'domain',
    async lookup(indicator, signal) {
      const token = await bearerToken(signal);
      const outcome = await getJson(options.fetch ?? fetch, {
        provider: name,
        url: joinUrl(
          baseUrl,
          `v1.0/security/threatIntelligence/hosts/${encodeURIComponent(indicator.value)}/reputation`,
        ),
        headers: { authorization: `Bearer ${token}` },
        signal,
      });
      if (outcome.kind === 'not-found') {
        return {
          verdict: 'unknown',
          detail: 'Microsoft Defender Threat Intelligence has no record of it.',
          associations: emptyAssociations(),
        };
      }
      return mapHostReputation(indicator, parseBody(name, HostReputationSchema, outcome.body));
    },
  };
}

const CLASSIFICATIONS: Readonly<Record<string, Verdict>> = {
  malicious: 'malicious',
  suspicious: 'suspicious',
  neutral: 'harmless',
  unknown: 'unknown',
};

const SEVERITY_ORDER = ['high', 'medium', 'low', 'unknown'];

export function mapHostReputation(indicator: Indicator, reputation: HostReputation): ProviderFinding {
  const classification = reputation.classification.toLowerCase();
  // unknownFutureValue and anything Graph adds later: we do not guess.
  const verdict = Object.hasOwn(CLASSIFICATIONS, classification) ? CLASSIFICATIONS[classification] : 'unknown';
  const rules = [...(reputation.rules ?? [])].sort(
    (left, right) => severityRank(left.severity) - severityRank(right.severity),
  );
  const ruleLines = uniqueLimited(
    rules.map((rule) => {
      const severity = rule.severity ? ` (${rule.severity})` : '';
      return rule.description
        ? `${rule.name ?? 'rule'}${severity}: ${rule.description}`
        : `${rule.name ?? 'rule'}${severity}`;
    }),
    3,
    160,
  );
  const score = reputation.score ?? undefined;
  const parts = [`Classified ${classification}${score === undefined ? '' : `, score ${score}/100`}`];
  if (ruleLines.length > 0) parts.push(`Rules: ${ruleLines.join('; ')}`);
  return {
    verdict,
    score: score === undefined ? undefined : { value: score, max: 100, label: `score ${score}/100` },
    detail: `${parts.join('. ')}.`,
    reference: `https://ti.defender.microsoft.com/search?query=${encodeURIComponent(indicator.value)}`,
    associations: emptyAssociations(),
  };
}

function severityRank(severity: string | null | undefined): number {
  const index = SEVERITY_ORDER.indexOf((severity ?? 'unknown').toLowerCase());
  return index === -1 ? SEVERITY_ORDER.length : index;
}
