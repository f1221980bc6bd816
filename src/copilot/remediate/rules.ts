import type { Alert, Entity, UserContext } from '../../sources/model';
import { upnOf, isServer } from '../analyze-alert/offline';
import type { RemediationStep } from './schema';

/**
 * The response rules: for each entity of the alerts, what to do given its type, its role and verdict,
 * and the ATT&CK tactics and techniques seen. Each rule says who can do it, where, how to verify it and
 * what it costs. Commands carry entity values single-quoted (PowerShell's literal string), and a value
 * with characters no UPN, host or hash has is replaced by a placeholder rather than pasted into a
 * command an analyst may copy.
 */

export interface RuleContext {
  alerts: readonly Alert[];
  /** In kill-chain order. */
  tactics: readonly string[];
  /** The furthest tactic seen. */
  stage: string | undefined;
  techniqueIds: ReadonlySet<string>;
  users: Map<string, UserContext>;
  /** True when every alert is resolved: containment then is not urgent. */
  allResolved: boolean;
}

export type DraftStep = Omit<RemediationStep, 'order' | 'mitigations' | 'origin'> & {
  /** Lower runs first within a phase. */
  priority: number;
  /** M-ids this kind of step implements; kept only when a technique seen lists them. */
  mitigationIds: string[];
};

const safeValue = /^[\p{L}\p{N}._@+\-/:$]{1,256}$/u;

/** A PowerShell single-quoted literal of the value, or a placeholder when the value is not a plain identifier. */
export function quoted(value: string, placeholder: string): string {
  const trimmed = value.trim();
  return safeValue.test(trimmed) ? `'${trimmed.replace(/'/g, "''")}'` : `<${placeholder}>`;
}

/** The value as a path segment, or a placeholder. */
function segment(value: string, placeholder: string): string {
  const trimmed = value.trim();
  return /^[\p{L}\p{N}._@+-]{1,256}$/u.test(trimmed) ? trimmed : `{${placeholder}}`;
}

const has = (seen: ReadonlySet<string> | readonly string[], ...values: string[]) =>
  values.some((value) => ('has' in seen ? seen.has(value) : seen.includes(value)));
const techniqueSeen = (context: RuleContext, prefix: string) =>
  [...context.techniqueIds].some((id) => id === prefix || id.startsWith(`${prefix}.`));
const flagged = (entity: Entity) =>
  /malicious|suspicious/i.test(entity.properties.verdict ?? '') ||
  entity.roles.some((role) => /compromised|attacker/i.test(role));
const lateStage = (context: RuleContext) =>
  has(context.tactics, 'Credential Access', 'Lateral Movement', 'Exfiltration', 'Impact', 'Command and Control');
const isPrivate = (ip: string) =>
  /^(10\.|127\.|169\.254\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|::1$|fe80:|f[cd][0-9a-f]{2}:)/i.test(ip.trim());
const firstActivity = (context: RuleContext) =>
  context.alerts.map((alert) => alert.firstActivityAt ?? alert.createdAt).sort()[0] ?? 'the first activity';

