import type { Alert } from '../../sources/model';
import { tacticFromCategory } from '../explain-alert/plain-language';
import type { TechniqueFacts } from '../knowledge';

/**
 * The ATT&CK Enterprise tactics in matrix order, which is roughly the order of an intrusion: the later a
 * tactic, the further an attack has got. Analysis, triage and remediation all read the stage from here.
 */
export const killChainOrder = [
  'Reconnaissance',
  'Resource Development',
  'Initial Access',
  'Execution',
  'Persistence',
  'Privilege Escalation',
  'Defense Evasion',
  'Credential Access',
  'Discovery',
  'Lateral Movement',
  'Collection',
  'Command and Control',
  'Exfiltration',
  'Impact',
] as const;

/** Tactics after which an attacker can do lasting harm: they make an alert urgent whatever its source rated it. */
export const lateStageTactics: readonly string[] = ['Credential Access', 'Lateral Movement', 'Exfiltration', 'Impact'];

/** Position of a tactic in the kill chain (0 = Reconnaissance), -1 for anything that is not a tactic name. */
export function stageIndex(tactic: string): number {
  return (killChainOrder as readonly string[]).indexOf(tactic);
}

/**
 * The tactics an alert shows, in kill-chain order: those of its techniques, those the source attached
 * ("CredentialAccess", "Credential Access") and its category when the category names a tactic.
 */
export function alertTactics(alert: Alert, techniques: ReadonlyArray<Pick<TechniqueFacts, 'tactics'>>): string[] {
  const found = new Set<string>(techniques.flatMap((technique) => technique.tactics));
  for (const raw of [...alert.tactics, alert.category]) {
    const tactic = tacticFromCategory(raw);
    if (tactic !== undefined) found.add(tactic);
  }
  return killChainOrder.filter((tactic) => found.has(tactic));
}

/** The furthest stage among the tactics, or undefined when none is known. */
export function furthestStage(tactics: readonly string[]): string | undefined {
  return [...tactics]
    .filter((tactic) => stageIndex(tactic) >= 0)
    .sort((left, right) => stageIndex(right) - stageIndex(left))[0];
}
