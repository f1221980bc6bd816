import { rule, type KeywordRule } from './keyword-rule';

// Host behaviour seen in endpoint alerts and command lines: execution, persistence, privilege escalation and defence
// evasion. Patterns are case-insensitive and use word boundaries where a short word would otherwise hit inside
// unrelated words.
export const hostRules: readonly KeywordRule[] = [
  // Execution
  rule(
    'encoded-powershell',
    'encoded or downloaded PowerShell',
    /encoded\s+powershell|powershell[^\n]{0,80}\s-e(nc(odedcommand)?)?\s|frombase64string|downloadstring\(|invoke-expression|\biex\s*\(/i,
    [
      ['T1059.001', 'high'],
      ['T1027', 'medium'],
    ],
  ),
  rule('powershell', 'PowerShell activity', /powershell|powersploit|set-executionpolicy|invoke-[a-z]+/i, [
    ['T1059.001', 'medium'],
  ]),
  rule('windows-command-shell', 'Windows command shell', /\bcmd(\.exe)?\s+\/[ck]\b/i, [['T1059.003', 'low']]),
  rule('unix-shell', 'Unix shell', /\b(bash|sh|zsh)\s+-c\b|\/bin\/(ba)?sh\b/i, [['T1059.004', 'low']]),
  rule('reverse-shell', 'reverse shell', /reverse[\s-]shell/i, [['T1059', 'medium']]),
  rule('office-macro', 'malicious Office macro', /\bmacro(s)?\b|vba\s+code/i, [
    ['T1059.005', 'medium'],
    ['T1204.002', 'low'],
  ]),
  rule('wmi', 'WMI execution', /\bwmic(\.exe)?\b|invoke-wmimethod|win32_process|\bwmi\b/i, [['T1047', 'medium']]),
  rule('psexec', 'PsExec or remote service execution', /psexe(c|svc)|remote service (creation|execution)/i, [
    ['T1569.002', 'high'],
    ['T1021.002', 'medium'],
  ]),
  rule(
    'user-execution-keygen',
    'keygen, crack or bundled high-risk software',
    /keygen|high[\s-]risk software|cracked software/i,
    [['T1204.002', 'low']],
  ),
  rule('dropper', 'malware dropper or downloader', /\b(dropper|downloader)\b/i, [
    ['T1105', 'medium'],
    ['T1204.002', 'low'],
  ]),
  rule('pcalua', 'Program Compatibility Assistant (pcalua) launching code', /pcalua/i, [['T1202', 'high']]),
  // Persistence and privilege escalation
  rule('scheduled-task', 'scheduled task', /scheduled\s+task|schtasks/i, [['T1053.005', 'high']]),
  rule(
    'new-service',
    'new or modified Windows service',
    /new service|service (was )?(installed|created)|\bsc(\.exe)?\s+(create|config)\b/i,
    [['T1543.003', 'high']],
  ),
  rule('run-key', 'registry Run key or Startup folder', /run\s?keys?\b|currentversion\\run|startup folder/i, [
    ['T1547.001', 'high'],
  ]),
  rule(
    'uac-bypass',
    'UAC bypass',
    /\buac\b[^\n]{0,40}bypass|bypass[^\n]{0,40}\b(uac|user account control)\b|fodhelper|eventvwr[^\n]{0,40}mscfile/i,
    [['T1548.002', 'high']],
  ),
  rule(
    'sticky-keys',
    'accessibility feature backdoor (sticky keys)',
    /sticky\s?keys|sethc|utilman|accessibility (binary|feature)/i,
    [['T1546.008', 'high']],
  ),
  rule(
    'wmi-subscription',
    'WMI event subscription',
    /wmi (event )?(subscription|consumer)|__eventfilter|commandlineeventconsumer/i,
    [['T1546.003', 'high']],
  ),
  rule('web-shell', 'web shell', /web\s?shell|china\s?chopper/i, [['T1505.003', 'high']]),
  rule(
    'account-created',
    'account created',
    /account (was |is )?(created|added)|account creation|(creat|add)\w* (of |a )?(new |local |domain )?(user )?account|anomalous account creation|net\s+user\s+\S+\s+\S*\s*\/add/i,
    [['T1136', 'medium']],
  ),
  rule(
    'local-account-created',
    'local account created',
    /local account[^\n]{0,40}(creat|add)|(creat|add)\w*[^\n]{0,30}local account|net\s+user\s+\S+\s+\S*\s*\/add/i,
    [['T1136.001', 'medium']],
  ),
  rule(
    'group-membership',
    'account added to a group',
    /local group addition|added to (the )?(local |domain )?(admin\w*|privileged|\w+ )?group|add(ed)? (a )?member to (a )?(\w+ )?group|added and removed from (a )?group|net\s+(local)?group\s+\S+\s+\S+\s+\/add/i,
    [['T1098', 'medium']],
  ),
  rule(
    'account-name-masquerade',
    'account named to look like a built-in one',
    /(account|user) name[^\n]{0,40}(resembles|similar to|looks like)/i,
    [['T1036.010', 'high']],
  ),
  rule(
    'domain-trust',
    'domain trust created or changed',
    /domain trust|trust (was )?(created|modified|added)|federation (settings|trust) (changed|modified|added)/i,
    [['T1484.002', 'high']],
  ),
  rule(
    'inbox-rule',
    'mailbox inbox or forwarding rule',
    /(inbox|mailbox|forwarding|transport|mail flow)\s+rule|auto[\s-]?forward|forwardingsmtpaddress/i,
    [
      ['T1114.003', 'high'],
      ['T1564.008', 'medium'],
    ],
  ),
  // Defence evasion
  rule('obfuscation', 'obfuscated command or file', /obfuscat|upper and lower case|mixed[\s-]case/i, [
    ['T1027', 'high'],
    ['T1027.010', 'medium'],
  ]),
  rule(
    'masquerade-system-process',
    'system process name or location abused',
    /svchost|csrss|system process[^\n]{0,60}(abnormal|unusual|suspicious)|suspicious(ly)? (system process|named process)|similar to but different from/i,
    [['T1036.005', 'medium']],
  ),
  rule('masquerading', 'masquerading', /masquerad/i, [['T1036', 'medium']]),
  rule(
    'double-extension',
    'double file extension',
    /double[\s-]extension|\.(pdf|docx?|xlsx?|jpg|png|txt)\.(exe|scr|js|vbs|bat|cmd)\b/i,
    [['T1036.007', 'high']],
  ),
  rule(
    'suspicious-location',
    'executable running from an unusual location',
    /running from a (suspicious|unusual) location/i,
    [['T1036.005', 'low']],
  ),
  rule(
    'hidden-window',
    'hidden window',
    /windowposition|hidden window|-w(indowstyle)?\s+hidden|hid(e|ing) (application )?windows?/i,
    [['T1564.003', 'high']],
  ),
  rule(
    'modify-registry',
    'registry modification',
    /reg(\.exe)?\s+add\b|registry (key|value)s?[^\n]{0,40}(chang|modif|set|configur)/i,
    [['T1112', 'low']],
  ),
  rule(
    'certutil-decode',
    'certutil decoding a file',
    /certutil[^\n]{0,80}decod|decod\w*[^\n]{0,60}certutil|certutil(\.exe)?\s+-decode/i,
    [['T1140', 'high']],
  ),
  rule(
    'certutil-download',
    'certutil downloading a file',
    /certutil[^\n]{0,80}(download|-urlcache|-verifyctl)|download\w*[^\n]{0,40}certutil/i,
    [['T1105', 'high']],
  ),
  rule('rundll32', 'rundll32 proxy execution', /rundll32/i, [['T1218.011', 'high']]),
  rule('regsvr32', 'regsvr32 proxy execution (Squiblydoo)', /regsvr32|scrobj\.dll/i, [['T1218.010', 'high']]),
  rule('mshta', 'mshta proxy execution', /mshta/i, [['T1218.005', 'high']]),
  rule(
    'applocker-bypass',
    'application control (AppLocker) bypass',
    /applocker|application control (bypass|policy)|lolbin|living off the land/i,
    [['T1218', 'medium']],
  ),
  rule(
    'process-injection',
    'process injection',
    /process (injection|hollowing)|inject\w* (code |shellcode )?into|invoke-shellcode/i,
    [['T1055', 'medium']],
  ),
  rule(
    'event-log-cleared',
    'event log cleared',
    /event logs? (was |were |has been )?cleared|(security|event|audit) log[^\n]{0,20}clear|clear\w* (the )?(security |event |audit )?logs?|wevtutil(\.exe)?\s+cl\b|clear-eventlog/i,
    [['T1070.001', 'high']],
  ),
  rule('log-files-deleted', 'log files deleted', /delet\w*[^\n]{0,40}log files?|log files?[^\n]{0,40}delet/i, [
    ['T1070.004', 'medium'],
  ]),
  rule(
    'event-logging-disabled',
    'Windows event or audit logging disabled',
    /disabl\w*[^\n]{0,30}(event|audit) log(s|ging)?|(event|audit) log(s|ging)?[^\n]{0,20}disabled|auditpol[^\n]{0,40}\/(clear|remove)|eventlog service[^\n]{0,20}(stopped|disabled)/i,
    [['T1562.002', 'high']],
  ),
  // IIS and other application logs are not Windows event logs; ATT&CK has no sub-technique of their own for them.
  rule('logging-disabled', 'logging disabled', /disabl\w*[^\n]{0,40}log(s|ging| files?)\b|httplogging|dontlog/i, [
    ['T1562', 'medium'],
    ['T1562.002', 'low'],
  ]),
  rule(
    'security-tool-disabled',
    'security tool disabled or failing',
    /anti-?malware[^\n]{0,30}(engine )?(failure|disabled|stopped)|\bam engine failure|(defender|antivirus|edr|sensor)[^\n]{0,30}(disabled|tamper|stopped|turned off)|tamper protection|set-mppreference|amsi[^\n]{0,20}bypass/i,
    [['T1562.001', 'medium']],
  ),
  rule(
    'firewall-rule',
    'firewall rule added or firewall disabled',
    /firewall rule|netsh[^\n]{0,40}(advfirewall|firewall)|firewall[^\n]{0,30}(disabled|turned off)/i,
    [['T1562.004', 'high']],
  ),
  rule('permissions-modified', 'file permissions lowered (cacls/icacls)', /\bi?cacls\b|takeown|everyone:f/i, [
    ['T1222.001', 'high'],
  ]),
  rule('timestomp', 'timestamps altered', /timestomp|timestamps? (were |was )?(altered|modified|changed)/i, [
    ['T1070.006', 'high'],
  ]),
  rule('bits-jobs', 'BITS job', /bitsadmin|bits job|start-bitstransfer/i, [['T1197', 'high']]),
];