function hostSteps(entity: Entity, context: RuleContext): DraftStep[] {
  const steps: DraftStep[] = [];
  const host = entity.value;
  const server = isServer(entity);
  const machineId = entity.properties.mdeDeviceId ? segment(entity.properties.mdeDeviceId, 'machineId') : '{machineId}';
  // Only a device the attacker controls is cut off; the target of an attack (a domain controller asked for
  // replication, a server receiving a payload) is investigated, not isolated, unless the source says it is compromised.
  const compromisedDevice =
    entity.roles.some((role) => /compromised/i.test(role)) || /malicious/i.test(entity.properties.verdict ?? '');
  if (!context.allResolved && compromisedDevice && (flagged(entity) || lateStage(context))) {
    steps.push({
      phase: 'contain',
      priority: 10,
      kind: 'isolateDevice',
      action: `Isolate ${host} from the network (full isolation; Defender keeps its connection).`,
      target: { type: 'host', value: host },
      why: `The device is ${entity.properties.verdict ?? 'involved'} and the activity reaches ${context.stage ?? 'an unknown stage'} — isolation stops the attacker using it to spread.`,
      who: 'Defender for Endpoint: Security Operator (or a custom role with "Active remediation actions")',
      where: [
        { tool: 'portal', how: `Microsoft Defender portal › Assets › Devices › ${host} › Isolate device` },
        {
          tool: 'api',
          how: `POST /api/machines/${machineId}/isolate {"IsolationType":"Full"} (Defender for Endpoint API, Machine.Isolate)`,
        },
      ],
      verify:
        'The device page shows "Isolated" and the Action center lists the isolation as completed; DeviceNetworkEvents shows no new connections except to Defender.',
      risk: server
        ? `${host} is a server: everything it serves (shares, databases, services) goes offline for all users until released. Agree the outage with its owner, or use selective isolation if the service must stay up.`
        : 'The user cannot work on the device until it is released; collect an investigation package first if you can.',
      mitigationIds: [],
    });
    steps.push({
      phase: 'contain',
      priority: 15,
      kind: 'collectInvestigationPackage',
      action: `Collect an investigation package from ${host} to preserve evidence.`,
      target: { type: 'host', value: host },
      why: 'Memory-resident and volatile evidence is lost on reboot or reimage.',
      who: 'Defender for Endpoint: Security Operator',
      where: [
        { tool: 'portal', how: `Microsoft Defender portal › Devices › ${host} › Collect investigation package` },
        { tool: 'api', how: `POST /api/machines/${machineId}/collectInvestigationPackage` },
      ],
      verify: 'The Action center shows the package as collected and it downloads.',
      risk: 'None to the device; the package may contain personal data — store it with the case.',
      mitigationIds: [],
    });
  }
  if (context.techniqueIds.has('T1003.001') && compromisedDevice) {
    steps.push({
      phase: 'recover',
      priority: 20,
      kind: 'resetLoggedOnCredentials',
      action: `Reset the passwords of every account that signed in to ${host} since ${firstActivity(context)}, privileged and service accounts first.`,
      target: { type: 'host', value: host },
      why: 'Credentials were dumped from memory on this device; every cached logon must be treated as stolen.',
      who: 'Entra ID: Privileged Authentication Administrator for admins, User Administrator for others; Active Directory: account operators for on-premises accounts',
      where: [
        {
          tool: 'portal',
          how: `Microsoft Defender portal › Devices › ${host} › Overview › Logged on users (list of accounts)`,
        },
        {
          tool: 'powershell',
          how: 'Set-ADAccountPassword -Identity <account> -Reset; Revoke-MgUserSignInSession -UserId <upn>',
        },
      ],
      verify:
        'IdentityLogonEvents for those accounts show only sign-ins after the reset; no alerts for the old credentials.',
      risk: 'Service accounts break until every service using them has the new password; plan resets with their owners.',
      mitigationIds: ['M1027', 'M1026'],
    });
    steps.push({
      phase: 'harden',
      priority: 10,
      kind: 'enableCredentialProtection',
      action: `Turn on LSA protection (RunAsPPL), Credential Guard and the ASR rule "Block credential stealing from LSASS" on ${host}.`,
      target: { type: 'host', value: host },
      why: 'They stop the LSASS memory dump technique seen here.',
      who: 'Intune: Endpoint Security Manager (or Group Policy administrators)',
      where: [
        {
          tool: 'portal',
          how: 'Intune admin center › Endpoint security › Attack surface reduction / Account protection',
        },
        {
          tool: 'powershell',
          how: 'Add-MpPreference -AttackSurfaceReductionRules_Ids 9e6c4e1f-7d60-472f-ba1a-a39ef669e4b2 -AttackSurfaceReductionRules_Actions Enabled',
        },
      ],
      verify:
        'Event 12 in the System log shows LSA started as a protected process; the ASR rule is in Block mode in DeviceEvents.',
      risk: 'Unsigned LSA plug-ins (some smart-card or password filters) stop loading; test on a pilot group first.',
      mitigationIds: ['M1043', 'M1025', 'M1040'],
    });
  }
  if (has(context.techniqueIds, 'T1486', 'T1490')) {
    steps.push({
      phase: 'recover',
      priority: 10,
      kind: 'restoreFromBackup',
      action: `Restore the encrypted or deleted data on ${host} from backups taken before ${firstActivity(context)}, after checking the backups are intact.`,
      target: { type: 'host', value: host },
      why: 'Shadow copies were deleted or files encrypted; clean backups are the way back.',
      who: 'The backup administrators for the server, with its owner',
      where: [
        {
          tool: 'portal',
          how: 'Your backup product (e.g. Azure Backup › Backup items › Restore), to a clean, patched host',
        },
      ],
      verify:
        'Restored files open; file hashes match the backup catalogue; no new encryption alerts after reconnecting.',
      risk: 'Restoring onto a host that is still compromised re-encrypts the data; restore only after eradication.',
      mitigationIds: ['M1053'],
    });
  }
  if (techniqueSeen(context, 'T1053')) {
    steps.push({
      phase: 'eradicate',
      priority: 30,
      kind: 'removeScheduledTask',
      action: `Remove the scheduled task the attacker created on ${host}.`,
      target: { type: 'host', value: host },
      why: 'A scheduled task brings the attacker back after a reboot or a password reset.',
      who: 'Defender for Endpoint: Security Operator (Live Response)',
      where: [
        { tool: 'portal', how: `Microsoft Defender portal › Devices › ${host} › Initiate Live Response session` },
        {
          tool: 'powershell',
          how: "Get-ScheduledTask | Where-Object { $_.Date -gt '<first activity>' }; Unregister-ScheduledTask -TaskName '<name>' -Confirm:$false",
        },
      ],
      verify: 'Get-ScheduledTask no longer lists it; no new DeviceProcessEvents from its action.',
      risk: 'Check the task is not a legitimate one with a similar name before removing it.',
      mitigationIds: ['M1028', 'M1047'],
    });
  }
  return steps;
}

