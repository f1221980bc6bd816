import { investigationCard } from '../../cards';
import {
  gatherIncidentContext,
  incidentFromAlerts,
  incidentInputFromJson,
  type IncidentInput,
} from '../../copilot/context';
import { investigateContext, type InvestigateDependencies } from '../../copilot/investigate';
import { CopilotError } from '../../errors';
import type { Services } from '../../services';
import { findAlert } from './explain-alert';
import { recordResultFinding } from './findings';
import { replyWithWork } from './reply-with-work';
import type { MessageHandler, MessageTurn } from './types';

type WorkTurn = Pick<MessageTurn, 'services' | 'responder' | 'logger' | 'later'>;

export function investigateDependencies(turn: Pick<MessageTurn, 'services' | 'logger'>): InvestigateDependencies {
  const { services } = turn;
  return {
    dataSource: services.dataSource,
    attack: services.attack,
    attackKnowledge: services.attackKnowledge,
    enrichment: services.enrichment,
    llm: services.llm,
    logger: turn.logger,
    clock: services.clock,
  };
}

/**
 * Slow when it waits on the network: an LLM, threat-intelligence providers or a live data source. The demo
 * source with no LLM and no provider answers in milliseconds, inside the turn.
 */
export function isSlowWork(services: Services): boolean {
  return (
    services.llm !== undefined || services.dataSource.name !== 'demo' || services.enrichment.providerNames.length > 0
  );
}

/** "investigate incident 42", "investigate 42" or "investigate alert da-1004" (the alert's incident). */
export const investigateIncidentById: MessageHandler = async (turn) => {
  const alertId = turn.groups.alertId?.trim();
  if (alertId) {
    await investigateAlertIncident(turn, alertId);
    return;
  }
  await investigateAndReply(turn, (turn.groups.incidentId ?? '').trim());
};

/** "investigate { …incident or alert JSON… }": a Graph incident, a Sentinel SecurityIncident row, alerts. */
export const investigateIncidentJson: MessageHandler = async (turn) => {
  const input = incidentInputFromJson(parsePastedJson(turn.groups.json ?? ''), { receivedAt: turn.services.clock() });
  await investigateAndReply(turn, input);
};

/** The Investigate button on an alert: the alert's incident, or the alert alone when it has none. */
export async function investigateAlertIncident(turn: WorkTurn, alertId: string): Promise<void> {
  const alert = await findAlert(turn.services, alertId);
  if (alert.incidentId !== undefined && (await turn.services.dataSource.getIncident(alert.incidentId)) !== undefined) {
    await investigateAndReply(turn, alert.incidentId);
    return;
  }
  await investigateAndReply(turn, { incident: incidentFromAlerts([alert], { id: alert.incidentId }), alerts: [alert] });
}

export async function investigateAndReply(turn: WorkTurn, input: IncidentInput): Promise<void> {
  const subject =
    typeof input === 'string'
      ? `Incident ${input.slice(0, 80)}`
      : `Incident ${('incident' in input ? input.incident : input).id.slice(0, 80)}`;
  await replyWithWork(turn, {
    name: 'investigate incident',
    slow: isSlowWork(turn.services),
    working: { activity: 'Gathering context and investigating the incident…', subject },
    build: async () => {
      const dependencies = investigateDependencies(turn);
      const context = await gatherIncidentContext(input, dependencies);
      const result = await investigateContext(context, dependencies);
      await recordResultFinding(turn, result, {
        summary: result.result.assessment.summary,
        alertIds: context.alerts.map((alert) => alert.id),
      });
      return investigationCard(result, context.incident);
    },
  });
}

function parsePastedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'it is not valid JSON';
    throw new CopilotError('bad_input', `pasted incident is not JSON: ${reason}`, {
      userMessage: `That incident is not valid JSON (${reason.slice(0, 120)}). Paste the whole incident object after "investigate".`,
    });
  }
}
