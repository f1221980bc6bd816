import { lookupKey } from './technique-id';
import type { CategoryMapping, Confidence, TacticInfo, TechniqueInfo } from './types';

interface BehaviourCategory {
  techniques: Array<{ id: string; confidence: Confidence }>;
  /** tactics named when the category is not itself a tactic */
  tactics?: string[];
}

// Graph Security (alerts_v2) and Defender XDR categories are mostly ATT&CK tactic names written in PascalCase
// ("CredentialAccess"), which the tactic lookup handles. The few that name a behaviour instead are listed here;
// "PreAttack" is the old Sentinel name for what ATT&CK now splits into Reconnaissance and Resource Development.
// Categories such as Malware, UnwantedSoftware, SuspiciousActivity or Exploit say too little to name a technique.
const behaviourCategories: Record<string, BehaviourCategory> = {
  ransomware: { techniques: [{ id: 'T1486', confidence: 'medium' }] },
  cryptomining: { techniques: [{ id: 'T1496.001', confidence: 'medium' }] },
  phishing: { techniques: [{ id: 'T1566', confidence: 'medium' }] },
  preattack: { techniques: [], tactics: ['reconnaissance', 'resource-development'] },
};

interface CategoryResolvers {
  tactic: (idOrName: string) => TacticInfo | undefined;
  technique: (id: string) => TechniqueInfo | undefined;
}

/** Tactics (and, for behaviour categories, techniques) for an alert category or a comma-separated list of them. */
export function mapCategory(category: string, resolvers: CategoryResolvers): CategoryMapping {
  const mapping: CategoryMapping = { category, tactics: [], techniques: [] };
  const addTactic = (tactic: TacticInfo | undefined) => {
    if (tactic !== undefined && !mapping.tactics.some((known) => known.id === tactic.id)) mapping.tactics.push(tactic);
  };
  for (const part of category.split(/[,;|]/)) {
    if (part.trim().length === 0) continue;
    addTactic(resolvers.tactic(part));
    const behaviour = behaviourCategories[lookupKey(part)];
    if (behaviour === undefined) continue;
    for (const shortname of behaviour.tactics ?? []) addTactic(resolvers.tactic(shortname));
    for (const { id, confidence } of behaviour.techniques) {
      const technique = resolvers.technique(id);
      if (technique === undefined || mapping.techniques.some((known) => known.technique.id === id)) continue;
      technique.tactics.forEach(addTactic);
      mapping.techniques.push({
        technique,
        confidence,
        reason: `The alert category "${part.trim()}" names this behaviour.`,
        source: 'category',
      });
    }
  }
  mapping.tactics.sort((left, right) => left.order - right.order);
  return mapping;
}