function accountSteps(entity: Entity, context: RuleContext): DraftStep[] {
  const steps: DraftStep[] = [];
  const upn = upnOf(entity);
  const user = context.users.get(upn);
  const privileged = user?.isPrivileged === true || /^adm-|admin/i.test(upn);
  const onPremises = entity.properties.sid !== undefined;
  const compromised = flagged(entity) && !entity.roles.includes('added');
  if (compromised && !context.allResolved) {
    steps.push({
      phase: 'contain',
      priority: privileged ? 5 : 20,
      kind: 'revokeSessionsResetCredentials',
      action: `Revoke all sessions of ${entity.value} and reset the password${privileged ? ' (a privileged account: do it first)' : ''}; require MFA re-registration if the attacker could have added a method.`,
      target: { type: 'account', value: entity.value },
      why: `The account is ${entity.roles.join(', ') || entity.properties.verdict}${user && user.riskLevel !== 'unknown' && user.riskLevel !== 'none' ? ` and Entra ID Protection rates its risk ${user.riskLevel}` : ''}; stolen tokens keep working until revoked.`,
      who: privileged
        ? 'Entra ID: Privileged Authentication Administrator'
        : 'Entra ID: User Administrator (or Authentication Administrator)',
      where: [
        {
          tool: 'portal',
          how: `Microsoft Entra admin center › Users › ${entity.value} › Revoke sessions, then Reset password`,
        },
        {
          tool: 'powershell',
          how: `Revoke-MgUserSignInSession -UserId ${quoted(upn, 'user principal name')}${onPremises ? `; Set-ADAccountPassword -Identity ${quoted(entity.properties.accountName ?? upn, 'account name')} -Reset` : ''}`,
        },
        { tool: 'graph', how: `POST /v1.0/users/${segment(upn, 'userPrincipalName')}/revokeSignInSessions` },
      ],
      verify:
        'signInSessionsValidFromDateTime on the user is after the revocation; the sign-in logs show fresh interactive sign-ins only from known locations.',
      risk: `${entity.value} is signed out everywhere and must sign in again${onPremises ? '; a synced account must be reset in Active Directory or the cloud password is overwritten' : ''}.`,
      mitigationIds: ['M1027'],
    });
  }
  if (entity.roles.includes('added') && techniqueSeen(context, 'T1098')) {
    steps.push({
      phase: 'eradicate',
      priority: 10,
      kind: 'removeGroupMembership',
      action: `Remove ${entity.value} from the privileged group it was added to, and review its other memberships and role assignments.`,
      target: { type: 'account', value: entity.value },
      why: 'The membership was added by the attacker and gives them a persistent privileged identity.',
      who: 'Active Directory: Domain Admins (or delegated group management); Entra ID: Privileged Role Administrator for cloud roles',
      where: [
        {
          tool: 'powershell',
          how: `Get-ADPrincipalGroupMembership ${quoted(entity.properties.accountName ?? upn, 'account name')}; Remove-ADGroupMember -Identity 'Domain Admins' -Members ${quoted(entity.properties.accountName ?? upn, 'account name')}`,
        },
        { tool: 'portal', how: `Microsoft Entra admin center › Users › ${entity.value} › Groups / Assigned roles` },
      ],
      verify:
        'Get-ADPrincipalGroupMembership no longer lists the group; event 4729 (member removed) on the domain controller.',
      risk: 'If a service legitimately relied on the membership it stops working; check with its owner.',
      mitigationIds: ['M1026'],
    });
  }
  const identityAttack =
    has(context.tactics, 'Initial Access', 'Credential Access') &&
    (techniqueSeen(context, 'T1078') || techniqueSeen(context, 'T1110') || techniqueSeen(context, 'T1621'));
  if (compromised && identityAttack) {
    steps.push({
      phase: 'harden',
      priority: 20,
      kind: 'requireStrongMfa',
      action: `Require phishing-resistant MFA (or number matching) and a compliant device for ${entity.value} with Conditional Access.`,
      target: { type: 'account', value: entity.value },
      why: 'The attacker signed in with valid credentials; stronger MFA stops a reused password or an approved push.',
      who: 'Entra ID: Conditional Access Administrator (Authentication Policy Administrator for methods)',
      where: [
        {
          tool: 'portal',
          how: 'Microsoft Entra admin center › Protection › Conditional Access › Policies (authentication strength)',
        },
      ],
      verify: "The user's next sign-ins show the policy applied with the required authentication strength.",
      risk: 'Users without a phishing-resistant method are blocked until they register one; roll out in report-only mode first.',
      mitigationIds: ['M1032', 'M1036'],
    });
  }
  return steps;
}

