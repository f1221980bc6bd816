import { CopilotError } from '../../errors';
import type { LlmClient, LlmMessage } from '../../llm/port';
import type { Logger } from '../../logger';
import { entityTypes, type Alert, type EntityType, type Incident } from '../../sources/model';
import type { SecurityDataSource } from '../../sources/port';
import { alertFactsForPrompt, alertTextsShownToModel } from '../explain-alert/prompt';
import { groundValues } from '../grounding';
import type { AttackFacts } from '../knowledge';
import { answerWithFallback, type CapabilityResult } from '../result';
import { fenceUntrusted, untrustedDataRule } from '../untrusted';
import { accountNames, lookup, userContexts } from '../analyze-alert/surroundings';
import { remediateOffline } from './offline';
import { RemediationModelSchema, RemediationSchema, type Remediation, type RemediationModelOutput } from './schema';

export { RemediationSchema, type Remediation, type RemediationStep } from './schema';

/** MITRE's mitigations per technique from the full bundle (AttackKnowledge.details) when the operator configured it. */
export interface MitigationSource {
  readonly detailsConfigured: boolean;
  details(id: string): Promise<{ mitigations: Array<{ id: string; name: string }> } | undefined>;
}

export interface RemediateDependencies {
  attack: AttackFacts;
  dataSource?: SecurityDataSource;
  attackKnowledge?: MitigationSource;
  llm?: LlmClient;
  logger: Logger;
  clock?: () => Date;
  sourceTimeoutMs?: number;
}

export type RemediationSubject = { kind: 'alert'; alert: Alert } | { kind: 'incident'; incident: Incident };

const maximumIncidentAlerts = 20;
const maximumModelSteps = 3;

/**
 * Response guidance for an alert or an incident: ordered, entity-specific steps with who can do each,
 * where, how to verify it and what it risks. The offline rules always make the steps; an LLM, when
 * configured, writes the summary, notes on the steps and at most three extra steps aimed at entities of
 * the alerts (marked as the model's).
 */
export async function remediate(
  subject: RemediationSubject,
  dependencies: RemediateDependencies,
  options: { signal?: AbortSignal } = {},
): Promise<CapabilityResult<Remediation>> {
  const started = Date.now();
  const lookupOptions = { timeoutMs: dependencies.sourceTimeoutMs, signal: options.signal };
  const gaps: string[] = [];

  let alerts: Alert[];
  if (subject.kind === 'alert') alerts = [subject.alert];
  else {
    alerts = [];
    const ids = subject.incident.alertIds.slice(0, maximumIncidentAlerts);
    if (subject.incident.alertIds.length > ids.length)
      gaps.push(
        `Only the first ${ids.length} of ${subject.incident.alertIds.length} alerts of the incident were used.`,
      );
    if (dependencies.dataSource === undefined)
      gaps.push("No security data source: the incident's alerts were not read.");
    else {
      const source = dependencies.dataSource;
      const answers = await Promise.all(
        ids.map((id) => lookup(`Alert ${id}`, () => source.getAlert(id), lookupOptions)),
      );
      for (const answer of answers) {
        if (!answer.ok) gaps.push(answer.gap);
        else if (answer.value !== undefined) alerts.push(answer.value);
      }
    }
  }
  const people = dependencies.dataSource
    ? await userContexts(dependencies.dataSource, accountNames(alerts), lookupOptions)
    : { users: new Map(), gaps: [] };
  gaps.push(...people.gaps);

  const mitigationsFor = await bundleMitigations(alerts, dependencies);
  const offline = RemediationSchema.parse(
    remediateOffline({ subject, alerts, users: people.users, gaps, mitigationsFor }, dependencies.attack),
  );
  return answerWithFallback(
    {
      capability: 'remediate',
      subject:
        subject.kind === 'alert'
          ? { alertId: subject.alert.id, incidentId: subject.alert.incidentId }
          : { incidentId: subject.incident.id },
      started,
      askModel: alerts.length > 0,
      fallbackLog: 'LLM failed; answering with the response rules alone',
      fallbackNote: 'These steps come from the offline rules instead.',
      online: async (llm) => {
        const answer = await llm.generateStructured({
          schemaName: 'remediation_guidance',
          schema: RemediationModelSchema,
          messages: buildRemediationMessages(offline, alerts),
          temperature: 0.2,
          maxOutputTokens: 1400,
          signal: options.signal,
        });
        const notes: string[] = [];
        const result = RemediationSchema.parse(mergeModelAdvice(offline, answer.value, alerts, notes));
        return { result, notes, model: answer.model, usage: answer.usage };
      },
      offline: () => offline,
    },
    dependencies,
    options.signal,
  );
}

/** The bundle's mitigation lists for the alerts' source techniques, read once up front (details() is async). */
async function bundleMitigations(
  alerts: readonly Alert[],
  dependencies: RemediateDependencies,
): Promise<((id: string) => Array<{ id: string; name: string }> | undefined) | undefined> {
  const knowledge = dependencies.attackKnowledge;
  if (knowledge === undefined || !knowledge.detailsConfigured) return undefined;
  const ids = [...new Set(alerts.flatMap((alert) => alert.techniques))].slice(0, 20);
  const byId = new Map<string, Array<{ id: string; name: string }>>();
  try {
    for (const id of ids) {
      const details = await knowledge.details(id);
      const canonical = dependencies.attack.technique(id)?.id ?? id;
      if (details !== undefined)
        byId.set(
          canonical,
          details.mitigations.map(({ id: mitigationId, name }) => ({ id: mitigationId, name })),
        );
    }
  } catch (error) {
    // A broken bundle is reported at start-up; here the curated table is a fine answer.
    dependencies.logger.warn({ err: error }, 'ATT&CK bundle details failed; using the curated mitigations');
    return undefined;
  }
  return (id) => byId.get(id);
}

