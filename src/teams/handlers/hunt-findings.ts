import type { HuntRunResult } from '../../copilot/hunt/run';
import type { HuntingQueryResult } from '../../copilot/hunt/schema';
import type { CapabilityResult } from '../../copilot/result';
import { toCopilotError } from '../../errors';
import { huntFinding, queryRunFinding, type HuntSubject } from '../../findings';
import { findingAuthor, recordTurnFinding, type FindingTurn } from './findings';
import type { MessageTurn } from './types';

type SubjectTurn = Pick<MessageTurn, 'logger' | 'recall'>;

/**
 * What a hunt is about: the ids its button carried ("Hunt" on an alert from the feed, "Hunt: T1059" on an
 * investigation), else the thread's subject ("investigate incident 42" earlier in the same conversation). Read once,
 * when the hunt is asked for, so work that finishes later is filed under what the thread was about at the time; the
 * turn's `recall` shares the read with the router (a "run it" follow-up reads the store once).
 * Never fails the turn: without a readable subject the hunt is answered and simply not filed.
 */
export async function huntSubjectOf(turn: SubjectTurn, explicit: HuntSubject = {}): Promise<HuntSubject | undefined> {
  if (explicit.incidentId || explicit.alertId) return explicit;
  try {
    const remembered = await turn.recall();
    if (remembered?.incidentId === undefined && remembered?.alertId === undefined) return undefined;
    return { incidentId: remembered.incidentId, alertId: remembered.alertId };
  } catch (error) {
    turn.logger.warn({ code: toCopilotError(error).code }, 'could not read the thread memory for a hunt');
    return undefined;
  }
}

/** Files a hunting query the bot wrote under the hunt's incident or alert (nothing without one). */
export async function recordHuntFinding(
  turn: FindingTurn,
  subject: HuntSubject | undefined,
  hunt: CapabilityResult<HuntingQueryResult>,
  request?: string,
): Promise<void> {
  await recordTurnFinding(turn, huntFinding(hunt, { by: findingAuthor(turn), subject, request }));
}

/** Files a query run and the summary of its results under the hunt's incident or alert (nothing without one). */
export async function recordQueryRunFinding(
  turn: FindingTurn,
  subject: HuntSubject | undefined,
  run: CapabilityResult<HuntRunResult>,
): Promise<void> {
  await recordTurnFinding(turn, queryRunFinding(run, { by: findingAuthor(turn), subject }));
}
