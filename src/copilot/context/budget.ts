import type { Alert, Entity } from '../../sources/model';
import { entityEvidenceId, userEvidenceId } from './evidence';
import type { AlertContext, GatheredContext, IncidentContext } from './types';

/**
 * Keeps an LLM prompt under a token budget. The context is split into items (an alert, an entity, a user, a
 * related alert…), each with a relevance score; the most relevant whole items are kept until the budget is
 * spent, and the result is serialized once, so the JSON is never cut in the middle. What was left out is
 * counted per section, for the prompt to say so and for the result's notes.
 */

export interface PromptItem {
  /** The array in the output the item goes into, e.g. "alerts", "entities", "users". */
  section: string;
  /** Higher is kept first; equal scores keep the input order. */
  relevance: number;
  value: unknown;
}

export interface BudgetSelection {
  /** Each section's kept items, in their input order. */
  sections: Record<string, unknown[]>;
  /** Items left out per section (only sections that lost some). */
  omitted: Record<string, number>;
  estimatedTokens: number;
}

/**
 * A conservative token estimate for JSON-heavy text: about 3.5 characters per token for English and JSON with
 * OpenAI's tokenizers, so dividing by 3 errs on the side of a smaller prompt.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

/** The most relevant items that fit in `budgetTokens` (the JSON punctuation around them included). */
export function selectWithinBudget(items: readonly PromptItem[], budgetTokens: number): BudgetSelection {
  const ranked = items
    .map((item, index) => ({ item, index, tokens: estimateTokens(JSON.stringify(item.value) ?? 'null') + 1 }))
    .sort((left, right) => right.item.relevance - left.item.relevance || left.index - right.index);
  const kept = new Set<number>();
  const omitted: Record<string, number> = {};
  const sectionNames = [...new Set(items.map((item) => item.section))];
  // Each section costs its name and brackets once.
  let spent = 2 + sectionNames.reduce((total, name) => total + estimateTokens(`"${name}":[],`), 0);
  for (const entry of ranked) {
    if (spent + entry.tokens <= budgetTokens) {
      kept.add(entry.index);
      spent += entry.tokens;
    } else {
      omitted[entry.item.section] = (omitted[entry.item.section] ?? 0) + 1;
    }
  }
  const sections: Record<string, unknown[]> = Object.fromEntries(sectionNames.map((name) => [name, []]));
  items.forEach((item, index) => {
    if (kept.has(index)) sections[item.section].push(item.value);
  });
  return { sections, omitted, estimatedTokens: spent };
}

function cut(value: string | undefined, maximum: number): string | undefined {
  return value === undefined || value.length <= maximum ? value : `${value.slice(0, maximum)}…`;
}

/** Roles that make an entity central to the story. */
const centralRoles = /compromised|attacker|commandandcontrol|victim|source|destination|suspicious|malicious/i;

const entityTypeRelevance: Partial<Record<Entity['type'], number>> = {
  account: 84,
  host: 83,
  ip: 80,
  url: 80,
  domain: 79,
  mailbox: 78,
  file: 76,
  process: 74,
  mailMessage: 72,
  cloudApplication: 55,
  azureResource: 70,
  registryKey: 60,
  registryValue: 60,
};

function entityRelevance(entity: Entity): number {
  const base = entityTypeRelevance[entity.type] ?? 50;
  const verdict = entity.properties.verdict ?? '';
  const central = entity.roles.some((role) => centralRoles.test(role)) || /malicious|suspicious/i.test(verdict);
  return base + (central ? 5 : 0);
}

/** An alert's own facts (the entities are separate items, so many alerts fit before their details do). */
function alertFacts(alert: Alert) {
  return {
    id: alert.id,
    title: cut(alert.title, 300),
    description: cut(alert.description, 1500),
    severity: alert.severity,
    status: alert.status,
    product: cut(alert.productName, 120),
    category: cut(alert.category, 120),
    createdAt: alert.createdAt,
    firstActivityAt: alert.firstActivityAt,
    lastActivityAt: alert.lastActivityAt,
    techniques: alert.techniques.slice(0, 10),
    recommendedActions: cut(alert.recommendedActions, 600),
  };
}

function entityFacts(alert: Alert, entity: Entity, index: number) {
  return {
    evidenceId: entityEvidenceId(alert.id, index),
    alertId: alert.id,
    type: entity.type,
    value: cut(entity.value, 400),
    roles: entity.roles.slice(0, 4),
    properties: Object.fromEntries(
      Object.entries(entity.properties)
        .slice(0, 10)
        .map(([key, value]) => [cut(key, 40) ?? key, cut(value, 200) ?? value]),
    ),
  };
}

