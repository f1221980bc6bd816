import type { Alert, Incident, UserContext } from '../../sources/model';
import { alertTactics, furthestStage, stageIndex } from '../analyze-alert/kill-chain';
import { mapAlertTechniques } from '../analyze-alert/techniques';
import type { AttackFacts } from '../knowledge';
import { curatedMitigations } from './mitigations';
import { draftSteps, type DraftStep } from './rules';
import { responsePhases, type Remediation, type RemediationStep } from './schema';

export interface RemediationInput {
  subject: { kind: 'alert'; alert: Alert } | { kind: 'incident'; incident: Incident };
  /** The alert, or the incident's alerts that could be read. */
  alerts: readonly Alert[];
  users: Map<string, UserContext>;
  gaps: string[];
  /** Mitigations per technique from MITRE's bundle when configured; the curated table otherwise. */
  mitigationsFor?: (techniqueId: string) => Array<{ id: string; name: string }> | undefined;
}

const maximumSteps = 14;

/**
 * The offline engine: ordered, entity-specific response steps from the rules (src/copilot/remediate/
 * rules.ts) for the entities, tactics and techniques of the alerts, with the ATT&CK mitigations behind
 * them. Only structured fields are read; the alert text never decides what to do.
 */
export function remediateOffline(input: RemediationInput, attack: AttackFacts): Remediation {
  const techniques = input.alerts.flatMap((alert) => mapAlertTechniques(alert, attack));
  const tactics = [...new Set(input.alerts.flatMap((alert) => alertTactics(alert, mapAlertTechniques(alert, attack))))];
  const orderedTactics = tactics.sort((left, right) => stageIndex(left) - stageIndex(right));
  const techniqueIds = new Set(techniques.map((technique) => technique.id));
  const stage = furthestStage(orderedTactics);
  const drafts = draftSteps({
    alerts: input.alerts,
    tactics: orderedTactics,
    stage,
    techniqueIds,
    users: input.users,
    allResolved: input.alerts.length > 0 && input.alerts.every((alert) => alert.status === 'resolved'),
  });

  const lookupMitigations = (id: string) => input.mitigationsFor?.(id) ?? curatedMitigations(id);
  const mitigationIndex = new Map<string, { id: string; name: string; techniques: string[] }>();
  for (const id of techniqueIds) {
    for (const mitigation of lookupMitigations(id)) {
      const entry = mitigationIndex.get(mitigation.id) ?? { ...mitigation, techniques: [] };
      if (!entry.techniques.includes(id)) entry.techniques.push(id);
      mitigationIndex.set(mitigation.id, entry);
    }
  }

  const steps = orderSteps(dedupe(drafts))
    .slice(0, maximumSteps)
    .map((draft, index): RemediationStep => ({
      order: index + 1,
      phase: draft.phase,
      kind: draft.kind,
      action: draft.action,
      target: draft.target,
      why: draft.why,
      who: draft.who,
      where: draft.where,
      verify: draft.verify,
      risk: draft.risk,
      // A step names an M-id only when a technique seen here lists it: the mitigation must fit this attack.
      mitigations: draft.mitigationIds
        .map((id) => mitigationIndex.get(id))
        .filter((mitigation) => mitigation !== undefined)
        .map((mitigation) => ({ id: mitigation.id, name: mitigation.name })),
      origin: 'rules',
    }));
  const subject =
    input.subject.kind === 'alert'
      ? { kind: 'alert' as const, id: input.subject.alert.id, title: input.subject.alert.title }
      : { kind: 'incident' as const, id: input.subject.incident.id, title: input.subject.incident.title };

  if (steps.length === 0) steps.push(fallbackStep(input));
  return {
    subject,
    summary: summarize(input, steps, stage),
    steps,
    mitigations: [...mitigationIndex.values()]
      .sort((left, right) => right.techniques.length - left.techniques.length || left.id.localeCompare(right.id))
      .slice(0, 12),
    alertIds: input.alerts.map((alert) => alert.id),
    gaps: input.gaps,
  };
}

function dedupe(drafts: DraftStep[]): DraftStep[] {
  const seen = new Set<string>();
  return drafts.filter((draft) => {
    const key = `${draft.kind}|${draft.target.type}|${draft.target.value.trim().toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function orderSteps(drafts: DraftStep[]): DraftStep[] {
  return drafts
    .map((draft, index) => ({ draft, index }))
    .sort(
      (left, right) =>
        responsePhases.indexOf(left.draft.phase) - responsePhases.indexOf(right.draft.phase) ||
        left.draft.priority - right.draft.priority ||
        left.index - right.index,
    )
    .map(({ draft }) => draft);
}

function fallbackStep(input: RemediationInput): RemediationStep {
  const alert = input.alerts[0];
  const entity = alert?.entities[0];
  const target = entity
    ? { type: entity.type, value: entity.value }
    : { type: 'other' as const, value: alert?.id ?? 'the alert' };
  return {
    order: 1,
    phase: 'contain',
    kind: 'confirmWithOwner',
    action: `Confirm with the owner of ${target.value} whether the activity was expected before acting.`,
    target,
    why: 'The alerts name nothing the response rules can act on safely.',
    who: 'The SOC analyst on duty',
    where: [{ tool: 'portal', how: 'Microsoft Defender portal › Incidents & alerts › the alert › Manage alert' }],
    verify: 'The alert is classified (true positive, benign, false positive) with a comment.',
    risk: 'None.',
    mitigations: [],
    origin: 'rules',
  };
}

function summarize(input: RemediationInput, steps: RemediationStep[], stage: string | undefined): string {
  const what =
    input.subject.kind === 'alert'
      ? `alert ${input.subject.alert.id} ("${input.subject.alert.title}")`
      : `incident ${input.subject.incident.id} ("${input.subject.incident.title}", ${input.alerts.length} alert(s))`;
  const contain = steps.filter((step) => step.phase === 'contain').map((step) => step.target.value);
  const resolved = input.alerts.length > 0 && input.alerts.every((alert) => alert.status === 'resolved');
  const parts = [`Response for ${what}${stage ? `, which reaches ${stage}` : ''}.`];
  if (resolved)
    parts.push(
      'Every alert is already resolved, so containment is not urgent; the steps check that nothing is left behind.',
    );
  else if (contain.length > 0) parts.push(`Contain first: ${[...new Set(contain)].slice(0, 4).join(', ')}.`);
  parts.push(`${steps.length} step(s) in order: contain, eradicate, recover, harden.`);
  return parts.join(' ');
}
