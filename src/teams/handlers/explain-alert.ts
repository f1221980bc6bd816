import { alertExplanationCard } from '../../cards';
import { explainAlert } from '../../copilot/explain-alert';
import { CopilotError } from '../../errors';
import type { Alert } from '../../sources/model';
import { normalizeAlert } from '../../sources/normalize';
import type { Services } from '../../services';
import { recordResultFinding } from './findings';
import { replyWithWork } from './reply-with-work';
import type { MessageHandler, MessageTurn } from './types';

/** "explain alert <id>": look the alert up in the configured source, explain it, answer with a card. */
export const explainAlertById: MessageHandler = async (turn) => {
  const id = turn.groups.alertId ?? '';
  const alert = await findAlert(turn.services, id);
  await explainAndReply(alert, turn);
};

/** "explain { …alert JSON… }": the analyst pasted an alert from another tool. */
export const explainAlertJson: MessageHandler = async (turn) => {
  const alert = normalizeAlert(parsePastedJson(turn.groups.json ?? ''));
  await explainAndReply(alert, turn);
};

export async function findAlert(services: Services, id: string): Promise<Alert> {
  const alert = await services.dataSource.getAlert(id);
  if (!alert) {
    throw new CopilotError('not_found', `alert ${id} not found`, {
      userMessage: `I could not find an alert with the id "${id.slice(0, 80)}" in the ${services.dataSource.name} data source. Check the id, or paste the alert JSON after "explain".`,
    });
  }
  return alert;
}

/** Offline explanations take milliseconds and answer inside the turn; an LLM's may not (replyWithWork). */
export async function explainAndReply(
  alert: Alert,
  turn: Pick<MessageTurn, 'services' | 'responder' | 'logger' | 'later' | 'audit'>,
): Promise<void> {
  await replyWithWork(turn, {
    name: `explain alert ${alert.id}`,
    slow: turn.services.llm !== undefined,
    working: { activity: 'Explaining the alert…', subject: alert.title },
    build: async () => {
      const explanation = await explainAlert(alert, { ...turn.services, logger: turn.logger });
      turn.audit?.({
        engine: explanation.engine,
        dataSources: [turn.services.dataSource.name],
        inputs: { alertId: alert.id },
      });
      await recordResultFinding(turn, explanation, {
        summary: explanation.result.headline,
        incidentId: alert.incidentId,
      });
      return alertExplanationCard(explanation, alert);
    },
  });
}

function parsePastedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'it is not valid JSON';
    throw new CopilotError('bad_input', `pasted alert is not JSON: ${reason}`, {
      userMessage: `That alert is not valid JSON (${reason.slice(0, 120)}). Paste the whole alert object after "explain".`,
    });
  }
}