const remediationSystemPrompt = [
  'You are a senior incident responder writing response guidance for a SOC analyst.',
  'You get the alerts and a rule-based, ordered list of response steps. Write a short summary of the response priorities, a note on the steps that need one, and add at most three steps the list misses.',
  'Every added step must act on an entity copied exactly from the alert data, and say who can do it (the role), where (portal, PowerShell or Graph), how to verify it and its risk.',
  'Never invent hosts, users, hashes, addresses or commands for entities that are not in the data.',
  untrustedDataRule,
  'Answer with JSON that matches the given schema.',
].join('\n');

function buildRemediationMessages(offline: Remediation, alerts: readonly Alert[]): LlmMessage[] {
  const steps = offline.steps.map((step) => ({
    order: step.order,
    phase: step.phase,
    action: step.action.slice(0, 300),
    target: step.target,
  }));
  return [
    { role: 'system', content: remediationSystemPrompt },
    {
      role: 'user',
      content: [
        `Response guidance for ${offline.subject.kind} ${offline.subject.id}.`,
        '',
        'Rule-based steps (trusted structure; targets are alert data):',
        fenceUntrusted('rule-based steps', JSON.stringify(steps, null, 1)),
        '',
        fenceUntrusted('alerts', JSON.stringify(alerts.slice(0, 8).map(alertFactsForPrompt), null, 1)),
      ].join('\n'),
    },
  ];
}

const knownEntityTypes = new Set<string>(entityTypes);

export function mergeModelAdvice(
  offline: Remediation,
  model: RemediationModelOutput,
  alerts: readonly Alert[],
  notes: string[],
): Remediation {
  const alertText = alerts.flatMap(alertTextsShownToModel).join('\n');
  const extra = groundValues(
    model.additionalSteps.slice(0, maximumModelSteps).map((step) => ({ ...step, value: step.entityValue })),
    alertText,
  );
  if (extra.dropped.length > 0)
    notes.push(
      `Removed ${extra.dropped.length} suggested step(s) aimed at something not in the alerts: ${extra.dropped
        .slice(0, 3)
        .map((step) => step.entityValue.trim().slice(0, 60))
        .join(', ')}.`,
    );
  const stepNotes = new Map<number, string>();
  for (const note of model.stepNotes)
    if (note.note.trim() !== '') stepNotes.set(note.order, note.note.replace(/\s+/g, ' ').trim().slice(0, 300));

  const steps = offline.steps.map((step) => {
    const note = stepNotes.get(step.order);
    return note === undefined ? step : { ...step, why: `${step.why} ${note}`.slice(0, 700) };
  });
  for (const step of extra.kept) {
    const listed = alerts
      .flatMap((alert) => alert.entities)
      .find((entity) => entity.value.trim().toLowerCase() === step.entityValue.trim().toLowerCase());
    const claimed = step.entityType.trim();
    const type: EntityType = knownEntityTypes.has(claimed) ? (claimed as EntityType) : (listed?.type ?? 'other');
    steps.push({
      order: steps.length + 1,
      phase: 'eradicate',
      kind: 'modelSuggested',
      action: step.action.replace(/\s+/g, ' ').trim().slice(0, 400) || 'Suggested step',
      target: { type, value: step.entityValue.trim() },
      why: step.why.slice(0, 400),
      who: step.who.slice(0, 200) || 'Not stated',
      where: [{ tool: 'portal', how: step.where.slice(0, 400) || 'Not stated' }],
      verify: step.verify.slice(0, 400) || 'Not stated',
      risk: step.risk.slice(0, 400) || 'Not stated',
      mitigations: [],
      origin: 'model',
    });
  }
  if (extra.kept.length > 0)
    notes.push(`${extra.kept.length} step(s) at the end were suggested by the model; check them before acting.`);
  const summary = model.summary.replace(/\s+/g, ' ').trim().slice(0, 1200);
  return { ...offline, summary: summary === '' ? offline.summary : summary, steps };
}

/** Looks the subject up by id: an alert id first, then an incident id ("42", "#42"). */
export async function findRemediationSubject(
  dataSource: SecurityDataSource,
  id: string,
  kind?: 'alert' | 'incident',
): Promise<RemediationSubject> {
  if (kind !== 'incident') {
    const alert = await dataSource.getAlert(id);
    if (alert !== undefined) return { kind: 'alert', alert };
  }
  if (kind !== 'alert') {
    const incident = await dataSource.getIncident(id);
    if (incident !== undefined) return { kind: 'incident', incident };
  }
  throw new CopilotError('not_found', `no ${kind ?? 'alert or incident'} ${id.slice(0, 80)}`, {
    userMessage: `I could not find ${kind === 'incident' ? 'an incident' : kind === 'alert' ? 'an alert' : 'an alert or incident'} with the id "${id.slice(0, 80)}" in the ${dataSource.name} data source.`,
  });
}
