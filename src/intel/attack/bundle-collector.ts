import type { z } from 'zod';
import { plainAttackText } from './attack-text';
import {
  analyticSchema,
  attackIdOf,
  attackPatternSchema,
  courseOfActionSchema,
  dataComponentSchema,
  detectionStrategySchema,
  firstIssue,
  isLive,
  relationshipSchema,
  type StixAnalytic,
  type StixAttackPattern,
  type StixCourseOfAction,
  type StixDataComponent,
  type StixDetectionStrategy,
  type StixRelationship,
} from './bundle-schemas';
import { StixFormatError } from './stix-stream';
import type {
  AnalyticInfo,
  DataComponentUse,
  DetectionGuidance,
  LogSourceReference,
  MitigationInfo,
  TechniqueDetails,
} from './types';

const attackSite = 'https://attack.mitre.org';

interface Collected {
  techniques: StixAttackPattern[];
  strategies: Map<string, StixDetectionStrategy>;
  analytics: Map<string, StixAnalytic>;
  components: Map<string, StixDataComponent>;
  mitigations: Map<string, StixCourseOfAction>;
  detects: StixRelationship[];
  mitigates: StixRelationship[];
}

const schemasByType: Record<string, z.ZodTypeAny> = {
  'attack-pattern': attackPatternSchema,
  'x-mitre-detection-strategy': detectionStrategySchema,
  'x-mitre-analytic': analyticSchema,
  'x-mitre-data-component': dataComponentSchema,
  'course-of-action': courseOfActionSchema,
  relationship: relationshipSchema,
};

/**
 * Receives the bundle's objects one at a time and keeps, of the types technique details need, only the fields they
 * need; then builds the per-technique details. Everything else is dropped as it streams past.
 */
export class TechniqueDetailsCollector {
  private readonly collected: Collected = {
    techniques: [],
    strategies: new Map(),
    analytics: new Map(),
    components: new Map(),
    mitigations: new Map(),
    detects: [],
    mitigates: [],
  };
  newestModified = '';

  add(stixObject: unknown): void {
    if (stixObject === null || typeof stixObject !== 'object' || Array.isArray(stixObject)) {
      throw new StixFormatError('an element of "objects" is not a JSON object');
    }
    const { type, modified } = stixObject as { type?: unknown; modified?: unknown };
    if (typeof modified === 'string' && modified > this.newestModified) this.newestModified = modified;
    if (typeof type !== 'string' || !Object.hasOwn(schemasByType, type)) return;
    // Nine in ten relationships are "uses", which details do not need: skipping them before validation saves time.
    const relationshipType = (stixObject as { relationship_type?: unknown }).relationship_type;
    if (type === 'relationship' && relationshipType !== 'detects' && relationshipType !== 'mitigates') return;
    const parsed = schemasByType[type].safeParse(stixObject);
    if (!parsed.success) {
      const id = (stixObject as { id?: unknown }).id;
      throw new StixFormatError(
        `the ${type} ${typeof id === 'string' ? id : '(no id)'} is malformed: ${firstIssue(parsed.error)}`,
      );
    }
    this.keep(type, parsed.data);
  }

  private keep(type: string, data: unknown): void {
    const collected = this.collected;
    switch (type) {
      case 'attack-pattern': {
        const technique = data as StixAttackPattern;
        // Bundles for other domains (mobile-attack, ics-attack) reuse the T-number space; only Enterprise is ours.
        const enterprise = (technique.x_mitre_domains ?? ['enterprise-attack']).includes('enterprise-attack');
        if (!enterprise || attackIdOf(technique) === undefined) return;
        collected.techniques.push(technique);
        return;
      }
      case 'x-mitre-detection-strategy': {
        const strategy = data as StixDetectionStrategy;
        collected.strategies.set(strategy.id, strategy);
        return;
      }
      case 'x-mitre-analytic': {
        const analytic = data as StixAnalytic;
        collected.analytics.set(analytic.id, analytic);
        return;
      }
      case 'x-mitre-data-component': {
        const component = data as StixDataComponent;
        collected.components.set(component.id, component);
        return;
      }
      case 'course-of-action': {
        const mitigation = data as StixCourseOfAction;
        collected.mitigations.set(mitigation.id, mitigation);
        return;
      }
      case 'relationship': {
        const relationship = data as StixRelationship;
        if (!isLive(relationship)) return;
        if (relationship.relationship_type === 'detects') collected.detects.push(relationship);
        if (relationship.relationship_type === 'mitigates') collected.mitigates.push(relationship);
        return;
      }
    }
  }

  /** The number of Enterprise techniques with an ATT&CK ID seen so far; zero means this is not the bundle we need. */
  get techniqueCount(): number {
    return this.collected.techniques.length;
  }

  /** Details per ATT&CK technique ID, for every technique that is not revoked (revoked IDs resolve to others). */
  build(): Map<string, TechniqueDetails> {
    const assembler = new DetailsAssembler(this.collected);
    const details = new Map<string, TechniqueDetails>();
    for (const technique of this.collected.techniques) {
      const id = attackIdOf(technique) as string; // only techniques with an ID are collected
      if (technique.revoked !== true) details.set(id, assembler.details(id, technique));
    }
    return details;
  }
}

/** Builds details from the collected objects; plain texts are computed once and shared between techniques. */
class DetailsAssembler {
  private readonly strategiesByTechnique = new Map<string, StixDetectionStrategy[]>();
  private readonly componentsByTechnique = new Map<string, StixDataComponent[]>();
  private readonly mitigationsByTechnique = new Map<string, StixRelationship[]>();
  private readonly plainTexts = new Map<string, string>();
  private readonly componentNames = new Map<string, string>();

