import { z } from 'zod';
import { isCopilotError } from '../../errors';
import type { JsonHttpClient } from '../../http';
import type { Logger } from '../../logger';
import { UserContextSchema, type SignIn, type UserContext } from '../model';
import { firstIsoTimestamp } from '../normalize/time';

/**
 * What Graph knows about a user, from three calls that each may fail on its own (a missing permission, a
 * tenant without Entra ID P2): the profile with the manager (User.Read.All), Entra ID Protection risk
 * (IdentityRiskyUser.Read.All) and the last sign-ins (AuditLog.Read.All). Whatever answered is returned;
 * a user Graph does not know is `undefined`; only when every call failed is the first failure thrown.
 */

const RECENT_SIGN_INS = 10;

const UserSchema = z.object({
  userPrincipalName: z.string().nullable().optional(),
  displayName: z.string().nullable().optional(),
  department: z.string().nullable().optional(),
  jobTitle: z.string().nullable().optional(),
  manager: z
    .object({ displayName: z.string().nullable().optional(), userPrincipalName: z.string().nullable().optional() })
    .passthrough()
    .nullable()
    .optional(),
});

const RiskyUsersSchema = z.object({
  value: z.array(
    z.object({ riskLevel: z.string().nullable().optional(), riskState: z.string().nullable().optional() }),
  ),
});

const SignInsSchema = z.object({
  value: z.array(
    z.object({
      createdDateTime: z.string(),
      ipAddress: z.string().nullable().optional(),
      appDisplayName: z.string().nullable().optional(),
      location: z
        .object({ city: z.string().nullable().optional(), countryOrRegion: z.string().nullable().optional() })
        .nullable()
        .optional(),
      status: z
        .object({ errorCode: z.number().nullable().optional(), failureReason: z.string().nullable().optional() })
        .nullable()
        .optional(),
    }),
  ),
});

const riskLevels = new Set(['none', 'low', 'medium', 'high']);

export async function graphUserContext(
  http: JsonHttpClient,
  userPrincipalName: string,
  logger?: Logger,
): Promise<UserContext | undefined> {
  const upn = userPrincipalName.trim();
  // A UPN is an address; anything else (spaces, quotes, slashes) cannot name a user and is not sent.
  if (!/^[^\s'"/\\?#%]{1,256}@[^\s'"/\\?#%]{1,256}$/.test(upn)) return undefined;
  const quoted = upn.replace(/'/g, "''");

  const [profile, risk, signIns] = await Promise.allSettled([
    http.sendOrUndefined({
      operation: 'get user',
      method: 'GET',
      path: `v1.0/users/${encodeURIComponent(upn)}`,
      query: {
        $select: 'userPrincipalName,displayName,department,jobTitle',
        $expand: 'manager($select=displayName,userPrincipalName)',
      },
      schema: UserSchema,
    }),
    http.send({
      operation: 'get user risk',
      method: 'GET',
      path: 'v1.0/identityProtection/riskyUsers',
      query: { $filter: `userPrincipalName eq '${quoted}'` },
      schema: RiskyUsersSchema,
    }),
    http.send({
      operation: 'list user sign-ins',
      method: 'GET',
      path: 'v1.0/auditLogs/signIns',
      query: { $filter: `userPrincipalName eq '${quoted}'`, $top: RECENT_SIGN_INS },
      schema: SignInsSchema,
    }),
  ]);

  if (profile.status === 'fulfilled' && profile.value === undefined) return undefined;
  const failures = [profile, risk, signIns].filter((outcome) => outcome.status === 'rejected');
  if (failures.length === 3) throw (failures[0] as PromiseRejectedResult).reason;
  for (const [part, outcome] of [
    ['profile', profile],
    ['risk', risk],
    ['sign-ins', signIns],
  ] as const) {
    if (outcome.status === 'rejected') {
      const reason = outcome.reason as unknown;
      logger?.warn(
        { part, code: isCopilotError(reason) ? reason.code : 'unknown' },
        'user context is partial: one Graph call failed',
      );
    }
  }

  const user = profile.status === 'fulfilled' ? profile.value : undefined;
  const riskLevel = risk.status === 'fulfilled' ? risk.value.value[0]?.riskLevel?.toLowerCase() : undefined;
  return UserContextSchema.parse({
    userPrincipalName: user?.userPrincipalName ?? upn,
    displayName: user?.displayName ?? undefined,
    department: user?.department ?? undefined,
    jobTitle: user?.jobTitle ?? undefined,
    manager: user?.manager?.userPrincipalName ?? user?.manager?.displayName ?? undefined,
    // No risky-user record means Entra ID Protection has no risk on file: none. A failed call means unknown.
    riskLevel:
      risk.status === 'rejected'
        ? 'unknown'
        : riskLevel === undefined
          ? 'none'
          : riskLevels.has(riskLevel)
            ? riskLevel
            : 'unknown',
    recentSignIns: signIns.status === 'fulfilled' ? signIns.value.value.map(mapGraphSignIn).filter(isDefined) : [],
  });
}

type GraphSignIn = z.output<typeof SignInsSchema>['value'][number];

/** One Graph sign-in (auditLogs/signIns) as our SignIn; errorCode 0 is success. */
export function mapGraphSignIn(entry: GraphSignIn): SignIn | undefined {
  const time = firstIsoTimestamp(entry.createdDateTime);
  if (time === undefined) return undefined;
  const place = [entry.location?.city, entry.location?.countryOrRegion].filter(Boolean).join(', ');
  const errorCode = entry.status?.errorCode ?? 0;
  return {
    time,
    ipAddress: entry.ipAddress ?? undefined,
    location: place === '' ? undefined : place,
    application: entry.appDisplayName ?? undefined,
    succeeded: errorCode === 0,
    failureReason: errorCode === 0 ? undefined : (entry.status?.failureReason ?? `error ${errorCode}`),
  };
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
