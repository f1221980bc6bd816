/**
 * Who may talk to the bot and who may do what. Pure: the Teams layer reads the tenant, team, channel and
 * user ids from the activity and asks here. Checks run on the server for every message and every invoke;
 * hiding a button is never the control.
 */

export type Role = 'analyst' | 'responder' | 'lead';

export interface AccessConfig {
  /** Tenants whose users may use the bot; 'any' only in anonymous local mode or when configured as "*". */
  allowedTenants: readonly string[] | 'any';
  /** Optional narrower allow-lists (Teams team and channel ids); unset = any team / channel of an allowed tenant. */
  allowedTeams?: readonly string[];
  allowedChannels?: readonly string[];
  /**
   * Entra ID user object ids per role (a lead is also a responder). Unset = no roles configured: everyone is a
   * lead in anonymous local mode, and only an analyst when the bot authenticates requests (sensitive actions
   * then say which variable an administrator must set).
   */
  roles?: { responders: readonly string[]; leads: readonly string[] };
  /** No bot identity: the Playground and tests. */
  anonymousLocal: boolean;
}

export interface TurnPlace {
  tenantId?: string;
  teamId?: string;
  channelId?: string;
}

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

const lower = (values: readonly string[]) => new Set(values.map((value) => value.trim().toLowerCase()));

export function placeAllowed(access: AccessConfig, place: TurnPlace): AccessDecision {
  if (access.allowedTenants !== 'any') {
    const tenant = place.tenantId?.toLowerCase();
    if (tenant === undefined || !lower(access.allowedTenants).has(tenant)) {
      return { allowed: false, reason: 'tenant not allowed' };
    }
  }
  if (
    access.allowedTeams !== undefined &&
    place.teamId !== undefined &&
    !lower(access.allowedTeams).has(place.teamId.toLowerCase())
  ) {
    return { allowed: false, reason: 'team not allowed' };
  }
  if (
    access.allowedChannels !== undefined &&
    place.channelId !== undefined &&
    !lower(access.allowedChannels).has(place.channelId.toLowerCase())
  ) {
    return { allowed: false, reason: 'channel not allowed' };
  }
  return { allowed: true };
}

export function roleOf(access: AccessConfig, userObjectId: string | undefined): Role {
  if (access.roles === undefined) return access.anonymousLocal ? 'lead' : 'analyst';
  const user = userObjectId?.toLowerCase();
  if (user === undefined) return 'analyst';
  if (lower(access.roles.leads).has(user)) return 'lead';
  if (lower(access.roles.responders).has(user)) return 'responder';
  return 'analyst';
}

const rank: Record<Role, number> = { analyst: 0, responder: 1, lead: 2 };

export function hasRole(access: AccessConfig, userObjectId: string | undefined, required: Role): boolean {
  return rank[roleOf(access, userObjectId)] >= rank[required];
}

/** What the analyst is told when a role is missing: which role, and (when none are configured) which variable. */
export function missingRoleMessage(access: AccessConfig, required: Role, action: string): string {
  const variable = required === 'lead' ? 'LEAD_IDS' : 'RESPONDER_IDS';
  if (access.roles === undefined) {
    return `${action} needs the ${required} role, and no roles are configured: an administrator must list the people who may do this in ${variable}.`;
  }
  return `${action} needs the ${required} role. Ask your SOC lead to add you to ${variable} if you need it.`;
}
