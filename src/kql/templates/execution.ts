import type { HuntingTemplate } from './types';

/** Execution and defence evasion on endpoints: scripting, Office macros, living-off-the-land binaries. */
export const executionTemplates: HuntingTemplate[] = [
  {
    id: 'encoded-powershell',
    title: 'Encoded PowerShell commands',
    description:
      'PowerShell started with -EncodedCommand (or a shortened form), which hides the script from casual review and is common in malware droppers.',
    techniques: ['T1059.001', 'T1027'],
    platforms: {
      sentinel: `let lookback = 1d;
SecurityEvent
| where TimeGenerated > ago(lookback)
| where EventID == 4688
| where NewProcessName has_any ("powershell.exe", "pwsh.exe")
| where CommandLine matches regex @"(?i)\\s-e(c|nc|ncodedcommand|ncodedc)?\\s"
| project TimeGenerated, Computer, Account, ParentProcessName, NewProcessName, CommandLine
| sort by TimeGenerated desc`,
      defender: `let lookback = 1d;
DeviceProcessEvents
| where Timestamp > ago(lookback)
| where FileName in~ ("powershell.exe", "pwsh.exe")
| where ProcessCommandLine matches regex @"(?i)\\s-e(c|nc|ncodedcommand|ncodedc)?\\s"
| project Timestamp, DeviceName, AccountName, InitiatingProcessFileName, ProcessCommandLine
| sort by Timestamp desc`,
    },
    keywords: [
      'encoded powershell',
      'encodedcommand',
      'base64 powershell',
      'obfuscated powershell',
      'powershell',
      '-enc',
    ],
    expectedFalsePositives: [
      'Management agents (SCCM, Intune, monitoring tools) that pass scripts as encoded commands.',
      'Installers and vendor updaters built with PowerShell wrappers.',
    ],
    tuning: [
      'Exclude known management parents (for example CcmExec.exe) after checking their command lines.',
      'Decode the Base64 text (UTF-16LE) and look for download cradles, AMSI bypasses or Invoke-Expression.',
    ],
  },
  {
    id: 'office-spawning-shells',
    title: 'Office applications starting shells or script hosts',
    description:
      'Word, Excel, PowerPoint or Outlook starting cmd, PowerShell, script hosts or mshta: the typical result of a malicious macro or exploit in a document.',
    techniques: ['T1204.002', 'T1566.001', 'T1059'],
    platforms: {
      sentinel: `let lookback = 7d;
SecurityEvent
| where TimeGenerated > ago(lookback)
| where EventID == 4688
| where ParentProcessName has_any ("winword.exe", "excel.exe", "powerpnt.exe", "outlook.exe", "msaccess.exe", "mspub.exe")
| where NewProcessName has_any ("cmd.exe", "powershell.exe", "pwsh.exe", "wscript.exe", "cscript.exe", "mshta.exe", "rundll32.exe", "regsvr32.exe")
| project TimeGenerated, Computer, Account, ParentProcessName, NewProcessName, CommandLine
| sort by TimeGenerated desc`,
      defender: `let lookback = 7d;
DeviceProcessEvents
| where Timestamp > ago(lookback)
| where InitiatingProcessFileName in~ ("winword.exe", "excel.exe", "powerpnt.exe", "outlook.exe", "msaccess.exe", "mspub.exe")
| where FileName in~ ("cmd.exe", "powershell.exe", "pwsh.exe", "wscript.exe", "cscript.exe", "mshta.exe", "rundll32.exe", "regsvr32.exe")
| project Timestamp, DeviceName, AccountName, InitiatingProcessFileName, InitiatingProcessCommandLine, FileName, ProcessCommandLine
| sort by Timestamp desc`,
    },
    keywords: [
      'office',
      'macro',
      'word',
      'excel',
      'outlook',
      'document',
      'maldoc',
      'phishing attachment',
      'spawning shell',
      'child process of office',
    ],
    expectedFalsePositives: [
      'Add-ins and business macros that legitimately call scripts.',
      'Document management or printing integrations.',
    ],
    tuning: [
      'Allow-list specific add-in command lines, not whole parent processes.',
      'Join with DeviceNetworkEvents on the child process to prioritise ones that reach the internet.',
    ],
  },
  {
    id: 'lolbin-certutil',
    title: 'certutil and other living-off-the-land binaries downloading or decoding',
    description:
      'Built-in Windows tools (certutil, bitsadmin, mshta, regsvr32, rundll32) used to download, decode or run remote content.',
    techniques: ['T1105', 'T1140', 'T1218'],
    platforms: {
      sentinel: `let lookback = 7d;
SecurityEvent
| where TimeGenerated > ago(lookback)
| where EventID == 4688
| where (NewProcessName endswith "\\\\certutil.exe" and CommandLine has_any ("urlcache", "-decode", "-decodehex", "verifyctl"))
    or (NewProcessName endswith "\\\\bitsadmin.exe" and CommandLine has "transfer")
    or (NewProcessName endswith "\\\\mshta.exe" and CommandLine has_any ("http", "javascript", "vbscript"))
    or (NewProcessName endswith "\\\\regsvr32.exe" and CommandLine has_any ("scrobj", "/i:http"))
    or (NewProcessName endswith "\\\\rundll32.exe" and CommandLine has "javascript")
| project TimeGenerated, Computer, Account, ParentProcessName, NewProcessName, CommandLine
| sort by TimeGenerated desc`,
      defender: `let lookback = 7d;
DeviceProcessEvents
| where Timestamp > ago(lookback)
| where (FileName =~ "certutil.exe" and ProcessCommandLine has_any ("urlcache", "-decode", "-decodehex", "verifyctl"))
    or (FileName =~ "bitsadmin.exe" and ProcessCommandLine has "transfer")
    or (FileName =~ "mshta.exe" and ProcessCommandLine has_any ("http", "javascript", "vbscript"))
    or (FileName =~ "regsvr32.exe" and ProcessCommandLine has_any ("scrobj", "/i:http"))
    or (FileName =~ "rundll32.exe" and ProcessCommandLine has "javascript")
| project Timestamp, DeviceName, AccountName, InitiatingProcessFileName, FileName, ProcessCommandLine
| sort by Timestamp desc`,
    },
    keywords: [
      'certutil',
      'lolbin',
      'lolbins',
      'living off the land',
      'bitsadmin',
      'mshta',
      'regsvr32',
      'rundll32',
      'download cradle',
      'urlcache',
    ],
    expectedFalsePositives: [
      'Administrators using certutil to inspect or install certificates.',
      'Software deployment that uses BITS.',
    ],
    tuning: [
      'Exclude command lines that only touch internal PKI or update servers you know.',
      'Look at what the downloaded file did next (DeviceFileEvents, DeviceProcessEvents on the same device).',
    ],
  },
  {
    id: 'rare-parent-child',
    title: 'Rare parent-child process pairs',
    description:
      'Process launches whose parent and child combination was seen on at most two devices during the baseline: new tooling or an attacker living in an unusual process.',
    techniques: ['T1059', 'T1055'],
    platforms: {
      sentinel: `let lookback = 1d;
let baseline = 14d;
let rarePairs = DeviceProcessEvents
| where TimeGenerated > ago(baseline)
| summarize Devices = dcount(DeviceId) by InitiatingProcessFileName, FileName
| where Devices <= 2;
DeviceProcessEvents
| where TimeGenerated > ago(lookback)
| join kind=inner rarePairs on InitiatingProcessFileName, FileName
| project TimeGenerated, DeviceName, AccountName, InitiatingProcessFileName, FileName, ProcessCommandLine, Devices
| sort by TimeGenerated desc`,
      defender: `let lookback = 1d;
let baseline = 14d;
let rarePairs = DeviceProcessEvents
| where Timestamp > ago(baseline)
| summarize Devices = dcount(DeviceId) by InitiatingProcessFileName, FileName
| where Devices <= 2;
DeviceProcessEvents
| where Timestamp > ago(lookback)
| join kind=inner rarePairs on InitiatingProcessFileName, FileName
| project Timestamp, DeviceName, AccountName, InitiatingProcessFileName, FileName, ProcessCommandLine, Devices
| sort by Timestamp desc`,
    },
    keywords: [
      'rare parent',
      'parent-child',
      'parent child',
      'unusual process',
      'rare process',
      'process tree',
      'anomalous process',
    ],
    expectedFalsePositives: [
      'New software roll-outs and updates during the hunt window.',
      'Developer machines and build agents.',
    ],
    tuning: [
      'Raise the device threshold in large estates; lower it in small ones.',
      'Exclude build servers and golden-image staging devices by DeviceName.',
    ],
  },
];
