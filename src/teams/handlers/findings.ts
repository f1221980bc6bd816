import { findingsCard } from '../../cards/findings-card';
import type { CapabilityResult } from '../../copilot/result';
import { findingFromResult, listFindings, recordFinding } from '../../findings';
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
  const by = { aadObjectId: turn.info?.user.aadObjectId, name: turn.info?.user.name };
  try {
    await recordFinding(turn.services.store, findingFromResult(result, { ...details, by }));
  } catch (error) {
    turn.logger.warn(
      {
        capability: result.capability,
        incidentId: details.incidentId ?? result.subject.incidentId,
        alertId: result.subject.alertId,
        code: (error as { code?: string }).code,
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
