import type { EntityType } from '../model';
import { definedProperties, EntityCollector, joinWindowsPath, qualifiedAccountName } from './entities';
import type { JsonRecord } from './fields';
import { asRecord, isRecord, parseMaybeJson, readArray, readFirstString, readRecord, readString } from './fields';

/**
 * Sentinel SecurityAlert `Entities`: a JSON array whose items define `$id`s and point at each other with
 * `{"$ref": "4"}` (a process's ImageFile, ParentProcess, Host and Account). An entity may be defined inline
 * where it is first used and referenced by `$ref` everywhere after, so every `$id` anywhere is indexed first,
 * then each entity is described with its references resolved into useful values.
 */
export function mapSentinelEntities(entitiesValue: unknown): EntityCollector {
  const graph = new SentinelEntityGraph(parseMaybeJson(entitiesValue));
  const collector = new EntityCollector();
  const hashesOwnedByFiles = new Set<JsonRecord>();
  for (const entity of graph.entities) {
    if (entityKind(entity) !== 'file') continue;
    for (const hash of readArray(entity, 'FileHashes')) {
      const resolved = graph.resolve(hash);
      if (resolved !== undefined) hashesOwnedByFiles.add(resolved);
    }
  }
  for (const entity of graph.entities) {
    if (hashesOwnedByFiles.has(entity)) continue;
    const described = describeEntity(entity, graph);
    if (described !== undefined) collector.add(described.type, described.value, described.properties);
  }
  return collector;
}

class SentinelEntityGraph {
  readonly entities: JsonRecord[] = [];
  private readonly byId = new Map<string, JsonRecord>();
  private readonly seen = new Set<JsonRecord>();

  constructor(parsed: unknown) {
    const items = Array.isArray(parsed) ? parsed : [];
    for (const item of items) this.index(item);
    for (const item of items) this.collect(item);
  }

  /** A `$ref` pointer as the entity it points at; an inline entity as itself. */
  resolve(value: unknown): JsonRecord | undefined {
    const record = asRecord(value);
    if (record === undefined) return undefined;
    const reference = readString(record, '$ref');
    return reference === undefined ? record : this.byId.get(reference);
  }

  private index(value: unknown) {
    if (Array.isArray(value)) {
      for (const item of value) this.index(item);
      return;
    }
    if (!isRecord(value)) return;
    const id = readString(value, '$id');
    if (id !== undefined && !this.byId.has(id)) this.byId.set(id, value);
    for (const child of Object.values(value)) this.index(child);
  }

  /** Every entity in first-seen order: top-level items, then entities defined inline inside them. */
  private collect(value: unknown) {
    if (Array.isArray(value)) {
      for (const item of value) this.collect(item);
      return;
    }
    const record = this.resolve(value);
    if (record === undefined || this.seen.has(record)) return;
    this.seen.add(record);
    if (readString(record, 'Type') !== undefined) this.entities.push(record);
    for (const [key, child] of Object.entries(record)) {
      if (key !== '$ref' && (isRecord(child) || Array.isArray(child))) this.collect(child);
    }
  }
}

/** "registry-key", "RegistryKey" and "registry_key" all name the same entity type. */
function entityKind(entity: JsonRecord): string {
  return (readString(entity, 'Type') ?? '').toLowerCase().replace(/[-_\s]/g, '');
}

interface DescribedEntity {
  type: EntityType;
  value: string | undefined;
  properties: Record<string, string>;
}

