import { addresses, analysts, people } from '../directory';
import type { DemoTimeline } from '../fake-identifiers';
import type { IncidentSpec } from '../graph-shapes';
import { cloudApplicationEvidence, ipEvidence, userEvidence } from '../graph-shapes';

const office365 = (roles: string[]) => cloudApplicationEvidence('Office 365', 11161, { roles, verdict: 'unknown' });

/**
 * Incident 46, about three days ago: one IP address tries a few common passwords against many accounts.
 * Smart lockout and MFA held, except that hannah.brooks's password was among those tried (see incident 47).
 */
export function passwordSprayIncident(_time: DemoTimeline): IncidentSpec {
  const targets = [people.hannah, people.olivia, people.daniel, people.sofia];
  return {
    id: '46',
    displayName: 'Password spray against Entra ID from a single IP address',
    description:
      'Over 20 minutes, 198.51.100.140 attempted sign-ins to 38 accounts with a handful of passwords. All ' +
      'attempts failed or stopped at MFA; one account (hannah.brooks) passed the password step.',
    status: 'resolved',
    assignedTo: analysts.jordan,
    classification: 'truePositive',
    determination: 'compromisedAccount',
    customTags: ['Identity'],
    alerts: [
      {
        id: 'ad-4002',
        product: 'entra',
        title: 'Password spray',
        description:
          'Multiple usernames were attacked with common passwords from the same IP address in a short time. ' +
          'At least one attempt used a correct password.',
        recommendedActions:
          'Reset the passwords of accounts with a correct-password attempt, block the IP address with a named ' +
          'location, and check that legacy authentication is blocked.',
        severity: 'high',
        status: 'resolved',
        category: 'CredentialAccess',
        techniques: ['T1110.003'],
        activity: { startedMinutesAgo: 4320, endedMinutesAgo: 4300 },
        evidence: [
          ipEvidence(addresses.passwordSpraySource, 'BR', { roles: ['attacker', 'source'], verdict: 'malicious' }),
          ...targets.map((person) =>
            userEvidence(person, { roles: person === people.hannah ? ['compromised'] : ['attacked'] }),
          ),
        ],
        assignedTo: analysts.jordan,
        classification: 'truePositive',
        determination: 'compromisedAccount',
      },
      {
        id: 'sn-6005',
        product: 'sentinel',
        title: 'Password spray attack against Microsoft Entra ID application',
        description:
          'Analytics rule: 112 failed sign-ins (error 50126, invalid username or password) for 38 distinct ' +
          'accounts from one IP address, followed by one success at the password step.',
        recommendedActions: 'Review SigninLogs for the IP address and confirm no session was issued.',
        severity: 'medium',
        status: 'resolved',
        category: 'CredentialAccess',
        techniques: ['T1110.003'],
        activity: { startedMinutesAgo: 4320, endedMinutesAgo: 4296 },
        evidence: [
          ipEvidence(addresses.passwordSpraySource, 'BR', { roles: ['attacker'], verdict: 'malicious' }),
          userEvidence(people.hannah, { roles: ['compromised'] }),
          office365(['contextual']),
        ],
        classification: 'truePositive',
        determination: 'compromisedAccount',
      },
      {
        id: 'ca-5002',
        product: 'cloudApps',
        title: 'Multiple failed login attempts',
        description: 'Olivia Chen had 9 failed sign-in attempts to Office 365 from a single IP address in 4 minutes.',
        recommendedActions: 'No action needed for this account if no attempt succeeded; keep the IP blocked.',
        severity: 'low',
        status: 'resolved',
        category: 'CredentialAccess',
        techniques: ['T1110'],
        activity: { startedMinutesAgo: 4312, endedMinutesAgo: 4308 },
        evidence: [
          userEvidence(people.olivia, { roles: ['attacked'] }),
          ipEvidence(addresses.passwordSpraySource, 'BR', { roles: ['attacker'] }),
        ],
        classification: 'truePositive',
        determination: 'other',
      },
    ],
  };
}

/**
 * Incident 47, about two and a half days ago: with the sprayed password the attacker pushes MFA prompts until
 * the user approves one, signs in from an unfamiliar location and downloads HR documents from SharePoint.
 */
