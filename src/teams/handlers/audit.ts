import { AuditTrail } from '../../audit';
import { auditCard } from '../../cards/audit-card';
import type { MessageHandler } from './types';

/** "audit": the caller's own last 10 requests (only their own: matched on their AAD object id). */
export const showMyAudit: MessageHandler = async (turn) => {
  const trail = new AuditTrail(turn.services.store, turn.services.clock);
  const records = await trail.recentFor({ aadObjectId: turn.info.user.aadObjectId, userId: turn.info.user.id }, 10);
  await turn.responder.sendCard(auditCard(records));
};
