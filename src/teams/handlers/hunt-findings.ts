import type { HuntRunResult } from '../../copilot/hunt/run';
import type { HuntingQueryResult } from '../../copilot/hunt/schema';
import { ThreadMemory } from '../../copilot/memory/thread-memory';
import type { CapabilityResult } from '../../copilot/result';
import { toCopilotError } from '../../errors';
import { huntFinding, queryRunFinding, recordFinding, type HuntSubject, type RecordFindingInput } from '../../findings';
import type { MessageTurn } from './types';

type HuntTurn = Pick<MessageTurn, 'services' | 'logger'> & { info?: MessageTurn['info'] };

/**
 * What a hunt is about: the ids its button carried ("Hunt" on an alert from the feed, "Hunt: T1059" on an
 * investigation), else the thread's subject ("investigate incident 42" earlier in the same conversation). Read once,
 * when the hunt is asked for, so work that finishes later is filed under what the thread was about at the time.
 * Never fails the turn: without a readable subject the hunt is answered and simply not filed.
 */
export async function huntSubjectOf(turn: HuntTurn, explicit: HuntSubject = {}): Promise<HuntSubject | undefined> {
  if (explicit.incidentId || explicit.alertId) return explicit;
  try {
    const remembered = await new ThreadMemory(turn.services.store, turn.services.clock).recall(
      turn.info?.conversationId,
    );
    if (remembered?.incidentId === undefined && remembered?.alertId === undefined) return undefined;
    return { incidentId: remembered.incidentId, alertId: remembered.alertId };
  } catch (error) {
    turn.logger.warn({ code: toCopilotError(error).code }, 'could not read the thread memory for a hunt');
    return undefined;
  }
}

/** Files a hunting query the bot wrote under the hunt's incident or alert (nothing without one). */
export async function recordHuntFinding(
  turn: HuntTurn,
  subject: HuntSubject | undefined,
  hunt: CapabilityResult<HuntingQueryResult>,
  request?: string,
): Promise<void> {
  await store(turn, huntFinding(hunt, { by: authorOf(turn), subject, request }));
}

/** Files a query run and the summary of its results under the hunt's incident or alert (nothing without one). */
export async function recordQueryRunFinding(
  turn: HuntTurn,
  subject: HuntSubject | undefined,
  run: CapabilityResult<HuntRunResult>,
): Promise<void> {
  await store(turn, queryRunFinding(run, { by: authorOf(turn), subject }));
}

function authorOf(turn: HuntTurn) {
  return { aadObjectId: turn.info?.user.aadObjectId, name: turn.info?.user.name };
}

/** A failed write is logged with ids only (never the query or rows) and does not fail the answer. */
async function store(turn: HuntTurn, finding: RecordFindingInput | undefined): Promise<void> {
  if (finding === undefined) return;
  try {
    await recordFinding(turn.services.store, finding);
  } catch (error) {
    turn.logger.warn(
      {
        capability: finding.capability,
        incidentId: finding.incidentId,
        alertId: finding.alertIds?.[0],
        code: toCopilotError(error).code,
      },
      'could not record a finding',
    );
  }
}
