import { alertAnalysisCard } from '../../cards/analysis-card';
import { analyzeAlert } from '../../copilot/analyze-alert';
import type { Alert } from '../../sources/model';
import { findAlert } from './explain-alert';
import { recordResultFinding } from './findings';
import { replyWithWork } from './reply-with-work';
import type { MessageHandler, MessageTurn } from './types';

/** "analyze alert <id>": the deep analysis card for an alert from the configured source. */
export const analyzeAlertById: MessageHandler = async (turn) => {
  const alert = await findAlert(turn.services, turn.groups.alertId ?? '');
  await analyzeAndReply(alert, turn);
};

/**
 * The analysis reads related alerts and user context from the data source (each with a time-out) and,
 * with an LLM, waits for the model: both can be slow, so an LLM answer comes after a "working…" card.
 */
export async function analyzeAndReply(
  alert: Alert,
  turn: Pick<MessageTurn, 'services' | 'responder' | 'logger' | 'later'>,
): Promise<void> {
  const { services } = turn;
  await replyWithWork(turn, {
    name: `analyze alert ${alert.id}`,
    slow: services.llm !== undefined,
    working: { activity: 'Analysing the alert…', subject: alert.title },
    build: async () => {
      const analysis = await analyzeAlert(alert, { ...services, logger: turn.logger });
      await recordResultFinding(turn, analysis, { summary: analysis.result.summary, incidentId: alert.incidentId });
      return alertAnalysisCard(analysis, alert, { dataSourceName: services.dataSource.name });
    },
  });
}