export function mfaFatigueIncident(_time: DemoTimeline): IncidentSpec {
  const victim = people.hannah;
  const attackerIp = ipEvidence(addresses.mfaFatigueSource, 'RO', { roles: ['attacker'], verdict: 'suspicious' });
  return {
    id: '47',
    displayName: 'MFA fatigue attack followed by unusual SharePoint downloads involving one user',
    description:
      'hannah.brooks denied 11 Microsoft Authenticator push requests in 15 minutes, then approved one. The ' +
      'session came from an IP address in Romania and downloaded 214 files from the HR SharePoint site.',
    status: 'inProgress',
    assignedTo: analysts.amara,
    customTags: ['Identity', 'HR data'],
    alerts: [
      {
        id: 'sn-6006',
        product: 'sentinel',
        title: 'Possible MFA fatigue: repeated MFA denials followed by approval',
        description:
          'Analytics rule "MFA fatigue": 11 MFA denials (result 500121) for one user from the same IP address, ' +
          'followed by a successful MFA approval within 20 minutes.',
        recommendedActions:
          'Call the user on a known number, revoke sessions, reset the password, and turn on number matching ' +
          'and additional context in Microsoft Authenticator.',
        severity: 'high',
        status: 'inProgress',
        category: 'CredentialAccess',
        techniques: ['T1621', 'T1078.004'],
        activity: { startedMinutesAgo: 3515, endedMinutesAgo: 3498 },
        evidence: [userEvidence(victim, { roles: ['compromised'] }), attackerIp, office365(['contextual'])],
        assignedTo: analysts.amara,
      },
      {
        id: 'ad-4003',
        product: 'entra',
        title: 'Unfamiliar sign-in properties',
        description:
          'A sign-in succeeded with properties not seen for this user before: IP address, location (Bucharest, ' +
          'RO), browser and operating system.',
        recommendedActions: 'Confirm with the user; if not them, confirm the user compromised in ID Protection.',
        severity: 'medium',
        status: 'inProgress',
        category: 'InitialAccess',
        techniques: ['T1078.004'],
        activity: { startedMinutesAgo: 3497 },
        evidence: [userEvidence(victim, { roles: ['compromised'] }), attackerIp],
        assignedTo: analysts.amara,
      },
      {
        id: 'ca-5003',
        product: 'cloudApps',
        title: 'Activity from infrequent country',
        description: 'Activity from Romania, a country no user in the organisation has signed in from in 180 days.',
        recommendedActions: 'Review the session activity log for the user in Defender for Cloud Apps.',
        severity: 'medium',
        status: 'new',
        category: 'InitialAccess',
        techniques: ['T1078'],
        activity: { startedMinutesAgo: 3490 },
        evidence: [userEvidence(victim, { roles: ['compromised'] }), attackerIp, office365(['contextual'])],
      },
      {
        id: 'ca-5004',
        product: 'cloudApps',
        title: 'Mass download by a single user',
        description:
          'The user downloaded 214 files from the SharePoint site "HR - Employee Relations" in 9 minutes, ' +
          'far above their usual pattern.',
        recommendedActions:
          'Identify the downloaded files (CloudAppEvents, FileDownloaded), assess whether they hold personal data, ' +
          'and involve the privacy officer.',
        severity: 'high',
        status: 'new',
        category: 'Collection',
        techniques: ['T1213.002', 'T1530'],
        activity: { startedMinutesAgo: 3440, endedMinutesAgo: 3431 },
        evidence: [
          userEvidence(victim, { roles: ['compromised'] }),
          attackerIp,
          cloudApplicationEvidence('Microsoft SharePoint Online', 20892, { roles: ['contextual'], verdict: 'unknown' }),
        ],
      },
    ],
  };
}

/**
 * Incident 48, about five and a half days ago and already closed: a sales director on a trip signs in from a
 * Madrid hotel and through a consumer VPN minutes apart. Benign, and a useful contrast to incident 47.
 */
export function travellingUserIncident(_time: DemoTimeline): IncidentSpec {
  const traveller = people.sofia;
  return {
    id: '48',
    displayName: 'Impossible travel and anonymous IP sign-ins for a travelling user',
    description:
      'sofia.alvarez signed in from Madrid and, 14 minutes later, through a consumer VPN exit in the United ' +
      'States. The user confirmed the trip and the VPN app; MFA was satisfied on her registered phone both times.',
    status: 'resolved',
    assignedTo: analysts.jordan,
    classification: 'informationalExpectedActivity',
    determination: 'confirmedUserActivity',
    customTags: ['Identity', 'Travel'],
    alerts: [
      {
        id: 'ca-5005',
        product: 'cloudApps',
        title: 'Impossible travel activity',
        description:
          'The user signed in from Madrid, ES and from Seattle, US within 14 minutes, a distance that cannot be ' +
          'covered in that time.',
        recommendedActions: 'Confirm travel and VPN use with the user; consider excluding the corporate VPN range.',
        severity: 'medium',
        status: 'resolved',
        category: 'InitialAccess',
        techniques: ['T1078'],
        activity: { startedMinutesAgo: 7920, endedMinutesAgo: 7906 },
        evidence: [
          userEvidence(traveller, { roles: ['contextual'], verdict: 'noThreatsFound' }),
          ipEvidence(addresses.madridHotel, 'ES', { roles: ['source'], verdict: 'noThreatsFound' }),
          ipEvidence(addresses.consumerVpn, 'US', { roles: ['source'], verdict: 'noThreatsFound' }),
        ],
        assignedTo: analysts.jordan,
        classification: 'informationalExpectedActivity',
        determination: 'confirmedUserActivity',
      },
      {
        id: 'ad-4004',
        product: 'entra',
        title: 'Anonymous IP address',
        description: 'A sign-in came from a consumer VPN exit node that is commonly used to hide location.',
        recommendedActions: 'Confirm with the user; no action if the VPN use is expected.',
        severity: 'low',
        status: 'resolved',
        category: 'InitialAccess',
        techniques: ['T1090.003'],
        activity: { startedMinutesAgo: 7906 },
        evidence: [
          userEvidence(traveller, { roles: ['contextual'], verdict: 'noThreatsFound' }),
          ipEvidence(addresses.consumerVpn, 'US', { roles: ['source'], verdict: 'noThreatsFound' }),
        ],
        assignedTo: analysts.jordan,
        classification: 'informationalExpectedActivity',
        determination: 'confirmedUserActivity',
      },
    ],
  };
}
