import type { IndicatorEnrichment } from '../../intel/enrichment/types';
import type { Alert, Incident } from '../../sources/model';
import type { AttackFacts } from '../knowledge';
import type { AttackCatalog, ContextTechnique, ContextThreat } from './types';

/**
 * ATT&CK facts for the incident: the techniques its alerts show, and the groups and software its evidence
 * names. Only names MITRE lists resolve; nothing is attributed from technique overlap alone, which would
 * suggest an actor the evidence does not support.
 */

/** Techniques the sources attached, then those the titles, descriptions and command lines clearly show. */
export function techniquesForAlerts(alerts: readonly Alert[], attack: AttackFacts, limit = 20): ContextTechnique[] {
  const byId = new Map<string, ContextTechnique>();
  const add = (id: string, alertId: string) => {
    const facts = attack.technique(id);
    if (facts === undefined) return;
    const known = byId.get(facts.id);
    if (known) {
      if (!known.alertIds.includes(alertId)) known.alertIds.push(alertId);
      return;
    }
    if (byId.size >= limit) return;
    byId.set(facts.id, { ...facts, alertIds: [alertId] });
  };
  for (const alert of alerts) for (const id of alert.techniques) add(id, alert.id);
  for (const alert of alerts) {
    const text = [alert.title, alert.alertType, alert.category, alert.description].filter(Boolean).join('\n');
    for (const candidate of attack.techniquesForText(text.slice(0, 20_000))) add(candidate.id, alert.id);
    const commandLines = alert.entities
      .filter((entity) => entity.type === 'process' && /\S\s+\S/.test(entity.value.trim()))
      .map((entity) => entity.value.slice(0, 4000));
    for (const commandLine of new Set(commandLines)) {
      for (const candidate of attack.techniquesForText(commandLine)) add(candidate.id, alert.id);
    }
  }
  return [...byId.values()];
}

/**
 * Word n-grams (1–3 words) of a short text, exact case: "Cobalt Strike", "APT29", "PowerSploit". Matching is
 * case-sensitive so "royal" in a sentence is not the Royal ransomware, and single words need five characters.
 */
function candidateNames(text: string): string[] {
  const words = text
    .split(/[^\p{L}\p{N}.-]+/u)
    .map((word) => word.replace(/^[.-]+|[.-]+$/g, ''))
    .filter((word) => word !== '');
  const names = new Set<string>();
  for (let size = 1; size <= 3; size += 1) {
    for (let start = 0; start + size <= words.length; start += 1) {
      const name = words.slice(start, start + size).join(' ');
      if (size === 1 && name.length < 5) continue;
      if (!/^[\p{Lu}\p{N}]/u.test(name)) continue;
      names.add(name);
    }
  }
  return [...names];
}

/** Built-in programs ATT&CK lists as tools (net, reg, certutil…) say what ran, not who ran it. */
function isSystemUtility(name: string): boolean {
  return /\.exe$/i.test(name) || name.length < 6 || name === name.toLowerCase();
}

export function threatsForIncident(
  incident: Incident | undefined,
  alerts: readonly Alert[],
  indicators: readonly IndicatorEnrichment[],
  catalog: AttackCatalog | undefined,
): ContextThreat[] {
  if (catalog === undefined) return [];
  const threats = new Map<string, ContextThreat>();
  const add = (
    found: { id: string; name: string; type?: string } | undefined,
    kind: ContextThreat['kind'],
    reason: string,
    evidenceId: string | undefined,
  ) => {
    if (found === undefined) return;
    const known = threats.get(found.id);
    if (known) {
      if (evidenceId !== undefined && !known.evidenceIds.includes(evidenceId)) known.evidenceIds.push(evidenceId);
      return;
    }
    if (threats.size >= 12) return;
    threats.set(found.id, {
      kind,
      attackId: found.id,
      name: found.name,
      reason,
      evidenceIds: evidenceId === undefined ? [] : [evidenceId],
    });
  };

  for (const alert of alerts) {
    alert.entities.forEach((entity, index) => {
      if (entity.type !== 'other') return;
      const evidenceId = `${alert.id}#${index + 1}`;
      const software = catalog.software(entity.value);
      if (software) add(software, 'software', `named in the evidence of alert ${alert.id}`, evidenceId);
      const group = catalog.group(entity.value);
      if (group) add(group, 'group', `named in the evidence of alert ${alert.id}`, evidenceId);
    });
  }

  const scan = (text: string, where: string, evidenceId: string | undefined) => {
    for (const name of candidateNames(text)) {
      const software = catalog.software(name);
      if (software && (software.type === 'malware' || !isSystemUtility(name))) {
        add(software, 'software', `named in ${where}`, evidenceId);
      }
      const group = catalog.group(name);
      if (group) add(group, 'group', `named in ${where}`, evidenceId);
    }
  };
  if (incident) scan([incident.title, ...incident.tags].join(' | '), `incident ${incident.id}`, undefined);
  for (const alert of alerts) scan(alert.title, `the title of alert ${alert.id}`, alert.id);

  for (const indicator of indicators) {
    const where = `threat intelligence for ${indicator.indicator.value}`;
    for (const family of indicator.associations.malwareFamilies)
      add(catalog.software(family), 'software', where, undefined);
    for (const group of indicator.associations.groups) add(catalog.group(group), 'group', where, undefined);
  }
  return [...threats.values()];
}
