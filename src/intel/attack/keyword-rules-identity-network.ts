import { rule, type KeywordRule } from './keyword-rule';

// Identity, e-mail and network behaviour: credential access, initial access, discovery, command and control,
// exfiltration and impact. Patterns are case-insensitive and use word boundaries where a short word (c2, rdp, spam)
// would otherwise hit inside unrelated words.
export const identityAndNetworkRules: readonly KeywordRule[] = [
  // Credential access
  rule(
    'lsass-dump',
    'LSASS memory access or Mimikatz',
    /lsass|mimikatz|sekurlsa|procdump[^\n]{0,40}-ma|comsvcs(\.dll)?[^\n]{0,30}minidump|credentials? from memory/i,
    [['T1003.001', 'high']],
  ),
  rule(
    'credential-dumping',
    'credential dumping',
    /credential[\s-]dump|dump\w* (of )?credentials|sqldumper|hashdump/i,
    [['T1003', 'medium']],
  ),
  rule('sam-dump', 'SAM hive dump', /reg(\.exe)?\s+save\s+hklm\\sam|\bsam (hive|database) (dump|copied|access)/i, [
    ['T1003.002', 'high'],
  ]),
  rule('ntds-dump', 'NTDS.dit access', /ntds\.dit|ntdsutil/i, [['T1003.003', 'high']]),
  rule(
    'dcsync',
    'DCSync replication request',
    /dcsync|directory (service )?replication[^\n]{0,40}(suspicious|request)|lsadump::dcsync/i,
    [['T1003.006', 'high']],
  ),
  rule(
    'kerberoasting',
    'Kerberoasting',
    /kerberoast\w*|\bspn\b[^\n]{0,40}(enumerat|request)|invoke-kerberoast|rubeus[^\n]{0,20}kerberoast/i,
    [['T1558.003', 'high']],
  ),
  rule('golden-ticket', 'Kerberos golden ticket', /golden\s+ticket|\/krbtgt:|krbtgt[^\n]{0,40}(forged|anomal)/i, [
    ['T1558.001', 'high'],
  ]),
  rule('pass-the-hash', 'pass-the-hash', /pass[\s-]the[\s-]hash|overpass[\s-]the[\s-]hash|\bpth\b/i, [
    ['T1550.002', 'high'],
  ]),
  rule('pass-the-ticket', 'pass-the-ticket', /pass[\s-]the[\s-]ticket|\bptt\b/i, [['T1550.003', 'high']]),
  rule('password-spray', 'password spray', /password[\s-]spray/i, [['T1110.003', 'high']]),
  rule('credential-stuffing', 'credential stuffing', /credential[\s-]stuffing/i, [['T1110.004', 'high']]),
  rule(
    'brute-force',
    'brute force',
    /brute[\s-]?forc|dubrute|(many|multiple|several) failed (log ?on|log ?in|sign[\s-]?in)s?|failed (log ?on|log ?in|sign[\s-]?in) attempts/i,
    [['T1110', 'high']],
  ),
  rule('rdp-activity', 'Remote Desktop (RDP) logons', /\brdp\b|remote desktop|mstsc|freerdp/i, [
    ['T1021.001', 'medium'],
  ]),
  rule('ssh-logon', 'SSH logon', /\bssh\b/i, [['T1021.004', 'medium']]),
  rule(
    'winrm',
    'WinRM remote management',
    /winrm|windows remote management|enter-pssession|invoke-command\s+-computername/i,
    [['T1021.006', 'medium']],
  ),
  rule('smb-admin-shares', 'SMB admin shares', /admin\$|\\c\$|ipc\$|admin shares?/i, [['T1021.002', 'medium']]),
  rule(
    'mfa-fatigue',
    'MFA fatigue (repeated push requests)',
    /mfa (fatigue|bombing|spam)|mfa push|push (notification )?(fatigue|bombing)|(multiple|repeated) mfa (requests|prompts|denials)/i,
    [['T1621', 'high']],
  ),
  rule(
    'document-credentials',
    'credentials embedded in a document or file',
    /document credentials|credentials? in (a |the )?files?|password (found )?in (a |the )?(script|file|document)/i,
    [['T1552.001', 'low']],
  ),
  rule(
    'browser-credentials',
    'browser credential theft',
    /\b(browser|chrome|firefox|edge)\b[^\n]{0,40}(credential|password|login data)|login data[^\n]{0,20}(chrome|edge)/i,
    [['T1555.003', 'medium']],
  ),
  rule(
    'token-theft',
    'token or session cookie theft',
    /token (theft|replay|stolen)|stolen (session )?token|session cookie|cookie theft|aitm|adversary[\s-]in[\s-]the[\s-]middle/i,
    [
      ['T1539', 'medium'],
      ['T1557', 'low'],
    ],
  ),
  rule(
    'illicit-consent',
    'illicit OAuth consent',
    /(illicit|suspicious|malicious) (oauth )?(app(lication)? )?consent|consent grant/i,
    [['T1528', 'medium']],
  ),
  rule('llmnr-poisoning', 'LLMNR/NBT-NS poisoning or NTLM relay', /llmnr|nbt-ns|responder|ntlm relay/i, [
    ['T1557.001', 'high'],
  ]),
  rule('keylogging', 'keylogging', /keylog/i, [['T1056.001', 'high']]),
  // Initial access and valid accounts
  rule('phishing', 'phishing', /phish/i, [['T1566', 'medium']]),
  rule(
    'phishing-attachment',
    'malicious e-mail attachment',
    /(phish\w*|malicious|weaponi[sz]ed) (e-?mail )?(doc(ument)?|attachment)|attachment[^.\n]{0,40}(opened|malicious)/i,
    [['T1566.001', 'medium']],
  ),
  rule('phishing-link', 'malicious link in e-mail', /(phish\w*|malicious) (url|link)|clicked[^\n]{0,30}(url|link)/i, [
    ['T1566.002', 'medium'],
  ]),
  rule(
    'spam-inbound',
    'spam e-mail',
    /\bspam\b/i,
    [['T1566', 'low']],
    /(outgoing|outbound|sending|send)\s+spam|spam\s+(activity|bot|relay)/i,
  ),
  rule(
    'sign-in-anomaly',
    'anomalous sign-in with valid credentials',
    /impossible travel|anonymous ip|unfamiliar sign-?in|atypical travel|unusual sign-?in|malicious ip address sign-?in|leaked credentials|sign-?in from (a )?(tor|anonymi[sz]er)/i,
    [['T1078', 'medium']],
  ),
  rule('admin-logon', 'administrator logged on', /admin(istrator)? (logged|signed) (on|in)/i, [['T1078', 'low']]),
  rule('sql-injection', 'SQL injection', /sql[\s-]?injection|sqli\b|' or 1\s*=\s*1/i, [['T1190', 'high']]),
  rule(
    'public-exploit',
    'exploit against an internet-facing service',
    /exploit\w*[^\n]{0,40}(public|internet)[\s-]facing|remote code execution|\brce\b|cve-\d{4}-\d+/i,
    [['T1190', 'low']],
  ),
  // Discovery
  rule(
    'domain-account-discovery',
    'domain account enumeration',
    /domain accounts?[^\n]{0,20}(queried|enumerat)|net\s+user\s[^\n]{0,40}\/domain|enumerat\w* (of )?(domain )?(users|accounts)|bloodhound|sharphound|ldap (recon|enumeration)/i,
    [['T1087.002', 'medium']],
  ),
  rule(
    'domain-group-discovery',
    'domain group enumeration',
    /net\s+group\s[^\n]{0,40}\/domain|domain groups? (queried|enumerat)|bloodhound|sharphound/i,
    [['T1069.002', 'medium']],
  ),
  rule(
    'domain-trust-discovery',
    'domain trust discovery',
    /nltest[^\n]{0,20}trusts?|get-(ad)?trust|domain trust (discovery|enumeration)/i,
    [['T1482', 'high']],
  ),
  rule('network-scan', 'network or port scanning', /port[\s-]?scan|network scan|\bnmap\b|masscan|service discovery/i, [
    ['T1046', 'medium'],
  ]),
  // Command and control, exfiltration
  rule(
    'c2-communication',
    'command-and-control communication',
    /command[\s-]and[\s-]control|\bc2\b|\bc&c\b|beacon|malic\w* ip (communication|connection)|communicat\w+ with (a |an )?(known )?malicious|malicious (machine|host|ip)/i,
    [['T1071', 'medium']],
  ),
  rule('dns-tunneling', 'DNS tunnelling', /dns tunnel/i, [['T1071.004', 'high']]),
  rule('tor-proxy', 'Tor or multi-hop proxy', /\btor\b (network|exit|node|browser)|onion router|\.onion\b/i, [
    ['T1090.003', 'medium'],
  ]),
  rule(
    'remote-access-tool',
    'remote access software',
    /anydesk|teamviewer|screenconnect|remote access (tool|software)|\brat\b/i,
    [['T1219', 'medium']],
  ),
  rule(
    'tool-transfer',
    'additional tools downloaded',
    /download (and|&) execute|download(ed|ing)? (additional|further|second[\s-]stage)|ftp(\.exe)?\s+-s:|\bftp -s\b|wget |curl [^\n]{0,40}-o\b|invoke-webrequest|net\.webclient/i,
    [['T1105', 'medium']],
  ),
  rule(
    'exfiltration-cloud',
    'upload to cloud storage',
    /(upload|exfiltrat)\w*[^\n]{0,40}(cloud storage|dropbox|mega\.nz|google drive|onedrive|rclone)|rclone/i,
    [['T1567.002', 'medium']],
  ),
  rule('exfiltration', 'data exfiltration', /exfiltrat/i, [['T1041', 'low']]),
  rule(
    'archive-collected',
    'data archived before theft',
    /(7z|rar|zip)\w*[^\n]{0,30}(password|-p\S)|archiv\w* (collected|staged) data/i,
    [['T1560', 'medium']],
  ),
  // Impact
  rule(
    'ransomware',
    'ransomware activity',
    /ransomware (indicators?|activity|behaviou?r|detected|attack)|petya|wannacry|lockbit|ransom note|files? (were |are |being |have been )?encrypted|encrypt\w* (user |victim )?(data )?(files|data|disks?|volumes?)/i,
    [['T1486', 'high']],
  ),
  // A bare mention ("ransomware often deletes shadow copies") is context, not an observation.
  rule('ransomware-mention', 'ransomware mentioned', /ransomware/i, [['T1486', 'medium']]),
  rule(
    'inhibit-recovery',
    'shadow copies or backups deleted',
    /shadow ?cop(y|ies)|vssadmin|wbadmin[^\n]{0,30}delete|bcdedit[^\n]{0,40}recoveryenabled|wmic[^\n]{0,20}shadowcopy/i,
    [['T1490', 'high']],
  ),
  rule(
    'coin-mining',
    'cryptocurrency mining',
    /coin ?min(er|ing)|crypto ?(currency )?min(er|ing)|digital currency mining|cryptojack|xmrig|cryptonight|stratum\+tcp/i,
    [['T1496.001', 'high']],
  ),
  rule(
    'outgoing-spam',
    'outgoing spam from a compromised host',
    /(outgoing|outbound|sending|send)\s+spam|spam\s+(activity|bot|relay)/i,
    [['T1496', 'medium']],
  ),
  rule('denial-of-service', 'denial of service', /denial[\s-]of[\s-]service|\bddos\b|\bdos attack/i, [
    ['T1498', 'medium'],
  ]),
  rule(
    'data-destruction',
    'data destruction or wiping',
    /\bwiper\b|disk wip|data destruction|sdelete|cipher(\.exe)?\s+\/w/i,
    [['T1485', 'medium']],
  ),
  rule(
    'service-stop',
    'services stopped',
    /(stop|kill)\w*[^\n]{0,20}(services|backup service|database service)|net\s+stop\b/i,
    [['T1489', 'medium']],
  ),
];