function describeEntity(entity: JsonRecord, graph: SentinelEntityGraph): DescribedEntity | undefined {
  const kind = entityKind(entity);
  switch (kind) {
    case 'account':
      return { type: 'account', value: accountValue(entity), properties: accountProperties(entity, graph) };
    case 'host':
      return { type: 'host', value: hostValue(entity), properties: hostProperties(entity) };
    case 'ip':
      return { type: 'ip', value: readString(entity, 'Address'), properties: ipProperties(entity) };
    case 'url':
      return { type: 'url', value: readString(entity, 'Url'), properties: {} };
    case 'file':
    case 'filehash':
      return describeFile(entity, graph);
    case 'process':
      return describeProcess(entity, graph);
    case 'registrykey':
      return { type: 'registryKey', value: registryKeyPath(entity), properties: {} };
    case 'registryvalue':
      return describeRegistryValue(entity, graph);
    case 'dns':
      return describeDns(entity, graph);
    case 'mailbox':
      return {
        type: 'mailbox',
        value: readFirstString(entity, ['MailboxPrimaryAddress', 'Upn', 'DisplayName']),
        properties: definedProperties({
          displayName: readString(entity, 'DisplayName'),
          userPrincipalName: readString(entity, 'Upn'),
          aadUserId: readString(entity, 'ExternalDirectoryObjectId'),
        }),
      };
    case 'mailmessage':
      return describeMailMessage(entity);
    case 'cloudapplication':
      return {
        type: 'cloudApplication',
        value: readFirstString(entity, ['Name', 'InstanceName', 'AppId']),
        properties: definedProperties({
          appId: readString(entity, 'AppId'),
          instanceName: readString(entity, 'InstanceName'),
        }),
      };
    case 'azureresource':
      return {
        type: 'azureResource',
        value: readFirstString(entity, ['ResourceId', 'ResourceName']),
        properties: definedProperties({ subscriptionId: readString(entity, 'SubscriptionId') }),
      };
    case 'malware':
      return {
        type: 'other',
        value: readString(entity, 'Name'),
        properties: definedProperties({ kind: 'malware', category: readString(entity, 'Category') }),
      };
    // A logon session only ties a host to an account, both of which are entities of their own.
    case 'hostlogonsession':
      return undefined;
    default:
      return {
        type: 'other',
        value: readFirstString(entity, ['Name', 'DisplayName', 'DistinguishedName', 'ObjectGuid', 'Address', 'Id']),
        properties: definedProperties({ kind: readString(entity, 'Type') }),
      };
  }
}

/** name@suffix when Sentinel split the UPN, otherwise DOMAIN\name, then the directory ids. */
function accountValue(account: JsonRecord | undefined): string | undefined {
  if (account === undefined) return undefined;
  const name = readString(account, 'Name');
  const upnSuffix = readString(account, 'UPNSuffix');
  if (name !== undefined && upnSuffix !== undefined) return `${name}@${upnSuffix}`;
  return (
    readString(account, 'UserPrincipalName') ??
    qualifiedAccountName(readString(account, 'NTDomain'), name) ??
    readFirstString(account, ['AadUserId', 'Sid', 'DisplayName', 'ObjectGuid'])
  );
}

function accountProperties(account: JsonRecord, graph: SentinelEntityGraph): Record<string, string> {
  return definedProperties({
    accountName: readString(account, 'Name'),
    domainName: readString(account, 'NTDomain'),
    upnSuffix: readString(account, 'UPNSuffix'),
    sid: readString(account, 'Sid'),
    aadUserId: readString(account, 'AadUserId'),
    displayName: readString(account, 'DisplayName'),
    logonId: readString(account, 'LogonId'),
    host: hostValue(graph.resolve(account.Host)),
  });
}

function hostValue(host: JsonRecord | undefined): string | undefined {
  if (host === undefined) return undefined;
  const hostName = readString(host, 'HostName');
  const dnsDomain = readString(host, 'DnsDomain');
  return (
    readString(host, 'FQDN') ??
    (hostName !== undefined && dnsDomain !== undefined ? `${hostName}.${dnsDomain}` : hostName) ??
    readFirstString(host, ['NetBiosName', 'AzureID', 'OMSAgentID', 'MdatpDeviceId'])
  );
}

function hostProperties(host: JsonRecord): Record<string, string> {
  return definedProperties({
    netBiosName: readString(host, 'NetBiosName'),
    domainName: readString(host, 'NTDomain'),
    dnsDomain: readString(host, 'DnsDomain'),
    osFamily: readString(host, 'OSFamily'),
    osVersion: readString(host, 'OSVersion'),
    azureResourceId: readString(host, 'AzureID'),
    mdeDeviceId: readString(host, 'MdatpDeviceId'),
  });
}

function ipProperties(ip: JsonRecord): Record<string, string> {
  const location = readRecord(ip, 'Location');
  return definedProperties({
    countryLetterCode: readString(location, 'CountryCode'),
    country: readString(location, 'CountryName'),
    city: readString(location, 'City'),
    asn: readString(location, 'Asn'),
    organization: readFirstString(location, ['Organization', 'Carrier']),
  });
}

interface FileFacts {
  name: string | undefined;
  fullPath: string | undefined;
  hashes: Record<string, string>;
}

