import type { Role } from '../security/access';

/**
 * Which role each sensitive message intent and card verb needs. Everything not listed is open to every analyst
 * of an allowed tenant: reading, explaining and writing queries change nothing.
 */
export interface RoleRequirement {
  role: Exclude<Role, 'analyst'>;
  /** The action, as the refusal names it ("Running a query"). */
  action: string;
}

const leadAudience = /^(?:exec|leader|manage|board|regulator|auditor)/i;

export function requiredRoleForMessage(
  intent: string,
  groups: Record<string, string | undefined>,
): RoleRequirement | undefined {
  switch (intent) {
    case 'runQuery':
      return { role: 'responder', action: 'Running a query against your data' };
    case 'reportIncident':
      return leadAudience.test(groups.audience ?? '')
        ? { role: 'lead', action: 'A report for executives or the regulator' }
        : undefined;
    case 'subscribeAlertFeed':
    case 'unsubscribeAlertFeed':
      return { role: 'responder', action: 'Changing where alerts are posted' };
    default:
      return undefined;
  }
}

export function requiredRoleForVerb(verb: string, data: unknown): RoleRequirement | undefined {
  const record = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  switch (verb) {
    case 'runHuntQuery':
      return { role: 'responder', action: 'Running a query against your data' };
    case 'acknowledgeAlert':
    case 'assignAlertToMe':
    case 'closeAlert':
      return { role: 'responder', action: 'Changing an alert (acknowledge, assign, close)' };
    case 'reportIncident':
      return leadAudience.test(String(record.audience ?? ''))
        ? { role: 'lead', action: 'A report for executives or the regulator' }
        : undefined;
    default:
      return undefined;
  }
}
