import { devices, people } from '../directory';
import type { DemoTimeline } from '../fake-identifiers';
import type { FileSpec, IncidentSpec } from '../graph-shapes';
import { deviceEvidence, fileEvidence, ipEvidence, processEvidence, userEvidence } from '../graph-shapes';

const system32 = 'C:\\Windows\\System32';

/**
 * Incident 44, about a day ago and continuing incident 43 from sql01: LDAP reconnaissance, Kerberoasting of the
 * SQL reporting service account, then DCSync with the administrator account whose hash was taken from sql01,
 * and the service account quietly added to Domain Admins.
 */
export function domainCompromiseIncident(time: DemoTimeline): IncidentSpec {
  const admin = people.marcus;
  const domainAdmin = people.marcusAdmin;
  const service = people.sqlService;
  const sqlServer = devices.sqlServer;

  return {
    id: '44',
    displayName: 'Credential access against Active Directory: Kerberoasting and DCSync from sql01',
    description:
      'From sql01, the attacker enumerated privileged groups over LDAP, requested a service ticket for ' +
      'svc-sqlreport with RC4 (Kerberoasting), replicated directory secrets from dc01 as a Domain Admin (DCSync) ' +
      'and added svc-sqlreport to Domain Admins. Likely the same actor as incident 43.',
    status: 'active',
    customTags: ['Tier 0', 'Human-operated'],
    alerts: [
      {
        id: 'da-1006',
        product: 'endpoint',
        title: 'Suspicious LDAP query',
        description:
          'A process on sql01 ran LDAP queries that enumerate Domain Admins, accounts with a service principal ' +
          'name and accounts that do not require Kerberos pre-authentication, as reconnaissance tools do.',
        recommendedActions:
          'Identify the process that issued the queries and whether it is a legitimate administration tool.',
        severity: 'medium',
        status: 'new',
        category: 'Discovery',
        techniques: ['T1087.002', 'T1069.002'],
        activity: { startedMinutesAgo: 1525, endedMinutesAgo: 1512 },
        evidence: [
          deviceEvidence(sqlServer, [admin], { roles: ['compromised'] }),
          userEvidence(admin, { roles: ['compromised'] }),
          processEvidence(
            {
              image: { fileName: 'rundll32.exe', filePath: system32, publisher: 'Microsoft Corporation' },
              commandLine: 'rundll32.exe',
              parent: { fileName: 'cmd.exe', filePath: system32, publisher: 'Microsoft Corporation' },
              processId: 6016,
              parentProcessId: 4412,
              user: admin,
              createdAt: time.minutesAgo(1525),
            },
            sqlServer,
            { verdict: 'suspicious', detailedRoles: ['Process without command-line arguments issuing LDAP queries'] },
          ),
        ],
      },
      {
        id: 'aa-2002',
        product: 'identity',
        title: 'Suspected Kerberos SPN exposure',
        description:
          `${admin.displayName}'s account requested a Kerberos service ticket with RC4 encryption for ` +
          'MSSQLSvc/sql01.contoso.com:1433 (svc-sqlreport) from sql01. Ticket requests like this are cracked ' +
          'offline to recover the service account password (Kerberoasting).',
        recommendedActions:
          'Rotate the svc-sqlreport password to a long random value or move it to a group managed service ' +
          'account, and disable RC4 for service tickets.',
        severity: 'high',
        status: 'new',
        category: 'CredentialAccess',
        techniques: ['T1558.003'],
        activity: { startedMinutesAgo: 1500 },
        evidence: [
          userEvidence(admin, { roles: ['compromised', 'source'] }),
          userEvidence(service, { roles: ['attacked'], verdict: 'suspicious' }),
          deviceEvidence(sqlServer, [admin], { roles: ['source'] }),
          deviceEvidence(devices.domainController, [], { roles: ['destination'], verdict: 'unknown' }),
        ],
      },
      {
        id: 'aa-2003',
        product: 'identity',
        title: 'Suspected DCSync attack (replication of directory services)',
        description:
          'sql01 requested replication of directory secrets from dc01 using adm-mlindqvist. Only domain ' +
          'controllers replicate; a member server doing so is retrieving password hashes, including krbtgt.',
        recommendedActions:
          'Treat the domain as compromised: reset adm-mlindqvist, plan a double krbtgt reset, and review which ' +
          'accounts hold "Replicating Directory Changes All".',
        severity: 'high',
        status: 'new',
        category: 'CredentialAccess',
        techniques: ['T1003.006'],
        activity: { startedMinutesAgo: 1385 },
        evidence: [
          userEvidence(domainAdmin, { roles: ['compromised'], verdict: 'malicious' }),
          deviceEvidence(sqlServer, [admin, domainAdmin], { roles: ['source', 'compromised'] }),
          deviceEvidence(devices.domainController, [], { roles: ['destination'], verdict: 'unknown' }),
          ipEvidence(sqlServer.ipAddress, null, { roles: ['source'] }),
        ],
      },
      {
        id: 'sn-6003',
        product: 'sentinel',
        title: 'Member added to a privileged Active Directory group',
        description:
          'Analytics rule "User added to privileged group": svc-sqlreport was added to Domain Admins by ' +
          'adm-mlindqvist (event 4728 on dc01). No change request references this change.',
        recommendedActions:
          'Remove the membership, confirm with the change owner, and review logons by svc-sqlreport since the change.',
        severity: 'high',
        status: 'new',
        category: 'Persistence',
        techniques: ['T1098.007'],
        activity: { startedMinutesAgo: 1310 },
        evidence: [
          userEvidence(domainAdmin, { roles: ['compromised'] }),
          userEvidence(service, { roles: ['added'], verdict: 'suspicious' }),
          deviceEvidence(devices.domainController, [], { roles: ['contextual'], verdict: 'unknown' }),
        ],
      },
    ],
  };
}

