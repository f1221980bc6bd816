import { AlertSchema } from '../model';
import type { Alert } from '../model';
import type { NormalizeOptions } from './common';
import { contentDerivedId, fallbackTimestamp } from './common';
import { definedProperties, EntityCollector, joinWindowsPath, qualifiedAccountName } from './entities';
import type { JsonRecord } from './fields';
import { asRecord, readArray, readFirstString, readRecord, readString, readStringArray } from './fields';
import { toAlertStatus, toSeverity } from './severity-status';
import { normalizeTechniqueIds } from './techniques';
import { firstIsoTimestamp } from './time';

const defenderProductName = 'Microsoft Defender for Endpoint';

/**
 * A Microsoft Defender for Endpoint API alert (GET /api/alerts/{id}, with evidence expanded) as our Alert.
 * The API returns no portal link; the Defender portal opens any alert at /alerts/{id}, so we build that one.
 */
export function mapDefenderAlert(payload: unknown, options?: NormalizeOptions): Alert {
  const alert = asRecord(payload) ?? {};
  const id = readString(alert, 'id') ?? contentDerivedId('defender', payload);
  const entities = new EntityCollector();
  addMachine(entities, alert);
  addRelatedUser(entities, alert);
  for (const evidence of readArray(alert, 'evidence')) addDefenderEvidence(entities, evidence);
  entities.add('other', readString(alert, 'threatFamilyName'), { kind: 'malwareFamily' });
  entities.add('other', readString(alert, 'threatName'), { kind: 'threat' });

  return AlertSchema.parse({
    id,
    sourceFormat: 'defender',
    title: readString(alert, 'title') ?? `Untitled alert from ${defenderProductName}`,
    description: readString(alert, 'description') ?? '',
    severity: toSeverity(readString(alert, 'severity')),
    status: toAlertStatus(readString(alert, 'status')),
    category: readString(alert, 'category'),
    productName: defenderProductName,
    serviceSource: 'microsoftDefenderForEndpoint',
    detectionSource: readString(alert, 'detectionSource'),
    createdAt:
      firstIsoTimestamp(alert.alertCreationTime, alert.firstEventTime, alert.lastUpdateTime) ??
      fallbackTimestamp(options),
    firstActivityAt: firstIsoTimestamp(alert.firstEventTime),
    lastActivityAt: firstIsoTimestamp(alert.lastEventTime),
    lastUpdatedAt: firstIsoTimestamp(alert.lastUpdateTime),
    incidentId: readString(alert, 'incidentId'),
    techniques: normalizeTechniqueIds(readStringArray(alert, 'mitreTechniques')),
    entities: entities.toArray(),
    portalUrl:
      readString(alert, 'id') === undefined
        ? undefined
        : `https://security.microsoft.com/alerts/${encodeURIComponent(id)}`,
    assignedTo: readString(alert, 'assignedTo'),
    classification: readString(alert, 'classification'),
    determination: readString(alert, 'determination'),
    tenantId: readString(alert, 'aadTenantId'),
    alertType: readString(alert, 'detectorId'),
  });
}

/** The device the alert fired on; logged-on users are context for the device, not evidence of their own. */
function addMachine(entities: EntityCollector, alert: JsonRecord) {
  const loggedOnUsers = readArray(alert, 'loggedOnUsers')
    .map((user) => {
      const record = asRecord(user);
      return qualifiedAccountName(readString(record, 'domainName'), readString(record, 'accountName'));
    })
    .filter((name): name is string => name !== undefined);
  entities.add(
    'host',
    readFirstString(alert, ['computerDnsName', 'machineId']),
    definedProperties({
      mdeDeviceId: readString(alert, 'machineId'),
      deviceGroup: readString(alert, 'rbacGroupName'),
      loggedOnUsers: loggedOnUsers.length > 0 ? loggedOnUsers.join(', ') : undefined,
    }),
  );
}

function addRelatedUser(entities: EntityCollector, alert: JsonRecord) {
  const user = readRecord(alert, 'relatedUser');
  const userName = readString(user, 'userName');
  const domainName = readString(user, 'domainName');
  entities.add(
    'account',
    qualifiedAccountName(domainName, userName),
    definedProperties({ accountName: userName, domainName }),
  );
}

/** Defender evidence is flat: one record with every possible field, `entityType` says which ones are set. */
function addDefenderEvidence(entities: EntityCollector, evidenceValue: unknown) {
  const evidence = asRecord(evidenceValue);
  if (evidence === undefined) return;
  const fileName = readString(evidence, 'fileName');
  const filePath = joinWindowsPath(readString(evidence, 'filePath'), fileName);
  const hashes = definedProperties({ sha256: readString(evidence, 'sha256'), sha1: readString(evidence, 'sha1') });
  const detectionStatus = definedProperties({ detectionStatus: readString(evidence, 'detectionStatus') });

  switch ((readString(evidence, 'entityType') ?? '').toLowerCase()) {
    case 'user': {
      const accountName = readString(evidence, 'accountName');
      const domainName = readString(evidence, 'domainName');
      const userPrincipalName = readString(evidence, 'userPrincipalName');
      const accountProperties = definedProperties({
        accountName,
        domainName,
        userPrincipalName,
        sid: readString(evidence, 'userSid'),
        aadUserId: readString(evidence, 'aadUserId'),
      });
      entities.add('account', userPrincipalName ?? qualifiedAccountName(domainName, accountName), accountProperties);
      return;
    }
    case 'file':
      entities.add('file', fileName ?? filePath ?? hashes.sha256 ?? hashes.sha1, {
        ...definedProperties({ filePath }),
        ...hashes,
        ...detectionStatus,
      });
      return;
    case 'process': {
      const parentProcess = joinWindowsPath(
        readString(evidence, 'parentProcessFilePath'),
        readString(evidence, 'parentProcessFileName'),
      );
      entities.add('process', readString(evidence, 'processCommandLine') ?? filePath ?? fileName, {
        ...definedProperties({
          imageFile: filePath ?? fileName,
          processId: readString(evidence, 'processId'),
          parentProcess,
          parentProcessId: readString(evidence, 'parentProcessId'),
          processCreationTime: readString(evidence, 'processCreationTime'),
          account: qualifiedAccountName(readString(evidence, 'domainName'), readString(evidence, 'accountName')),
        }),
        ...hashes,
        ...detectionStatus,
      });
      return;
    }
    case 'ip':
      entities.add('ip', readString(evidence, 'ipAddress'));
      return;
    case 'url':
      entities.add('url', readString(evidence, 'url'));
      return;
    case 'registry': {
      const key = [readString(evidence, 'registryHive'), readString(evidence, 'registryKey')]
        .filter((part) => part !== undefined)
        .join('\\');
      entities.add(
        'registryKey',
        key === '' ? undefined : key,
        definedProperties({
          valueData: readString(evidence, 'registryValue'),
          valueType: readString(evidence, 'registryValueType'),
        }),
      );
      return;
    }
    default:
      entities.add(
        'other',
        readFirstString(evidence, ['fileName', 'url', 'ipAddress', 'accountName']),
        definedProperties({ kind: readString(evidence, 'entityType') }),
      );
  }
}