function mailboxSteps(entity: Entity, context: RuleContext): DraftStep[] {
  const ruleAttack =
    techniqueSeen(context, 'T1114') ||
    techniqueSeen(context, 'T1564.008') ||
    context.alerts.some((alert) => /inbox rule|forwarding rule|forwarding/i.test(alert.title));
  if (!ruleAttack) return [];
  if (entity.roles.includes('destination')) {
    return [
      {
        phase: 'eradicate',
        priority: 25,
        kind: 'blockRecipient',
        action: `Block mail to ${entity.value} and check what was already forwarded there.`,
        target: { type: entity.type, value: entity.value },
        why: 'It is the external destination of the malicious forwarding.',
        who: 'Defender for Office 365: Security Administrator; Exchange Online: Exchange Administrator for message trace',
        where: [
          {
            tool: 'powershell',
            how: `New-TenantAllowBlockListItems -ListType Sender -Block -Entries ${quoted(entity.value, 'address')}`,
          },
          {
            tool: 'powershell',
            how: `Get-MessageTrace -RecipientAddress ${quoted(entity.value, 'address')} -StartDate (Get-Date).AddDays(-10)`,
          },
        ],
        verify: 'The Tenant Allow/Block List shows the entry; message trace shows no new messages to it.',
        risk: 'None for business mail unless the address is a real partner; confirm first.',
        mitigationIds: ['M1047'],
      },
    ];
  }
  const upn = upnOf(entity);
  return [
    {
      phase: 'eradicate',
      priority: 5,
      kind: 'disableInboxRule',
      action: `Disable and remove the malicious inbox rule in ${entity.value}, and clear any mailbox-level forwarding.`,
      target: { type: entity.type, value: entity.value },
      why: 'Inbox rules keep forwarding or hiding mail after a password reset.',
      who: 'Exchange Online: Exchange Administrator (or the Mail Recipients role)',
      where: [
        {
          tool: 'powershell',
          how: `Get-InboxRule -Mailbox ${quoted(upn, 'mailbox')} | Format-List Name,Enabled,ForwardTo,RedirectTo,DeleteMessage,MoveToFolder; Disable-InboxRule -Mailbox ${quoted(upn, 'mailbox')} -Identity '<rule name>'`,
        },
        {
          tool: 'powershell',
          how: `Set-Mailbox ${quoted(upn, 'mailbox')} -ForwardingSmtpAddress $null -DeliverToMailboxAndForward $false`,
        },
        {
          tool: 'graph',
          how: `GET /v1.0/users/${segment(upn, 'userPrincipalName')}/mailFolders/inbox/messageRules, then PATCH the rule with {"isEnabled": false}`,
        },
      ],
      verify:
        'Get-InboxRule shows no forwarding, redirecting or deleting rule; message trace shows no new external forwards.',
      risk: 'Removing a rule the user made themselves loses their filing; export the rule list first.',
      mitigationIds: ['M1042', 'M1047'],
    },
  ];
}

