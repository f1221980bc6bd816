import type { EntityType } from '../model';
import { definedProperties, joinWindowsPath, qualifiedAccountName } from './entities';
import type { EntityCollector } from './entities';
import type { JsonRecord } from './fields';
import { asRecord, lookup, readFirstString, readRecord, readString, readStringArray, toStringArray } from './fields';

/**
 * Microsoft Graph Security alerts_v2 evidence (`#microsoft.graph.security.*Evidence`) onto our entities.
 * Shapes follow the Graph v1.0 reference: userAccount and fileDetails are nested complex types,
 * roles/verdict/remediationStatus/detailedRoles come from the alertEvidence base type.
 */

type EvidenceMapper = (evidence: JsonRecord, common: CommonEvidence, collector: EntityCollector) => void;

interface CommonEvidence {
  roles: string[];
  properties: Record<string, string>;
}

export function addGraphEvidence(collector: EntityCollector, evidenceValue: unknown): void {
  const evidence = asRecord(evidenceValue);
  if (evidence === undefined) return;
  const kind = evidenceKind(readString(evidence, '@odata.type'));
  const common = commonEvidence(evidence);
  const mapper = lookup(evidenceMappers, kind);
  if (mapper !== undefined) {
    mapper(evidence, common, collector);
    return;
  }
  addUnknownEvidence(kind, evidence, common, collector);
}

