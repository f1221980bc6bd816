import { remediationCard, remediationSubjectPromptCard } from '../../cards/remediation-card';
import { findRemediationSubject, remediate, type RemediationSubject } from '../../copilot/remediate';
import { recordResultFinding } from './findings';
import { replyWithWork } from './reply-with-work';
import type { MessageHandler, MessageTurn } from './types';

/** "remediation for alert <id>", "how do I contain incident 45": ordered response steps. */
export const remediateSubject: MessageHandler = async (turn) => {
  const incidentId = turn.groups.incidentId;
  const subject =
    incidentId !== undefined
      ? await findRemediationSubject(turn.services.dataSource, incidentId, 'incident')
      : await findRemediationSubject(turn.services.dataSource, turn.groups.alertId ?? '', 'alert');
  await remediateAndReply(subject, turn);
};

/**
 * "How do I contain this?" when nothing in the thread says what "this" is (the thread memory rewrites the
 * question into an explicit command when it knows): ask which alert or incident, with examples.
 */
export const remediateWithoutSubject: MessageHandler = async (turn) => {
  await turn.responder.sendCard(remediationSubjectPromptCard());
};

export async function remediateAndReply(
  subject: RemediationSubject,
  turn: Pick<MessageTurn, 'services' | 'responder' | 'logger' | 'later'>,
): Promise<void> {
  const { services } = turn;
  const id = subject.kind === 'alert' ? subject.alert.id : subject.incident.id;
  const title = subject.kind === 'alert' ? subject.alert.title : subject.incident.title;
  const severity = subject.kind === 'alert' ? subject.alert.severity : subject.incident.severity;
  await replyWithWork(turn, {
    name: `remediate ${subject.kind} ${id}`,
    slow: services.llm !== undefined,
    working: { activity: 'Writing response guidance…', subject: title },
    build: async () => {
      const guidance = await remediate(subject, { ...services, logger: turn.logger });
      await recordResultFinding(turn, guidance, {
        summary: guidance.result.summary,
        incidentId: subject.kind === 'alert' ? subject.alert.incidentId : undefined,
      });
      return remediationCard(guidance, { dataSourceName: services.dataSource.name, severity });
    },
  });
}