function fileSteps(entity: Entity): DraftStep[] {
  const hash = entity.properties.sha256 ?? entity.properties.sha1;
  if (hash === undefined) return [];
  // Blocking a Microsoft-signed binary (rundll32, vssadmin) would break Windows; the technique is the problem.
  if (/microsoft/i.test(entity.properties.filePublisher ?? '')) return [];
  if (!/malicious|suspicious/i.test(entity.properties.verdict ?? '') && entity.type !== 'process') return [];
  // A file the activity wrote (a ransom note, a memory dump) is evidence, not a tool to block everywhere.
  if (entity.type === 'file' && entity.roles.includes('created')) return [];
  const hashType = entity.properties.sha256 !== undefined ? 'FileSha256' : 'FileSha1';
  const name = entity.properties.imageFile ?? entity.properties.filePath ?? entity.value;
  return [
    {
      phase: 'eradicate',
      priority: 15,
      kind: 'blockFileHash',
      action: `Block and quarantine the file ${name} everywhere by its hash ${hash}.`,
      target: { type: entity.type, value: entity.value },
      why: `The file is ${entity.properties.verdict ?? 'part of the attack'}; a hash indicator blocks it on every onboarded device, not only this one.`,
      who: 'Defender for Endpoint: Security Administrator (manage indicators); Security Operator to stop and quarantine',
      where: [
        {
          tool: 'portal',
          how: 'Microsoft Defender portal › Settings › Endpoints › Indicators › File hashes › Add item (Block and remediate)',
        },
        {
          tool: 'api',
          how: `POST /api/indicators {"indicatorValue":"${segment(hash, 'hash')}","indicatorType":"${hashType}","action":"BlockAndRemediate"}`,
        },
        { tool: 'portal', how: 'File page › Stop and quarantine file' },
      ],
      verify:
        'DeviceFileEvents and AlertEvidence for the hash show only blocked or quarantined events after the indicator.',
      risk: 'Low for an unsigned attacker binary; a wrong hash blocks a legitimate program everywhere.',
      mitigationIds: ['M1038', 'M1049', 'M1040'],
    },
  ];
}

