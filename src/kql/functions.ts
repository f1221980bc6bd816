import type { KqlPlatform } from './schema';

/**
 * Functions a platform provides beyond its tables, declared to the Kusto analyzer as user functions: a parameter
 * list and a body whose result has the right columns. The bodies are never run; they only give the analyzer the
 * result schema, so a query that uses `_GetWatchlist('x') | project SearchKey` or `imProcessCreate | where …`
 * is checked like one over a table.
 */
export interface KqlFunctionDeclaration {
  name: string;
  parameters: string;
  body: string;
}

const asimTimeParameters = 'starttime:datetime=datetime(null), endtime:datetime=datetime(null)';

/** Columns every ASIM schema has (the common fields). */
const asimCommonColumns = [
  'TimeGenerated:datetime',
  'EventCount:int',
  'EventStartTime:datetime',
  'EventEndTime:datetime',
  'EventType:string',
  'EventSubType:string',
  'EventResult:string',
  'EventResultDetails:string',
  'EventOriginalType:string',
  'EventOriginalResultDetails:string',
  'EventSeverity:string',
  'EventProduct:string',
  'EventProductVersion:string',
  'EventVendor:string',
  'EventSchema:string',
  'EventSchemaVersion:string',
  'EventReportUrl:string',
  'EventUid:string',
  'Dvc:string',
  'DvcHostname:string',
  'DvcDomain:string',
  'DvcFQDN:string',
  'DvcIpAddr:string',
  'DvcId:string',
  'DvcOs:string',
  'DvcAction:string',
  'AdditionalFields:dynamic',
  'Type:string',
];

const actorColumns = ['ActorUsername:string', 'ActorUserId:string', 'ActorUserType:string', 'ActorSessionId:string'];
const processActingColumns = [
  'ActingProcessName:string',
  'ActingProcessId:string',
  'ActingProcessCommandLine:string',
  'ParentProcessName:string',
  'ParentProcessId:string',
];
const srcDstColumns = [
  'SrcIpAddr:string',
  'SrcPortNumber:int',
  'SrcHostname:string',
  'SrcDomain:string',
  'SrcUsername:string',
  'SrcGeoCountry:string',
  'DstIpAddr:string',
  'DstPortNumber:int',
  'DstHostname:string',
  'DstDomain:string',
  'DstUsername:string',
  'DstGeoCountry:string',
  'NetworkProtocol:string',
  'NetworkDirection:string',
  'NetworkBytes:long',
  'SrcBytes:long',
  'DstBytes:long',
];

/** The ASIM schemas: normalized-name suffix → the columns beyond the common ones. */
const asimSchemas: Record<string, string[]> = {
  ProcessCreate: [
    ...actorColumns,
    ...processActingColumns,
    'TargetProcessName:string',
    'TargetProcessId:string',
    'TargetProcessCommandLine:string',
    'TargetProcessFilename:string',
    'TargetProcessFileCompany:string',
    'TargetProcessSHA256:string',
    'TargetProcessMD5:string',
    'TargetUsername:string',
    'CommandLine:string',
    'Process:string',
    'User:string',
    'Hash:string',
  ],
  NetworkSession: [
    ...srcDstColumns,
    'DstAppName:string',
    'SrcAppName:string',
    'NetworkRuleName:string',
    'Hostname:string',
    'IpAddr:string',
    'User:string',
  ],
  Authentication: [
    ...actorColumns,
    'TargetUsername:string',
    'TargetUserId:string',
    'TargetUserType:string',
    'TargetAppName:string',
    'TargetAppId:string',
    'TargetDvcHostname:string',
    'LogonMethod:string',
    'LogonProtocol:string',
    'SrcIpAddr:string',
    'SrcHostname:string',
    'SrcGeoCountry:string',
    'User:string',
    'IpAddr:string',
  ],
  Dns: [
    'SrcIpAddr:string',
    'SrcHostname:string',
    'DstIpAddr:string',
    'DnsQuery:string',
    'DnsQueryType:int',
    'DnsQueryTypeName:string',
    'DnsResponseCode:int',
    'DnsResponseCodeName:string',
    'DnsResponseName:string',
    'Domain:string',
    'IpAddr:string',
  ],
  WebSession: [
    ...srcDstColumns,
    'Url:string',
    'UrlCategory:string',
    'HttpRequestMethod:string',
    'HttpStatusCode:string',
    'HttpUserAgent:string',
    'HttpReferrer:string',
    'User:string',
    'IpAddr:string',
  ],
  FileEvent: [
    ...actorColumns,
    ...processActingColumns,
    'TargetFileName:string',
    'TargetFilePath:string',
    'TargetFileSHA256:string',
    'TargetFileMD5:string',
    'TargetFileSize:long',
    'SrcFileName:string',
    'SrcFilePath:string',
    'FileName:string',
    'FilePath:string',
    'User:string',
    'Hash:string',
  ],
  RegistryEvent: [
    ...actorColumns,
    ...processActingColumns,
    'RegistryKey:string',
    'RegistryValue:string',
    'RegistryValueType:string',
    'RegistryValueData:string',
    'RegistryPreviousKey:string',
    'RegistryPreviousValue:string',
    'RegistryPreviousValueData:string',
    'User:string',
  ],
  AuditEvent: [
    ...actorColumns,
    'Operation:string',
    'Object:string',
    'ObjectType:string',
    'OldValue:string',
    'NewValue:string',
    'SrcIpAddr:string',
    'User:string',
  ],
  UserManagement: [
    ...actorColumns,
    'TargetUsername:string',
    'TargetUserId:string',
    'GroupName:string',
    'GroupId:string',
    'SrcIpAddr:string',
  ],
};