function otherAlertFacts(alert: Alert, sharedValues: string[]) {
  return {
    id: alert.id,
    title: cut(alert.title, 200),
    severity: alert.severity,
    status: alert.status,
    createdAt: alert.createdAt,
    incidentId: alert.incidentId,
    sharedValues: sharedValues.map((value) => cut(value, 200)),
  };
}

export interface ContextPrompt {
  /** The facts to serialize into the prompt (fence it: most of it is attacker-influenced). */
  facts: Record<string, unknown>;
  omitted: Record<string, number>;
  estimatedTokens: number;
}

/**
 * The context as prompt facts within `budgetTokens`: the incident (always), then alerts, techniques, the central
 * entities, users, intelligence with a verdict, threats, related alerts, other entities and recent alerts.
 */
export function contextForPrompt(context: IncidentContext | AlertContext, budgetTokens: number): ContextPrompt {
  const incident = context.incident;
  const header = {
    incident: incident && {
      id: incident.id,
      title: cut(incident.title, 300),
      description: cut(incident.description, 1500),
      severity: incident.severity,
      status: incident.status,
      createdAt: incident.createdAt,
      lastUpdatedAt: incident.lastUpdatedAt,
      classification: incident.classification,
      determination: incident.determination,
      tags: incident.tags.slice(0, 10),
    },
    gaps: context.gaps.map((gap) => `${gap.source}: ${gap.reason}`),
    recentWindowHours: context.recentWindowHours,
    gatheredAt: context.gatheredAt,
  };
  const headerTokens = estimateTokens(JSON.stringify(header));
  const selection = selectWithinBudget(contextItems(context), Math.max(0, budgetTokens - headerTokens));
  return {
    facts: { ...header, ...selection.sections },
    omitted: selection.omitted,
    estimatedTokens: headerTokens + selection.estimatedTokens,
  };
}

export function contextItems(context: GatheredContext): PromptItem[] {
  const items: PromptItem[] = [];
  context.alerts.forEach((alert, index) => {
    items.push({ section: 'alerts', relevance: 95 - Math.min(index, 10) * 0.1, value: alertFacts(alert) });
  });
  for (const technique of context.techniques) {
    items.push({
      section: 'techniques',
      relevance: 88,
      value: { id: technique.id, name: technique.fullName, tactics: technique.tactics, alertIds: technique.alertIds },
    });
  }
  for (const alert of context.alerts) {
    alert.entities.forEach((entity, index) => {
      items.push({ section: 'entities', relevance: entityRelevance(entity), value: entityFacts(alert, entity, index) });
    });
  }
  for (const user of context.users) {
    items.push({
      section: 'users',
      relevance: user.isPrivileged || user.riskLevel === 'high' ? 86 : 77,
      value: {
        evidenceId: userEvidenceId(user.userPrincipalName),
        userPrincipalName: user.userPrincipalName,
        displayName: cut(user.displayName, 120),
        department: cut(user.department, 120),
        jobTitle: cut(user.jobTitle, 120),
        riskLevel: user.riskLevel,
        isPrivileged: user.isPrivileged,
        recentSignIns: user.recentSignIns.slice(0, 5).map((signIn) => ({
          time: signIn.time,
          ipAddress: signIn.ipAddress,
          location: cut(signIn.location, 80),
          application: cut(signIn.application, 80),
          succeeded: signIn.succeeded,
          failureReason: cut(signIn.failureReason, 120),
        })),
      },
    });
  }
  for (const indicator of context.indicators) {
    const known = indicator.verdict === 'malicious' || indicator.verdict === 'suspicious';
    items.push({
      section: 'threatIntelligence',
      relevance: known ? 82 : 45,
      value: {
        indicator: indicator.indicator.value,
        type: indicator.indicator.type,
        verdict: indicator.verdict,
        summary: cut(indicator.summary, 300),
        malwareFamilies: indicator.associations.malwareFamilies.slice(0, 5),
        groups: indicator.associations.groups.slice(0, 5),
      },
    });
  }
  for (const threat of context.threats) {
    items.push({
      section: 'attackThreats',
      relevance: 81,
      value: { kind: threat.kind, attackId: threat.attackId, name: threat.name, reason: threat.reason },
    });
  }
  for (const related of context.relatedAlerts) {
    items.push({
      section: 'relatedAlerts',
      relevance: 60 + Math.min(related.sharedValues.length, 5),
      value: otherAlertFacts(related.alert, related.sharedValues),
    });
  }
  for (const alert of context.recentAlerts) {
    items.push({
      section: 'recentAlerts',
      relevance: alert.severity === 'high' ? 40 : 30,
      value: otherAlertFacts(alert, []),
    });
  }
  return items;
}