function networkSteps(entity: Entity, context: RuleContext): DraftStep[] {
  if (!flagged(entity) && !entity.roles.includes('destination')) return [];
  if (entity.type === 'ip' && isPrivate(entity.value)) return [];
  const identityOnly = !context.alerts.some((alert) => alert.entities.some((candidate) => candidate.type === 'host'));
  if (entity.type === 'ip' && identityOnly) {
    return [
      {
        phase: 'contain',
        priority: 30,
        kind: 'blockSignInsFromIp',
        action: `Block sign-ins from ${entity.value} with a Conditional Access named location.`,
        target: { type: 'ip', value: entity.value },
        why: `It is the attacker's sign-in address (${entity.properties.countryLetterCode ?? 'unknown location'}).`,
        who: 'Entra ID: Conditional Access Administrator',
        where: [
          {
            tool: 'portal',
            how: 'Microsoft Entra admin center › Protection › Conditional Access › Named locations, then a Block policy for it',
          },
        ],
        verify: 'Sign-in logs show attempts from it failing with the block policy.',
        risk: 'Anonymising or shared addresses may also be used by legitimate users; the attacker can change address.',
        mitigationIds: ['M1036'],
      },
    ];
  }
  const indicatorType = entity.type === 'ip' ? 'IpAddress' : entity.type === 'url' ? 'Url' : 'DomainName';
  return [
    {
      phase: 'eradicate',
      priority: 20,
      kind: 'blockNetworkIndicator',
      action: `Block ${entity.value} with a Defender for Endpoint indicator (and at the proxy or firewall).`,
      target: { type: entity.type, value: entity.value },
      why: `It is ${entity.roles.join(', ') || 'in the activity'} and rated ${entity.properties.verdict ?? 'unknown'}; blocking cuts the attacker's channel on every device.`,
      who: 'Defender for Endpoint: Security Administrator (manage indicators); network team for the firewall',
      where: [
        {
          tool: 'portal',
          how: `Microsoft Defender portal › Settings › Endpoints › Indicators › ${entity.type === 'ip' ? 'IP addresses' : 'URLs/Domains'} › Add item (Block)`,
        },
        {
          tool: 'api',
          how: `POST /api/indicators {"indicatorType":"${indicatorType}","action":"Block", "indicatorValue": <the value above>}`,
        },
      ],
      verify: 'DeviceNetworkEvents show ConnectionBlocked / SmartScreen blocks for it and no successful connections.',
      risk: 'Blocking a shared host (a CDN, a cloud provider address) can break legitimate services; check what else it serves.',
      mitigationIds: ['M1031', 'M1037', 'M1021'],
    },
  ];
}

function mailMessageSteps(entity: Entity): DraftStep[] {
  if (/remediated/i.test(entity.properties.remediationStatus ?? '')) return [];
  const sender = entity.properties.senderDomain;
  return [
    {
      phase: 'contain',
      priority: 40,
      kind: 'purgeEmail',
      action: `Soft-delete the message ${entity.properties.subject ? `"${entity.properties.subject}"` : entity.value} from every mailbox${sender ? ` and block the sender domain ${sender}` : ''}.`,
      target: { type: 'mailMessage', value: entity.value },
      why: 'Other recipients may still open it.',
      who: 'Defender for Office 365: Security Administrator with the Search and Purge role',
      where: [
        {
          tool: 'portal',
          how: 'Microsoft Defender portal › Email & collaboration › Explorer › select the message › Take action › Soft delete',
        },
        {
          tool: 'powershell',
          how: `New-TenantAllowBlockListItems -ListType Sender -Block -Entries ${quoted(sender ?? '', 'sender domain')}`,
        },
      ],
      verify: 'Explorer shows the copies as removed; no new deliveries from the sender.',
      risk: 'Soft-deleted mail can be restored; blocking a real partner domain stops their mail.',
      mitigationIds: ['M1021', 'M1054'],
    },
  ];
}