/** The names Sentinel exposes each ASIM schema under: the im* / _Im_* filtering parsers and _ASim_* parsers. */
const asimNames: Record<string, string[]> = {
  ProcessCreate: [
    'imProcessCreate',
    '_Im_ProcessCreate',
    '_Im_ProcessEvent',
    '_ASim_ProcessEvent',
    'ASimProcessEvent',
    'imProcess',
    'imProcessEvents',
  ],
  NetworkSession: ['imNetworkSession', '_Im_NetworkSession', '_ASim_NetworkSession', 'ASimNetworkSession'],
  Authentication: ['imAuthentication', '_Im_Authentication', '_ASim_Authentication', 'ASimAuthentication'],
  Dns: ['imDns', '_Im_Dns', '_ASim_Dns', 'ASimDns'],
  WebSession: ['imWebSession', '_Im_WebSession', '_ASim_WebSession', 'ASimWebSession'],
  FileEvent: ['imFileEvent', '_Im_FileEvent', '_ASim_FileEvent', 'ASimFileEvent'],
  RegistryEvent: ['imRegistry', '_Im_RegistryEvent', '_ASim_RegistryEvent', 'ASimRegistryEvent'],
  AuditEvent: ['imAuditEvent', '_Im_AuditEvent', '_ASim_AuditEvent', 'ASimAuditEvent'],
  UserManagement: ['imUserManagement', '_Im_UserManagement', '_ASim_UserManagement', 'ASimUserManagement'],
};

/** Filtering parameters the ASIM parsers accept beyond the time range (a common subset; all optional). */
const asimFilterParameters =
  'srcipaddr_has_any_prefix:dynamic=dynamic([]), dstipaddr_has_any_prefix:dynamic=dynamic([]), ' +
  'ipaddr_has_any_prefix:dynamic=dynamic([]), dstportnumber:int=int(null), hostname_has_any:dynamic=dynamic([]), ' +
  'username_has_any:dynamic=dynamic([]), actorusername_has_any:dynamic=dynamic([]), ' +
  'targetusername_has_any:dynamic=dynamic([]), commandline_has_any:dynamic=dynamic([]), ' +
  'commandline_has_all:dynamic=dynamic([]), eventtype_in:dynamic=dynamic([]), ' +
  'eventresult:string="*", domain_has_any:dynamic=dynamic([]), url_has_any:dynamic=dynamic([]), disabled:bool=false';

function emptyTable(columns: string[]): string {
  return `{ datatable(${columns.join(', ')})[] }`;
}

const sentinelFunctions: KqlFunctionDeclaration[] = [
  {
    name: '_GetWatchlist',
    parameters: '(watchlistAlias:string)',
    body: emptyTable([
      '_DTItemId:string',
      'LastUpdatedTimeUTC:datetime',
      'SearchKey:string',
      'WatchlistItem:dynamic',
      'TimeGenerated:datetime',
    ]),
  },
  ...Object.entries(asimNames).flatMap(([schema, names]) =>
    names.map((name) => ({
      name,
      parameters: `(${asimTimeParameters}, ${asimFilterParameters})`,
      body: emptyTable([...asimCommonColumns, ...(asimSchemas[schema] ?? [])]),
    })),
  ),
];

/**
 * Defender advanced-hunting functions. FileProfile and SeenBy are used with `invoke`, which passes the piped table
 * as the first parameter; their results are that table plus the columns they add.
 */
const defenderFunctions: KqlFunctionDeclaration[] = [
  {
    name: 'FileProfile',
    parameters: '(T:(*), x:string="SHA1", y:long=1000)',
    body:
      '{ T | extend GlobalPrevalence=long(0), GlobalFirstSeen=datetime(null), GlobalLastSeen=datetime(null), ' +
      'Signer="", Issuer="", SignerHash="", IsCertificateValid=false, IsRootSignerMicrosoft=false, ' +
      'SignatureState="", IsExecutable=false, ThreatName="", Publisher="", SoftwareName="", ProfileAvailability="" }',
  },
  {
    name: 'SeenBy',
    parameters: '(T:(*))',
    body: '{ T | extend SeenBy=dynamic([]) }',
  },
  {
    name: 'DeviceFromIP',
    parameters: '(IP:string, Timestamp:datetime=datetime(null))',
    body: emptyTable(['IP:string', 'DeviceId:string']),
  },
  {
    name: 'AssignedIPAddresses',
    parameters: '(x:string, y:datetime=datetime(null))',
    body: emptyTable([
      'Timestamp:datetime',
      'IPAddress:string',
      'IPType:string',
      'NetworkAdapterType:string',
      'ConnectedNetworks:dynamic',
    ]),
  },
];

export function functionsFor(platform: KqlPlatform): KqlFunctionDeclaration[] {
  return platform === 'sentinel' ? sentinelFunctions : defenderFunctions;
}
