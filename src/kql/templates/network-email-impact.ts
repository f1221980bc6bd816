import type { HuntingTemplate } from './types';

/** Command-and-control traffic, mailbox abuse and ransomware impact. */
export const networkEmailImpactTemplates: HuntingTemplate[] = [
  {
    id: 'beaconing',
    title: 'Beaconing: connections at regular intervals',
    description:
      'A device connecting to the same public address many times at nearly constant intervals, as command-and-control implants do.',
    techniques: ['T1071', 'T1573'],
    platforms: {
      sentinel: `let lookback = 1d;
DeviceNetworkEvents
| where TimeGenerated > ago(lookback)
| where RemoteIPType == "Public"
| project TimeGenerated, DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName
| sort by DeviceName asc, RemoteIP asc, TimeGenerated asc
| extend IntervalSeconds = iff(prev(DeviceName) == DeviceName and prev(RemoteIP) == RemoteIP, datetime_diff('second', TimeGenerated, prev(TimeGenerated)), long(null))
| where isnotnull(IntervalSeconds)
| summarize Connections = count(), MeanInterval = avg(IntervalSeconds), Deviation = stdev(IntervalSeconds), Processes = make_set(InitiatingProcessFileName, 5) by DeviceName, RemoteIP, RemotePort
| where Connections >= 20 and MeanInterval >= 30.0
| extend Jitter = Deviation / MeanInterval
| where Jitter < 0.1
| sort by Connections desc`,
      defender: `let lookback = 1d;
DeviceNetworkEvents
| where Timestamp > ago(lookback)
| where RemoteIPType == "Public"
| project Timestamp, DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName
| sort by DeviceName asc, RemoteIP asc, Timestamp asc
| extend IntervalSeconds = iff(prev(DeviceName) == DeviceName and prev(RemoteIP) == RemoteIP, datetime_diff('second', Timestamp, prev(Timestamp)), long(null))
| where isnotnull(IntervalSeconds)
| summarize Connections = count(), MeanInterval = avg(IntervalSeconds), Deviation = stdev(IntervalSeconds), Processes = make_set(InitiatingProcessFileName, 5) by DeviceName, RemoteIP, RemotePort
| where Connections >= 20 and MeanInterval >= 30.0
| extend Jitter = Deviation / MeanInterval
| where Jitter < 0.1
| sort by Connections desc`,
    },
    keywords: [
      'beacon',
      'beaconing',
      'c2',
      'command and control',
      'callback',
      'regular interval',
      'periodic connection',
      'cobalt strike',
    ],
    expectedFalsePositives: ['Update checks, telemetry and heartbeat agents.', 'Monitoring probes and NTP.'],
    tuning: [
      'Exclude known SaaS and update destinations by RemoteUrl or IP range.',
      'Raise the jitter threshold to catch implants with randomised sleep.',
    ],
  },
  {
    id: 'dns-tunnelling',
    title: 'DNS tunnelling: long or numerous unique subdomains',
    description:
      'Parent domains receiving very long or very many unique (high-entropy) subdomain lookups, which is how data is smuggled over DNS.',
    techniques: ['T1071.004', 'T1048'],
    platforms: {
      sentinel: `let lookback = 1d;
DnsEvents
| where TimeGenerated > ago(lookback)
| where SubType == "LookupQuery"
| extend Labels = split(Name, ".")
| extend ParentDomain = strcat(tostring(Labels[-2]), ".", tostring(Labels[-1])), FirstLabel = tostring(Labels[0])
| summarize Queries = count(), UniqueSubdomains = dcount(FirstLabel), LongestLabel = max(strlen(FirstLabel)), Clients = make_set(ClientIP, 10) by ParentDomain
| where UniqueSubdomains > 100 or LongestLabel > 50
| sort by UniqueSubdomains desc`,
      defender: `let lookback = 1d;
DeviceEvents
| where Timestamp > ago(lookback)
| where ActionType == "DnsQueryResponse"
| extend Name = tostring(parse_json(AdditionalFields).DnsQueryString)
| where isnotempty(Name)
| extend Labels = split(Name, ".")
| extend ParentDomain = strcat(tostring(Labels[-2]), ".", tostring(Labels[-1])), FirstLabel = tostring(Labels[0])
| summarize Queries = count(), UniqueSubdomains = dcount(FirstLabel), LongestLabel = max(strlen(FirstLabel)), Devices = make_set(DeviceName, 10) by ParentDomain
| where UniqueSubdomains > 100 or LongestLabel > 50
| sort by UniqueSubdomains desc`,
    },
    keywords: [
      'dns tunnel',
      'dns tunnelling',
      'dns tunneling',
      'dns exfiltration',
      'long dns',
      'high entropy dns',
      'iodine',
      'dnscat',
    ],
    expectedFalsePositives: [
      'CDNs and anti-virus reputation lookups that encode hashes in subdomains.',
      'Cloud services with generated hostnames.',
    ],
    tuning: [
      'Exclude known security vendors and CDNs by ParentDomain.',
      'Compare against a 14-day baseline of the same parent domain.',
    ],
  },
  {
    id: 'inbox-forwarding-rules',
    title: 'Suspicious inbox rules and mailbox forwarding',
    description:
      'Inbox rules or mailbox settings that forward, redirect, delete or hide mail: a typical step after a mailbox compromise (business e-mail compromise).',
    techniques: ['T1114.003', 'T1564.008'],
    platforms: {
      sentinel: `let lookback = 7d;
OfficeActivity
| where TimeGenerated > ago(lookback)
| where Operation in ("New-InboxRule", "Set-InboxRule", "UpdateInboxRules", "Set-Mailbox")
| where Parameters has_any ("ForwardTo", "RedirectTo", "ForwardAsAttachmentTo", "ForwardingSmtpAddress", "DeleteMessage", "MoveToFolder", "MarkAsRead")
| project TimeGenerated, UserId, ClientIP, Operation, OfficeObjectId, Parameters
| sort by TimeGenerated desc`,
      defender: `let lookback = 7d;
CloudAppEvents
| where Timestamp > ago(lookback)
| where ActionType in ("New-InboxRule", "Set-InboxRule", "UpdateInboxRules", "Set-Mailbox")
| where tostring(RawEventData) has_any ("ForwardTo", "RedirectTo", "ForwardAsAttachmentTo", "ForwardingSmtpAddress", "DeleteMessage", "MoveToFolder", "MarkAsRead")
| project Timestamp, AccountDisplayName, AccountObjectId, IPAddress, ActionType, RawEventData
| sort by Timestamp desc`,
    },
    keywords: [
      'inbox rule',
      'mailbox rule',
      'forwarding',
      'forward',
      'mail forwarding',
      'bec',
      'business email compromise',
      'redirect mail',
    ],
    expectedFalsePositives: [
      'Users forwarding to their own mobile or personal addresses (policy question).',
      'Shared mailboxes with delegated routing rules.',
    ],
    tuning: [
      'Flag forwarding to external domains only.',
      'Prioritise rules created from an IP that also had a risky sign-in.',
    ],
  },
  {
    id: 'ransomware-mass-rename',
    title: 'Ransomware: mass file renames by one process',
    description:
      'One process renaming hundreds of files within minutes, often to a new extension: ransomware encrypting files.',
    techniques: ['T1486'],
    platforms: {
      sentinel: `let lookback = 1d;
DeviceFileEvents
| where TimeGenerated > ago(lookback)
| where ActionType == "FileRenamed"
| extend NewExtension = tostring(split(FileName, ".")[-1])
| summarize Renamed = count(), Extensions = make_set(NewExtension, 10), SampleFiles = make_set(FileName, 10) by DeviceName, InitiatingProcessFileName, InitiatingProcessAccountName, bin(TimeGenerated, 5m)
| where Renamed >= 200
| sort by Renamed desc`,
      defender: `let lookback = 1d;
DeviceFileEvents
| where Timestamp > ago(lookback)
| where ActionType == "FileRenamed"
| extend NewExtension = tostring(split(FileName, ".")[-1])
| summarize Renamed = count(), Extensions = make_set(NewExtension, 10), SampleFiles = make_set(FileName, 10) by DeviceName, InitiatingProcessFileName, InitiatingProcessAccountName, bin(Timestamp, 5m)
| where Renamed >= 200
| sort by Renamed desc`,
    },
    keywords: ['ransomware', 'mass rename', 'file rename', 'encryption', 'encrypted files', 'file extension'],
    expectedFalsePositives: [
      'Backup, sync and archive tools (OneDrive, robocopy).',
      'Build systems renaming output files.',
    ],
    tuning: ['Exclude sync clients by signed path.', 'Lower the threshold on file servers, where any burst matters.'],
  },
  {
    id: 'shadow-copy-deletion',
    title: 'Shadow copy and backup deletion',
    description:
      'Deleting volume shadow copies or backup catalogues, or disabling recovery: done by ransomware right before encryption.',
    techniques: ['T1490'],
    platforms: {
      sentinel: `let lookback = 7d;
SecurityEvent
| where TimeGenerated > ago(lookback)
| where EventID == 4688
| where (CommandLine has "vssadmin" and CommandLine has_all ("delete", "shadows"))
    or (CommandLine has "wmic" and CommandLine has_all ("shadowcopy", "delete"))
    or (CommandLine has "wbadmin" and CommandLine has_all ("delete", "catalog"))
    or (CommandLine has "bcdedit" and CommandLine has "recoveryenabled")
    or (CommandLine has "Win32_ShadowCopy" and CommandLine has_any ("Delete", "Remove"))
| project TimeGenerated, Computer, Account, ParentProcessName, NewProcessName, CommandLine
| sort by TimeGenerated desc`,
      defender: `let lookback = 7d;
DeviceProcessEvents
| where Timestamp > ago(lookback)
| where (ProcessCommandLine has "vssadmin" and ProcessCommandLine has_all ("delete", "shadows"))
    or (ProcessCommandLine has "wmic" and ProcessCommandLine has_all ("shadowcopy", "delete"))
    or (ProcessCommandLine has "wbadmin" and ProcessCommandLine has_all ("delete", "catalog"))
    or (ProcessCommandLine has "bcdedit" and ProcessCommandLine has "recoveryenabled")
    or (ProcessCommandLine has "Win32_ShadowCopy" and ProcessCommandLine has_any ("Delete", "Remove"))
| project Timestamp, DeviceName, AccountName, InitiatingProcessFileName, FileName, ProcessCommandLine
| sort by Timestamp desc`,
    },
    keywords: [
      'shadow copy',
      'shadow copies',
      'vssadmin',
      'inhibit recovery',
      'backup deletion',
      'wbadmin',
      'bcdedit',
      'ransomware',
    ],
    expectedFalsePositives: ['Backup software pruning old snapshots.', 'Administrators reclaiming disk space.'],
    tuning: [
      'Any hit outside a maintenance window deserves immediate triage.',
      'Exclude the service account of your backup product.',
    ],
  },
];