function azureResourceSteps(entity: Entity, context: RuleContext): DraftStep[] {
  if (context.allResolved) return [];
  const name = entity.properties.resourceName ?? entity.value;
  return [
    {
      phase: 'contain',
      priority: 25,
      kind: 'stopAzureResource',
      action: `Snapshot the disks of ${name}, then stop (deallocate) it and check who created or changed it.`,
      target: { type: 'azureResource', value: entity.value },
      why: 'The resource runs attacker workloads at your cost; the snapshot keeps the evidence.',
      who: 'Azure: Virtual Machine Contributor (or Owner) on the resource',
      where: [
        { tool: 'portal', how: `Azure portal › Virtual machines › ${name} › Stop` },
        { tool: 'cli', how: `az vm deallocate --ids ${quoted(entity.value, 'resource id')}` },
        {
          tool: 'powershell',
          how: `Get-AzActivityLog -ResourceId ${quoted(entity.value, 'resource id')} -StartTime (Get-Date).AddDays(-7)`,
        },
      ],
      verify: 'The VM power state is "deallocated"; no new Defender for Cloud alerts for it.',
      risk: 'Any legitimate workload on it stops; a deleted resource loses the evidence, so do not delete before the snapshot.',
      mitigationIds: [],
    },
  ];
}

/** Steps that act on the domain rather than one entity: DCSync and Kerberos ticket attacks need a krbtgt reset. */
function domainSteps(context: RuleContext): DraftStep[] {
  if (!has(context.techniqueIds, 'T1003.006', 'T1558.001')) return [];
  const domain = context.alerts
    .flatMap((alert) => alert.entities)
    .map((entity) => entity.properties.domainName)
    .find((name) => name !== undefined && name.trim() !== '');
  return [
    {
      phase: 'recover',
      priority: 5,
      kind: 'resetKrbtgt',
      action: `Reset the krbtgt account password of the ${domain ?? 'affected'} domain twice, at least ten hours apart.`,
      target: { type: 'other', value: `krbtgt (${domain ?? 'domain'})` },
      why: 'Replicated secrets let the attacker forge Kerberos tickets (golden tickets) until krbtgt changes twice.',
      who: 'Active Directory: Domain Admins',
      where: [
        {
          tool: 'powershell',
          how: "Microsoft's New-KrbtgtKeys.ps1 (simulation mode first), then Set-ADAccountPassword -Identity krbtgt -Reset",
        },
      ],
      verify:
        'repadmin /showobjmeta shows pwdLastSet updated on every domain controller; no 4769 failures beyond the expected.',
      risk: 'Resetting twice too quickly invalidates every Kerberos ticket and breaks authentication domain-wide.',
      mitigationIds: ['M1015', 'M1026'],
    },
  ];
}

export function draftSteps(context: RuleContext): DraftStep[] {
  const steps: DraftStep[] = [];
  const seen = new Set<string>();
  for (const alert of context.alerts) {
    for (const entity of alert.entities) {
      const key = `${entity.type}:${entity.value.trim().toLowerCase()}`;
      if (entity.value.trim() === '' || seen.has(key)) continue;
      seen.add(key);
      switch (entity.type) {
        case 'host':
          steps.push(...hostSteps(entity, context));
          break;
        case 'account':
          steps.push(
            ...accountSteps(entity, context),
            ...mailboxSteps(entity, context).filter(() => !hasMailbox(context, entity)),
          );
          break;
        case 'mailbox':
          steps.push(...mailboxSteps(entity, context));
          break;
        case 'file':
        case 'process':
          steps.push(...fileSteps(entity));
          break;
        case 'ip':
        case 'url':
        case 'domain':
          steps.push(...networkSteps(entity, context));
          break;
        case 'mailMessage':
          steps.push(...mailMessageSteps(entity));
          break;
        case 'azureResource':
          steps.push(...azureResourceSteps(entity, context));
          break;
        default:
          break;
      }
    }
  }
  steps.push(...domainSteps(context));
  return steps;
}

/** An account whose mailbox is also an entity gets the inbox-rule step once, on the mailbox. */
function hasMailbox(context: RuleContext, account: Entity): boolean {
  const upn = upnOf(account);
  return context.alerts.some((alert) =>
    alert.entities.some((entity) => entity.type === 'mailbox' && upnOf(entity) === upn),
  );
}