const ransomwareBinary: FileSpec = {
  fileName: 'svchosts.exe',
  filePath: 'C:\\Windows\\Temp',
  hashLabel: 'ransomware-payload',
  size: 1_884_160,
};

/**
 * Incident 45, a few hours ago: from sql01 the same domain admin account pushes a payload to the file server,
 * which deletes shadow copies and renames thousands of files on the finance share. Still unassigned: the most
 * urgent item in the queue.
 */
export function ransomwareIncident(time: DemoTimeline): IncidentSpec {
  const domainAdmin = people.marcusAdmin;
  const fileServer = devices.fileServer;

  return {
    id: '45',
    displayName: 'Ransomware activity on file server fs01',
    description:
      'A payload copied from sql01 over SMB ran on fs01 as adm-mlindqvist, deleted volume shadow copies and ' +
      'renamed more than 4,000 files on D:\\Shares\\Finance to the .kraken extension. A ransom note was dropped.',
    status: 'active',
    customTags: ['Ransomware'],
    alerts: [
      {
        id: 'da-1007',
        product: 'endpoint',
        title: 'Possible lateral movement of a ransomware payload over SMB',
        description:
          'An executable was written to fs01 over the ADMIN$ share from sql01 and started as a service a few ' +
          'seconds later using a Domain Admin account.',
        recommendedActions: 'Isolate fs01 and sql01 now, then disable adm-mlindqvist.',
        severity: 'high',
        status: 'new',
        category: 'LateralMovement',
        techniques: ['T1021.002', 'T1570', 'T1569.002'],
        activity: { startedMinutesAgo: 196 },
        evidence: [
          deviceEvidence(fileServer, [domainAdmin], { roles: ['compromised'], verdict: 'malicious' }),
          deviceEvidence(devices.sqlServer, [], { roles: ['source'], verdict: 'malicious' }),
          userEvidence(domainAdmin, { roles: ['compromised'] }),
          fileEvidence(ransomwareBinary, fileServer, { roles: ['created'], verdict: 'malicious' }),
          ipEvidence(devices.sqlServer.ipAddress, null, { roles: ['source'] }),
        ],
      },
      {
        id: 'da-1008',
        product: 'endpoint',
        title: 'File backups were deleted',
        description:
          'vssadmin.exe deleted all volume shadow copies on fs01. Ransomware does this so that files cannot be ' +
          'restored from local backups.',
        recommendedActions: 'Protect offline backups, and verify the latest restorable backup of the finance share.',
        severity: 'high',
        status: 'new',
        category: 'Impact',
        techniques: ['T1490'],
        activity: { startedMinutesAgo: 190 },
        evidence: [
          deviceEvidence(fileServer, [domainAdmin], { roles: ['compromised'], verdict: 'malicious' }),
          processEvidence(
            {
              image: { fileName: 'vssadmin.exe', filePath: system32, publisher: 'Microsoft Corporation' },
              commandLine: 'vssadmin.exe delete shadows /all /quiet',
              parent: ransomwareBinary,
              processId: 3380,
              parentProcessId: 2964,
              user: domainAdmin,
              createdAt: time.minutesAgo(190),
            },
            fileServer,
            { verdict: 'malicious' },
          ),
        ],
      },
      {
        id: 'da-1009',
        product: 'endpoint',
        title: 'Ransomware behavior detected in the file system',
        description:
          'A process renamed more than 4,000 files on D:\\Shares\\Finance to the .kraken extension within five ' +
          'minutes and wrote README_RESTORE_FILES.txt to every folder.',
        recommendedActions:
          'Keep fs01 isolated, preserve memory and the ransom note, and do not contact the attacker before ' +
          'legal and incident-response leads decide.',
        severity: 'high',
        status: 'new',
        category: 'Impact',
        techniques: ['T1486'],
        activity: { startedMinutesAgo: 186, endedMinutesAgo: 176 },
        evidence: [
          deviceEvidence(fileServer, [domainAdmin], { roles: ['compromised'], verdict: 'malicious' }),
          processEvidence(
            {
              image: ransomwareBinary,
              commandLine: 'C:\\Windows\\Temp\\svchosts.exe -path D:\\Shares -threads 8 -nolog',
              parent: { fileName: 'services.exe', filePath: system32, publisher: 'Microsoft Corporation' },
              processId: 2964,
              parentProcessId: 652,
              user: domainAdmin,
              createdAt: time.minutesAgo(187),
            },
            fileServer,
            { verdict: 'malicious' },
          ),
          fileEvidence(
            { fileName: 'README_RESTORE_FILES.txt', filePath: 'D:\\Shares\\Finance', hashLabel: 'ransom-note' },
            fileServer,
            { roles: ['created'], verdict: 'malicious' },
          ),
        ],
      },
      {
        id: 'sn-6004',
        product: 'sentinel',
        title: 'Mass file rename on a file share',
        description:
          'Analytics rule "Potential ransomware: mass file rename": 4,312 files were renamed to the same new ' +
          'extension on \\\\fs01\\Finance in 10 minutes by a single account.',
        recommendedActions: 'Correlate with the Defender for Endpoint alerts on fs01 and scope other shares.',
        severity: 'high',
        status: 'new',
        category: 'Impact',
        techniques: ['T1486'],
        activity: { startedMinutesAgo: 185, endedMinutesAgo: 175 },
        evidence: [
          deviceEvidence(fileServer, [domainAdmin], { roles: ['compromised'] }),
          userEvidence(domainAdmin, { roles: ['compromised'] }),
        ],
      },
    ],
  };
}