function fileFacts(file: JsonRecord | undefined, graph: SentinelEntityGraph): FileFacts {
  const name = readString(file, 'Name');
  const directory = readString(file, 'Directory');
  const hashes: Record<string, string> = {};
  for (const hashValue of readArray(file, 'FileHashes')) {
    const hash = graph.resolve(hashValue);
    const algorithm = readString(hash, 'Algorithm');
    const value = readString(hash, 'Value');
    if (algorithm !== undefined && value !== undefined) hashes[algorithm.toLowerCase()] = value;
  }
  return { name, fullPath: directory === undefined ? undefined : joinWindowsPath(directory, name), hashes };
}

function describeFile(entity: JsonRecord, graph: SentinelEntityGraph): DescribedEntity {
  if (entityKind(entity) === 'filehash') {
    const algorithm = (readString(entity, 'Algorithm') ?? 'hash').toLowerCase();
    const value = readString(entity, 'Value');
    return { type: 'file', value, properties: definedProperties({ [algorithm]: value }) };
  }
  const file = fileFacts(entity, graph);
  return {
    type: 'file',
    value: file.name ?? file.fullPath ?? Object.values(file.hashes)[0],
    properties: definedProperties({
      directory: readString(entity, 'Directory'),
      filePath: file.fullPath,
      host: hostValue(graph.resolve(entity.Host)),
      ...file.hashes,
    }),
  };
}

function describeProcess(entity: JsonRecord, graph: SentinelEntityGraph): DescribedEntity {
  const image = fileFacts(graph.resolve(entity.ImageFile), graph);
  const imagePath = image.fullPath ?? image.name;
  const parent = graph.resolve(entity.ParentProcess);
  const parentImage = fileFacts(graph.resolve(parent?.ImageFile), graph);
  return {
    type: 'process',
    value: readString(entity, 'CommandLine') ?? imagePath ?? readString(entity, 'ProcessId'),
    properties: definedProperties({
      imageFile: imagePath,
      processId: readString(entity, 'ProcessId'),
      parentProcess: parentImage.fullPath ?? parentImage.name ?? readString(parent, 'CommandLine'),
      parentProcessId: readString(parent, 'ProcessId'),
      host: hostValue(graph.resolve(entity.Host)),
      account: accountValue(graph.resolve(entity.Account)),
      elevationToken: readString(entity, 'ElevationToken'),
      creationTime: readString(entity, 'CreationTimeUtc'),
      ...image.hashes,
    }),
  };
}

function registryKeyPath(key: JsonRecord | undefined): string | undefined {
  const hive = readString(key, 'Hive');
  const path = readString(key, 'Key');
  if (hive === undefined) return path;
  return path === undefined ? hive : `${hive}\\${path}`;
}

/** A value with no name is the key's default value, which regedit shows as "(Default)". */
function describeRegistryValue(entity: JsonRecord, graph: SentinelEntityGraph): DescribedEntity {
  const keyPath = registryKeyPath(graph.resolve(entity.Key));
  const valueName = readString(entity, 'Name') ?? '(Default)';
  return {
    type: 'registryValue',
    value: keyPath === undefined ? readString(entity, 'Name') : `${keyPath}\\${valueName}`,
    properties: definedProperties({
      key: keyPath,
      valueName,
      valueData: readString(entity, 'Value'),
      valueType: readString(entity, 'ValueType'),
    }),
  };
}

function describeDns(entity: JsonRecord, graph: SentinelEntityGraph): DescribedEntity {
  const addresses = readArray(entity, 'IpAddresses')
    .map((address) => readString(graph.resolve(address), 'Address'))
    .filter((address): address is string => address !== undefined);
  return {
    type: 'domain',
    value: readString(entity, 'DomainName'),
    properties: definedProperties({
      resolvedAddresses: addresses.length > 0 ? addresses.join(', ') : undefined,
      dnsServerIp: readString(graph.resolve(entity.DnsServerIp), 'Address'),
    }),
  };
}

function describeMailMessage(entity: JsonRecord): DescribedEntity {
  const urls = readArray(entity, 'Urls').filter((url): url is string => typeof url === 'string');
  return {
    type: 'mailMessage',
    value: readFirstString(entity, ['NetworkMessageId', 'InternetMessageId', 'Subject']),
    properties: definedProperties({
      subject: readString(entity, 'Subject'),
      sender: readFirstString(entity, ['P1Sender', 'Sender', 'P2Sender']),
      recipient: readString(entity, 'Recipient'),
      senderIp: readString(entity, 'SenderIP'),
      internetMessageId: readString(entity, 'InternetMessageId'),
      deliveryAction: readString(entity, 'DeliveryAction'),
      deliveryLocation: readString(entity, 'DeliveryLocation'),
      urls: urls.length > 0 ? urls.join(' ') : undefined,
    }),
  };
}
