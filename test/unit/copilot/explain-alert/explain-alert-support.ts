import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AlertExplanation } from '../../../../src/copilot/explain-alert/schema';
import type { AttackFacts } from '../../../../src/copilot/knowledge';
import type { Alert } from '../../../../src/sources/model';
import { normalizeAlert } from '../../../../src/sources/normalize';
import { buildDemoDataSet } from '../../../../src/sources/demo';

/** Shared checks and inputs for the explain-alert tests. */

export const fixedNow = new Date('2025-06-01T12:00:00.000Z');

const fixtureDirectory = path.join(__dirname, '..', '..', '..', 'fixtures', 'alerts');

/** The recorded alert payloads (not the incidents), normalized. */
export const alertFixtureFiles = [
  'graph-alert-v2.json',
  'graph-alert-v2-url-click.json',
  'defender-api-alert.json',
  'sentinel-securityalert-strings.json',
];

export function fixtureAlert(file: string): Alert {
  return normalizeAlert(JSON.parse(readFileSync(path.join(fixtureDirectory, file), 'utf8')), { receivedAt: fixedNow });
}

/** Every demo alert, from a data set built at a fixed time so runs agree. */
export function demoAlerts(): Alert[] {
  return buildDemoDataSet(fixedNow).alerts;
}

/** Why an explanation is not grounded in its alert and ATT&CK; empty when it is. */
export function groundingProblems(explanation: AlertExplanation, alert: Alert, attack: AttackFacts): string[] {
  const problems: string[] = [];
  for (const technique of explanation.techniques) {
    const facts = attack.technique(technique.id);
    if (facts === undefined) {
      problems.push(`technique ${technique.id} is not in ATT&CK`);
      continue;
    }
    if (facts.id !== technique.id) problems.push(`technique ${technique.id} is not canonical (${facts.id})`);
    if (technique.name !== facts.fullName) problems.push(`technique ${technique.id} is named "${technique.name}"`);
    if (JSON.stringify(technique.tactics) !== JSON.stringify(facts.tactics)) {
      problems.push(`technique ${technique.id} has tactics ${technique.tactics.join(', ')}`);
    }
  }
  for (const entity of explanation.keyEntities) {
    if (!alert.entities.some((candidate) => candidate.type === entity.type && candidate.value === entity.value)) {
      problems.push(`key entity ${entity.type} "${entity.value}" is not an entity of the alert`);
    }
  }
  return problems;
}

/** Plain-language fields that are empty; empty when every one has text. */
export function emptyFields(explanation: AlertExplanation): string[] {
  const texts: Record<string, string> = {
    headline: explanation.headline,
    whatHappened: explanation.whatHappened,
    whyItMatters: explanation.whyItMatters,
    rationale: explanation.immediateRisk.rationale,
  };
  explanation.recommendedActions.forEach((action, index) => (texts[`action ${index + 1}`] = action));
  const empty = Object.entries(texts)
    .filter(([, value]) => value.trim() === '')
    .map(([name]) => name);
  if (explanation.recommendedActions.length === 0) empty.push('recommendedActions');
  return empty;
}
