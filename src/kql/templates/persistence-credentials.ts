import type { HuntingTemplate } from './types';

/** Credential access and persistence on Windows hosts and domain controllers. */
export const persistenceAndCredentialTemplates: HuntingTemplate[] = [
  {
    id: 'lsass-access',
    title: 'Processes opening LSASS memory',
    description:
      'A process requesting read access to lsass.exe, the usual first step of credential dumping (Mimikatz, procdump, comsvcs MiniDump).',
    techniques: ['T1003.001'],
    platforms: {
      sentinel: `let lookback = 1d;
SecurityEvent
| where TimeGenerated > ago(lookback)
| where EventID in (4656, 4663)
| where ObjectName endswith "\\\\lsass.exe"
| where ProcessName !endswith "\\\\MsMpEng.exe" and ProcessName !endswith "\\\\svchost.exe"
| project TimeGenerated, Computer, SubjectUserName, ProcessName, AccessMask, ObjectName
| sort by TimeGenerated desc`,
      defender: `let lookback = 1d;
DeviceEvents
| where Timestamp > ago(lookback)
| where ActionType == "OpenProcessApiCall"
| where FileName =~ "lsass.exe"
| where InitiatingProcessFileName !in~ ("MsMpEng.exe", "svchost.exe", "csrss.exe", "wininit.exe")
| project Timestamp, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, InitiatingProcessCommandLine, AdditionalFields
| sort by Timestamp desc`,
    },
    keywords: ['lsass', 'credential dumping', 'mimikatz', 'procdump', 'minidump', 'dump credentials', 'memory dump'],
    expectedFalsePositives: ['Antivirus and EDR agents.', 'Backup or crash-dump tools run by administrators.'],
    tuning: [
      'Allow-list security products by their signed path, not by file name alone.',
      'Enable object auditing on lsass.exe (SACL) for the Sentinel variant, or use Sysmon event 10.',
    ],
  },
  {
    id: 'new-local-admin',
    title: 'Accounts added to the local Administrators group',
    description:
      'A user added to the built-in Administrators group (S-1-5-32-544), a common persistence and privilege step.',
    techniques: ['T1098', 'T1136.001'],
    platforms: {
      sentinel: `let lookback = 7d;
SecurityEvent
| where TimeGenerated > ago(lookback)
| where EventID == 4732
| where TargetSid == "S-1-5-32-544"
| project TimeGenerated, Computer, SubjectUserName, MemberName, MemberSid, TargetUserName
| sort by TimeGenerated desc`,
      defender: `let lookback = 7d;
DeviceEvents
| where Timestamp > ago(lookback)
| where ActionType == "UserAccountAddedToLocalGroup"
| extend GroupSid = tostring(parse_json(AdditionalFields).GroupSid), GroupName = tostring(parse_json(AdditionalFields).GroupName)
| where GroupSid == "S-1-5-32-544"
| project Timestamp, DeviceName, InitiatingProcessAccountName, AccountSid, AccountName, GroupName
| sort by Timestamp desc`,
    },
    keywords: [
      'local admin',
      'local administrator',
      'administrators group',
      'group add',
      'added to group',
      'new admin',
      'privilege escalation',
    ],
    expectedFalsePositives: ['Helpdesk granting temporary admin rights.', 'LAPS or device set-up scripts.'],
    tuning: [
      'Exclude the provisioning account used by your device set-up.',
      'Alert when the added member is a domain user rather than a local account.',
    ],
  },
  {
    id: 'scheduled-task-creation',
    title: 'Scheduled tasks created',
    description: 'New scheduled tasks, a frequent persistence mechanism; the task content shows what it runs.',
    techniques: ['T1053.005'],
    platforms: {
      sentinel: `let lookback = 7d;
SecurityEvent
| where TimeGenerated > ago(lookback)
| where EventID == 4698
| extend TaskName = extract(@'Name="TaskName">([^<]*)<', 1, EventData)
| extend TaskCommand = extract(@'Command&gt;([^&]*)&lt;', 1, EventData)
| project TimeGenerated, Computer, SubjectUserName, TaskName, TaskCommand
| sort by TimeGenerated desc`,
      defender: `let lookback = 7d;
DeviceEvents
| where Timestamp > ago(lookback)
| where ActionType == "ScheduledTaskCreated"
| extend TaskName = tostring(parse_json(AdditionalFields).TaskName), TaskContent = tostring(parse_json(AdditionalFields).TaskContent)
| project Timestamp, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, TaskName, TaskContent
| sort by Timestamp desc`,
    },
    keywords: ['scheduled task', 'schtasks', 'task scheduler', 'persistence'],
    expectedFalsePositives: [
      'Software installers and updaters (Google, Adobe, Office).',
      'Group Policy deployed tasks.',
    ],
    tuning: [
      'Exclude task names under known vendor folders.',
      'Focus on tasks that run from user-writable paths (AppData, Temp, Public).',
    ],
  },
  {
    id: 'new-service-install',
    title: 'New services installed',
    description:
      'A new Windows service, used by attackers for persistence and for remote execution (PsExec-style tools).',
    techniques: ['T1543.003', 'T1569.002'],
    platforms: {
      sentinel: `let lookback = 7d;
SecurityEvent
| where TimeGenerated > ago(lookback)
| where EventID == 4697
| extend ServiceName = extract(@'Name="ServiceName">([^<]*)<', 1, EventData), ServiceFile = extract(@'Name="ServiceFileName">([^<]*)<', 1, EventData)
| project TimeGenerated, Computer, SubjectUserName, ServiceName, ServiceFile
| sort by TimeGenerated desc`,
      defender: `let lookback = 7d;
DeviceEvents
| where Timestamp > ago(lookback)
| where ActionType == "ServiceInstalled"
| extend ServiceName = tostring(parse_json(AdditionalFields).ServiceName), ServiceStartType = tostring(parse_json(AdditionalFields).ServiceStartType)
| project Timestamp, DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, ServiceName, ServiceStartType, FolderPath, FileName
| sort by Timestamp desc`,
    },
    keywords: ['service install', 'new service', 'service created', 'psexec', 'service persistence', '7045', '4697'],
    expectedFalsePositives: ['Driver and agent installations.', 'Software updates that re-register services.'],
    tuning: [
      'Prioritise services whose binary is in a temporary or user folder, or is cmd/powershell.',
      'Exclude services signed by your standard vendors.',
    ],
  },
  {
    id: 'kerberoasting',
    title: 'Kerberoasting: RC4 service tickets',
    description:
      'Kerberos service tickets requested with RC4 encryption (0x17) for many service accounts, the signature of Kerberoasting tools.',
    techniques: ['T1558.003'],
    platforms: {
      sentinel: `let lookback = 1d;
SecurityEvent
| where TimeGenerated > ago(lookback)
| where EventID == 4769
| extend TicketEncryptionType = extract(@'Name="TicketEncryptionType">([^<]*)<', 1, EventData), ServiceName = extract(@'Name="ServiceName">([^<]*)<', 1, EventData), ClientAddress = extract(@'Name="IpAddress">([^<]*)<', 1, EventData)
| where TicketEncryptionType == "0x17"
| where ServiceName !endswith "$" and ServiceName != "krbtgt"
| summarize Services = dcount(ServiceName), ServiceNames = make_set(ServiceName, 20), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated) by TargetUserName, ClientAddress
| where Services >= 3
| sort by Services desc`,
    },
    keywords: ['kerberoast', 'kerberoasting', 'rc4', 'service ticket', 'tgs', 'spn', '4769'],
    expectedFalsePositives: ['Legacy applications that only support RC4.', 'Vulnerability scanners enumerating SPNs.'],
    tuning: [
      'Lower the threshold to 1 for service accounts that should only ever use AES.',
      'Disable RC4 where possible so any RC4 ticket stands out.',
    ],
  },
  {
    id: 'dcsync',
    title: 'DCSync: directory replication requested by a non-DC',
    description:
      'An account that is not a domain controller using the directory replication rights (DS-Replication-Get-Changes-All) to pull password hashes.',
    techniques: ['T1003.006'],
    platforms: {
      sentinel: `let lookback = 7d;
SecurityEvent
| where TimeGenerated > ago(lookback)
| where EventID == 4662
| where EventData has_any ("1131f6aa-9c07-11d1-f79f-00c04fc2dcd2", "1131f6ad-9c07-11d1-f79f-00c04fc2dcd2", "89e95b76-444d-4c62-991a-0facbeda640c")
| where SubjectUserName !endswith "$"
| project TimeGenerated, Computer, SubjectUserName, SubjectDomainName, EventData
| sort by TimeGenerated desc`,
      defender: `let lookback = 7d;
IdentityDirectoryEvents
| where Timestamp > ago(lookback)
| where ActionType == "Directory Services replication"
| project Timestamp, AccountName, AccountDomain, DeviceName, DestinationDeviceName, IPAddress, AdditionalFields
| sort by Timestamp desc`,
    },
    keywords: [
      'dcsync',
      'replication',
      'directory replication',
      'drsuapi',
      'domain controller',
      'ntds',
      'password hashes',
      '4662',
    ],
    expectedFalsePositives: [
      'Azure AD Connect / Entra Connect sync accounts.',
      'Backup products with replication rights.',
    ],
    tuning: [
      'Exclude the Entra Connect (MSOL_) account by name.',
      'Alert on any new account that gains replication rights.',
    ],
  },
];