  constructor(private readonly collected: Collected) {
    for (const component of collected.components.values()) {
      const id = attackIdOf(component);
      if (id !== undefined) this.componentNames.set(id, component.name);
    }
    for (const relationship of collected.detects) {
      const strategy = collected.strategies.get(relationship.source_ref);
      if (strategy !== undefined && isLive(strategy)) {
        append(this.strategiesByTechnique, relationship.target_ref, strategy);
      }
      // ATT&CK v11–v17 linked data components to techniques directly.
      const component = collected.components.get(relationship.source_ref);
      if (component !== undefined && isLive(component)) {
        append(this.componentsByTechnique, relationship.target_ref, component);
      }
    }
    for (const relationship of collected.mitigates) {
      append(this.mitigationsByTechnique, relationship.target_ref, relationship);
    }
  }

  details(id: string, technique: StixAttackPattern): TechniqueDetails {
    const strategies = (this.strategiesByTechnique.get(technique.id) ?? []).map((strategy) => this.strategy(strategy));
    const detection: DetectionGuidance[] = [...strategies];
    const legacy = technique.x_mitre_detection === undefined ? '' : plainAttackText(technique.x_mitre_detection);
    // Bundles before v18 have no strategies, only this free-text field; v18 leaves it empty.
    if (detection.length === 0 && legacy !== '') {
      detection.push({ name: 'Detection', description: legacy, analytics: [] });
    }
    return {
      id,
      description: technique.description === undefined ? '' : plainAttackText(technique.description),
      detection,
      mitigations: this.mitigations(technique.id),
      dataComponents: this.dataComponents(technique.id, strategies),
    };
  }

  private strategy(strategy: StixDetectionStrategy): DetectionGuidance {
    const id = attackIdOf(strategy);
    const analytics = strategy.x_mitre_analytic_refs
      .map((stixId) => this.collected.analytics.get(stixId))
      .filter((analytic): analytic is StixAnalytic => analytic !== undefined && isLive(analytic))
      .map((analytic) => this.analytic(analytic))
      .filter((analytic): analytic is AnalyticInfo => analytic !== undefined);
    if (id === undefined) return { name: strategy.name, analytics };
    return { id, name: strategy.name, url: `${attackSite}/detectionstrategies/${id}/`, analytics };
  }

  private analytic(analytic: StixAnalytic): AnalyticInfo | undefined {
    const id = attackIdOf(analytic);
    if (id === undefined) return undefined;
    return {
      id,
      platforms: [...analytic.x_mitre_platforms],
      description: this.plain(analytic.id, analytic.description),
      logSources: analytic.x_mitre_log_source_references
        .map((reference) => {
          const component = this.collected.components.get(reference.x_mitre_data_component_ref);
          const componentId = component === undefined ? undefined : attackIdOf(component);
          if (componentId === undefined) return undefined;
          const name = reference.name.trim();
          const channel = reference.channel?.trim() ?? '';
          const source: LogSourceReference =
            channel === '' ? { name, dataComponentId: componentId } : { name, channel, dataComponentId: componentId };
          return source;
        })
        .filter((source): source is LogSourceReference => source !== undefined),
    };
  }

  private mitigations(techniqueStixId: string): MitigationInfo[] {
    const byId = new Map<string, MitigationInfo>();
    for (const relationship of this.mitigationsByTechnique.get(techniqueStixId) ?? []) {
      const mitigation = this.collected.mitigations.get(relationship.source_ref);
      const id = mitigation === undefined ? undefined : attackIdOf(mitigation);
      // Before 2019 ATT&CK had one "mitigation" per technique (named after it); those are deprecated, not M-numbered.
      if (mitigation === undefined || id === undefined || !/^M\d{4}$/.test(id) || !isLive(mitigation)) continue;
      const specific = relationship.description === undefined ? '' : plainAttackText(relationship.description);
      byId.set(id, {
        id,
        name: mitigation.name,
        description: specific !== '' ? specific : this.plain(mitigation.id, mitigation.description),
        url: `${attackSite}/mitigations/${id}/`,
      });
    }
    return [...byId.values()].sort((left, right) => (left.id < right.id ? -1 : 1));
  }

  private dataComponents(techniqueStixId: string, strategies: DetectionGuidance[]): DataComponentUse[] {
    const uses = new Map<string, DataComponentUse>();
    for (const analytic of strategies.flatMap((strategy) => strategy.analytics)) {
      for (const source of analytic.logSources) {
        const use = uses.get(source.dataComponentId) ?? {
          id: source.dataComponentId,
          name: this.componentNames.get(source.dataComponentId) ?? source.dataComponentId,
          logSources: [],
        };
        uses.set(use.id, use);
        const known = use.logSources.some((entry) => entry.name === source.name && entry.channel === source.channel);
        if (!known) {
          const { name, channel } = source;
          use.logSources.push(channel === undefined ? { name } : { name, channel });
        }
      }
    }
    for (const component of this.componentsByTechnique.get(techniqueStixId) ?? []) {
      const id = attackIdOf(component);
      if (id !== undefined && !uses.has(id)) uses.set(id, { id, name: component.name, logSources: [] });
    }
    return [...uses.values()].sort((left, right) => (left.id < right.id ? -1 : 1));
  }

  private plain(stixId: string, value: string | undefined): string {
    let plain = this.plainTexts.get(stixId);
    if (plain === undefined) {
      plain = value === undefined ? '' : plainAttackText(value);
      this.plainTexts.set(stixId, plain);
    }
    return plain;
  }
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
