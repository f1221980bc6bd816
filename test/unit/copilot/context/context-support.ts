import { attackKnowledge } from '../../../../src/intel/attack';
import { defaultAttackKnowledge } from '../../../../src/intel/attack/facts';
import type { ContextDependencies, EnrichmentLookup } from '../../../../src/copilot/context';
import { DemoSecurityDataSource } from '../../../../src/sources/demo';
import type { SecurityDataSource } from '../../../../src/sources/port';

/** Shared inputs for the context, investigate and report tests: a demo source at a fixed time. */
export const fixedNow = new Date('2025-06-01T12:00:00.000Z');

export const demoIncidentIds = ['42', '43', '44', '45', '46', '47', '48', '49'];

export function demoSource(): DemoSecurityDataSource {
  return new DemoSecurityDataSource({ clock: () => fixedNow });
}

/** Enrichment with no provider: every indicator unknown, as the bot runs without keys. */
export const noProviderEnrichment: EnrichmentLookup = {
  async enrich(indicators) {
    return {
      providers: [],
      indicators: indicators.map((indicator) => ({
        indicator: { type: indicator.type, value: indicator.value },
        verdict: 'unknown' as const,
        summary: 'no threat-intelligence provider configured',
        notLookedUp: {
          reason: 'no-provider-configured' as const,
          message: 'no threat-intelligence provider configured',
        },
        evidence: [],
        failures: [],
        associations: { malwareFamilies: [], groups: [], tags: [] },
      })),
    };
  },
};

export function contextDependencies(overrides: Partial<ContextDependencies> = {}): ContextDependencies {
  return {
    dataSource: demoSource(),
    attack: defaultAttackKnowledge(),
    attackKnowledge: attackKnowledge(),
    enrichment: noProviderEnrichment,
    clock: () => fixedNow,
    ...overrides,
  };
}

/** A data source whose chosen methods fail or never answer, the rest from the demo. */
export function brokenSource(
  behaviour: Partial<Record<keyof SecurityDataSource, 'fail' | 'hang'>>,
  base: SecurityDataSource = demoSource(),
): SecurityDataSource {
  const wrap = <Args extends unknown[], Result>(
    name: keyof SecurityDataSource,
    method: (...args: Args) => Promise<Result>,
  ): ((...args: Args) => Promise<Result>) => {
    const mode = behaviour[name];
    if (mode === 'fail') return async () => Promise.reject(new Error('connection reset by peer'));
    if (mode === 'hang') return () => new Promise<Result>(() => undefined);
    return method;
  };
  return {
    name: base.name,
    listAlerts: wrap('listAlerts', (query) => base.listAlerts(query)),
    getAlert: wrap('getAlert', (id: string) => base.getAlert(id)),
    listIncidents: wrap('listIncidents', (query) => base.listIncidents(query)),
    getIncident: wrap('getIncident', (id: string) => base.getIncident(id)),
    getUserContext: wrap('getUserContext', (upn: string) => base.getUserContext(upn)),
    runHuntingQuery: wrap('runHuntingQuery', (query: string, options) => base.runHuntingQuery(query, options)),
  };
}
