import { findingsCard } from '../../cards/findings-card';
import type { CapabilityResult } from '../../copilot/result';
import { toCopilotError } from '../../errors';
import {
  findingFromResult,
  listFindings,
  recordFinding,
  type FindingAuthor,
  type RecordFindingInput,
} from '../../findings';
import type { Logger } from '../../logger';
import type { Services } from '../../services';
import type { TurnInfo } from '../turn-info';
import type { MessageHandler } from './types';

/** The parts of a turn recording needs; `info` (who asked) is read when the turn carries it. */
export interface FindingTurn {
  services: Services;
  logger: Logger;
  info?: TurnInfo;
}

/**
 * Stores a capability result as a finding of its incident and alerts. Never fails the turn: a failed write is
 * logged (ids only, never the result).
 */
export async function recordResultFinding(
  turn: FindingTurn,
  result: CapabilityResult<unknown>,
  details: { summary: string; alertIds?: string[]; incidentId?: string },
): Promise<void> {
  await recordTurnFinding(turn, findingFromResult(result, { ...details, by: findingAuthor(turn) }));
}

/** Who asked, for the finding: the turn's user when the turn carries one. */
export function findingAuthor(turn: FindingTurn): FindingAuthor {
  return { aadObjectId: turn.info?.user.aadObjectId, name: turn.info?.user.name };
}

/**
 * Stores a finding (nothing when there is none to file). Never fails the turn: a failed write is logged with ids
 * only, never the result, the query or rows.
 */
export async function recordTurnFinding(turn: FindingTurn, finding: RecordFindingInput | undefined): Promise<void> {
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

/** "show findings for incident 42", "findings incident 42", "findings for alert da-1004". */
export const showFindings: MessageHandler = async (turn) => {
  const incidentId = turn.groups.incidentId?.trim();
  const alertId = turn.groups.alertId?.trim();
  const subject = incidentId
    ? { kind: 'incident' as const, id: incidentId }
    : { kind: 'alert' as const, id: alertId ?? '' };
  const findings = await listFindings(
    turn.services.store,
    subject.kind === 'incident' ? { incidentId: subject.id, limit: 20 } : { alertId: subject.id, limit: 20 },
  );
  await turn.responder.sendCard(findingsCard(subject, findings));
};
