import { reportCard } from '../../cards';
import { reportIncident, type ReportAudience, type TlpMarking } from '../../copilot/report';
import { investigateDependencies, isSlowWork } from './investigate';
import { replyWithWork } from './reply-with-work';
import type { MessageHandler, MessageTurn } from './types';

/** "executives", "the board", "technical team", "the regulator" → the report's audience; technical by default. */
export function audienceFrom(said: string | undefined): ReportAudience {
  const word = (said ?? '').toLowerCase();
  if (/exec|leadership|management|board/.test(word)) return 'executive';
  if (/regulator|auditor/.test(word)) return 'regulator';
  return 'technical';
}

export function tlpFrom(said: string | undefined): TlpMarking | undefined {
  const word = (said ?? '').toUpperCase().replace(/\s+/g, '');
  const markings: TlpMarking[] = ['AMBER+STRICT', 'CLEAR', 'GREEN', 'AMBER', 'RED'];
  return markings.find((marking) => marking === word);
}

/** "report incident 42 for executives|technical|the regulator [tlp:red]". */
export const reportIncidentById: MessageHandler = async (turn) => {
  await reportAndReply(turn, {
    incidentId: (turn.groups.incidentId ?? '').trim(),
    audience: audienceFrom(turn.groups.audience),
    tlp: tlpFrom(turn.groups.tlp),
  });
};

export async function reportAndReply(
  turn: Pick<MessageTurn, 'services' | 'responder' | 'logger' | 'later'>,
  request: { incidentId: string; audience: ReportAudience; tlp?: TlpMarking },
): Promise<void> {
  await replyWithWork(turn, {
    name: 'incident report',
    slow: isSlowWork(turn.services),
    working: {
      activity: `Investigating, then writing the ${request.audience} report…`,
      subject: `Incident ${request.incidentId.slice(0, 80)}`,
    },
    build: async () => {
      const outcome = await reportIncident(request.incidentId, investigateDependencies(turn), {
        audience: request.audience,
        tlp: request.tlp,
      });
      return reportCard(outcome.report);
    },
  });
}