/** "#microsoft.graph.security.deviceEvidence" → "deviceEvidence". */
function evidenceKind(odataType: string | undefined): string {
  if (odataType === undefined) return '';
  const lastDot = odataType.lastIndexOf('.');
  return lastDot === -1 ? odataType.replace(/^#/, '') : odataType.slice(lastDot + 1);
}

function commonEvidence(evidence: JsonRecord): CommonEvidence {
  const detailedRoles = readStringArray(evidence, 'detailedRoles');
  const remediationStatus = readString(evidence, 'remediationStatus');
  return {
    roles: readStringArray(evidence, 'roles').filter((role) => role !== 'unknown'),
    properties: definedProperties({
      verdict: readString(evidence, 'verdict'),
      remediationStatus: remediationStatus === 'none' ? undefined : remediationStatus,
      detailedRoles: detailedRoles.length > 0 ? detailedRoles.join('; ') : undefined,
    }),
  };
}

interface AccountDetails {
  value: string | undefined;
  properties: Record<string, string>;
}

/** The graph `userAccount` complex type; the UPN identifies a cloud user best, then DOMAIN\name. */
export function graphUserAccount(accountValue: unknown): AccountDetails {
  const account = asRecord(accountValue);
  const accountName = readString(account, 'accountName');
  const domainName = readString(account, 'domainName');
  const userPrincipalName = readString(account, 'userPrincipalName');
  const azureAdUserId = readString(account, 'azureAdUserId');
  const displayName = readString(account, 'displayName');
  return {
    value: userPrincipalName ?? qualifiedAccountName(domainName, accountName) ?? azureAdUserId ?? displayName,
    properties: definedProperties({
      accountName,
      domainName,
      userPrincipalName,
      aadUserId: azureAdUserId,
      sid: readString(account, 'userSid'),
      displayName,
    }),
  };
}

interface FileFacts {
  fileName: string | undefined;
  fullPath: string | undefined;
  properties: Record<string, string>;
}

/** The graph `fileDetails` complex type with hashes under their usual names. */
function graphFileDetails(detailsValue: unknown): FileFacts {
  const details = asRecord(detailsValue);
  const fileName = readString(details, 'fileName');
  const filePath = readString(details, 'filePath');
  const fullPath = filePath !== undefined && fileName !== undefined ? joinWindowsPath(filePath, fileName) : filePath;
  return {
    fileName,
    fullPath,
    properties: definedProperties({
      sha256: readString(details, 'sha256'),
      sha1: readString(details, 'sha1'),
      md5: readString(details, 'md5'),
      filePath: fullPath,
      fileSize: readString(details, 'fileSize'),
      filePublisher: readString(details, 'filePublisher'),
      signer: readString(details, 'signer'),
    }),
  };
}

function add(
  collector: EntityCollector,
  type: EntityType,
  value: string | undefined,
  common: CommonEvidence,
  properties: Record<string, string>,
) {
  collector.add(type, value, { ...properties, ...common.properties }, common.roles);
}

const evidenceMappers: Record<string, EvidenceMapper> = {
  deviceEvidence: (evidence, common, collector) => {
    const loggedOnUsers = readLoggedOnUsers(evidence);
    const ipInterfaces = readStringArray(evidence, 'ipInterfaces');
    add(
      collector,
      'host',
      readFirstString(evidence, ['deviceDnsName', 'hostName', 'mdeDeviceId', 'azureAdDeviceId']),
      common,
      definedProperties({
        mdeDeviceId: readString(evidence, 'mdeDeviceId'),
        azureAdDeviceId: readString(evidence, 'azureAdDeviceId'),
        osPlatform: readString(evidence, 'osPlatform'),
        osBuild: readString(evidence, 'osBuild'),
        riskScore: readString(evidence, 'riskScore'),
        healthStatus: readString(evidence, 'healthStatus'),
        onboardingStatus: readString(evidence, 'onboardingStatus'),
        ipInterfaces: ipInterfaces.length > 0 ? ipInterfaces.join(', ') : undefined,
        loggedOnUsers: loggedOnUsers.length > 0 ? loggedOnUsers.join(', ') : undefined,
      }),
    );
  },
  userEvidence: (evidence, common, collector) => {
    const account = graphUserAccount(evidence.userAccount);
    add(collector, 'account', account.value, common, account.properties);
  },
  ipEvidence: (evidence, common, collector) => {
    const location = readRecord(evidence, 'location');
    add(
      collector,
      'ip',
      readString(evidence, 'ipAddress'),
      common,
      definedProperties({
        countryLetterCode: readString(evidence, 'countryLetterCode'),
        city: readString(location, 'city'),
        country: readString(location, 'countryName'),
      }),
    );
  },
  urlEvidence: (evidence, common, collector) => {
    add(collector, 'url', readString(evidence, 'url'), common, {});
  },
  fileEvidence: (evidence, common, collector) => {
    const file = graphFileDetails(evidence.fileDetails);
    const properties = definedProperties({
      ...file.properties,
      detectionStatus: readString(evidence, 'detectionStatus'),
      mdeDeviceId: readString(evidence, 'mdeDeviceId'),
    });
    add(collector, 'file', file.fileName ?? file.fullPath ?? file.properties.sha256, common, properties);
  },
  processEvidence: (evidence, common, collector) => {
    const image = graphFileDetails(evidence.imageFile);
    const parent = graphFileDetails(evidence.parentProcessImageFile);
    const account = graphUserAccount(evidence.userAccount);
    const commandLine = readString(evidence, 'processCommandLine');
    add(
      collector,
      'process',
      commandLine ?? image.fullPath ?? image.fileName,
      common,
      definedProperties({
        imageFile: image.fullPath ?? image.fileName,
        // The hashes of a process are its image file's hashes, which is what hunting queries join on.
        sha256: image.properties.sha256,
        sha1: image.properties.sha1,
        md5: image.properties.md5,
        filePublisher: image.properties.filePublisher,
        parentProcess: parent.fullPath ?? parent.fileName,
        processId: readString(evidence, 'processId'),
        parentProcessId: readString(evidence, 'parentProcessId'),
        processCreationDateTime: readString(evidence, 'processCreationDateTime'),
        account: account.value,
        detectionStatus: readString(evidence, 'detectionStatus'),
        mdeDeviceId: readString(evidence, 'mdeDeviceId'),
      }),
    );
  },
  mailboxEvidence: (evidence, common, collector) => {
    const account = graphUserAccount(evidence.userAccount);
    add(
      collector,
      'mailbox',
      readString(evidence, 'primaryAddress') ?? account.value,
      common,
      definedProperties({ displayName: readString(evidence, 'displayName'), userPrincipalName: account.value }),
    );
  },
  analyzedMessageEvidence: (evidence, common, collector) => {
    const sender = asRecord(evidence.p1Sender);
    const urls = readStringArray(evidence, 'urls');
    const threats = readStringArray(evidence, 'threats');
    add(
      collector,
      'mailMessage',
      readFirstString(evidence, ['networkMessageId', 'internetMessageId', 'subject']),
      common,
      definedProperties({
        subject: readString(evidence, 'subject'),
        sender: readFirstString(sender, ['emailAddress', 'displayName']),
        senderDomain: readString(sender, 'domainName'),
        recipient: readString(evidence, 'recipientEmailAddress'),
        senderIp: readString(evidence, 'senderIp'),
        internetMessageId: readString(evidence, 'internetMessageId'),
        deliveryAction: readString(evidence, 'deliveryAction'),
        deliveryLocation: readString(evidence, 'deliveryLocation'),
        receivedDateTime: readString(evidence, 'receivedDateTime'),
        urls: urls.length > 0 ? urls.join(' ') : undefined,
        threats: threats.length > 0 ? threats.join(', ') : undefined,
      }),
    );
  },
  registryKeyEvidence: (evidence, common, collector) => {
    const hive = readString(evidence, 'registryHive');
    const key = readString(evidence, 'registryKey');
    add(collector, 'registryKey', joinRegistryPath(hive, key), common, definedProperties({ hive, key }));
  },
  registryValueEvidence: (evidence, common, collector) => {
    const hive = readString(evidence, 'registryHive');
    const key = readString(evidence, 'registryKey');
    const valueName = readString(evidence, 'registryValueName');
    add(
      collector,
      'registryValue',
      joinRegistryPath(joinRegistryPath(hive, key), valueName),
      common,
      definedProperties({
        key: joinRegistryPath(hive, key),
        valueName,
        valueData: readString(evidence, 'registryValue'),
        valueType: readString(evidence, 'registryValueType'),
        mdeDeviceId: readString(evidence, 'mdeDeviceId'),
      }),
    );
  },
  cloudApplicationEvidence: (evidence, common, collector) => {
    add(
      collector,
      'cloudApplication',
      readFirstString(evidence, ['displayName', 'instanceName', 'appId']),
      common,
      definedProperties({
        appId: readString(evidence, 'appId'),
        instanceName: readString(evidence, 'instanceName'),
        saasAppId: readString(evidence, 'saasAppId'),
      }),
    );
  },
  oauthApplicationEvidence: (evidence, common, collector) => {
    add(
      collector,
      'cloudApplication',
      readFirstString(evidence, ['displayName', 'appId']),
      common,
      definedProperties({
        appId: readString(evidence, 'appId'),
        publisher: readString(evidence, 'publisher'),
        objectId: readString(evidence, 'objectId'),
        kind: 'oauthApplication',
      }),
    );
  },
  azureResourceEvidence: (evidence, common, collector) => {
    add(
      collector,
      'azureResource',
      readFirstString(evidence, ['resourceId', 'resourceName']),
      common,
      definedProperties({
        resourceName: readString(evidence, 'resourceName'),
        resourceType: readString(evidence, 'resourceType'),
      }),
    );
  },
  dnsEvidence: (evidence, common, collector) => {
    add(
      collector,
      'domain',
      readString(evidence, 'domainName'),
      common,
      definedProperties({ dnsServerIp: readString(asRecord(evidence.dnsServerIp), 'ipAddress') }),
    );
  },
  fileHashEvidence: (evidence, common, collector) => {
    const hash = readString(evidence, 'value');
    const algorithm = (readString(evidence, 'algorithm') ?? 'hash').toLowerCase();
    add(collector, 'file', hash, common, definedProperties({ [algorithm]: hash }));
  },
};

function readLoggedOnUsers(evidence: JsonRecord): string[] {
  const users = Array.isArray(evidence.loggedOnUsers) ? evidence.loggedOnUsers : [];
  return users
    .map((user) => {
      const record = asRecord(user);
      return qualifiedAccountName(readString(record, 'domainName'), readString(record, 'accountName'));
    })
    .filter((name): name is string => name !== undefined);
}

function joinRegistryPath(left: string | undefined, right: string | undefined): string | undefined {
  if (left === undefined) return right;
  if (right === undefined) return left;
  return `${left}\\${right}`;
}

/** Evidence types we do not model (clusters, containers, security groups…) still show up, as `other`. */
function addUnknownEvidence(kind: string, evidence: JsonRecord, common: CommonEvidence, collector: EntityCollector) {
  const value = readFirstString(evidence, [
    'displayName',
    'name',
    'clusterByValue',
    'query',
    'resourceId',
    'securityGroupId',
    'objectId',
    'urn',
  ]);
  const networkMessageIds = toStringArray(evidence.networkMessageIds);
  add(
    collector,
    'other',
    value,
    common,
    definedProperties({
      kind: kind === '' ? undefined : kind,
      emailCount: readString(evidence, 'emailCount'),
      networkMessageIds: networkMessageIds.length > 0 ? networkMessageIds.join(', ') : undefined,
    }),
  );
}
