import type { Severity } from '../model';
import type { DemoDevice, DemoPerson } from './directory';
import { objectIdOf, sidOf } from './directory';
import type { DemoTimeline } from './fake-identifiers';
import { demoTenantId, fakeSha1, fakeSha256 } from './fake-identifiers';

/**
 * Builders for Microsoft Graph Security alerts_v2 payloads (alert, incident and evidence types as documented
 * for Graph v1.0). The demo writes its stories in the vendor's shape and runs them through the real Graph
 * mapper, so the demo exercises the same code path as a live tenant.
 */

type GraphJson = Record<string, unknown>;

export interface EvidenceOptions {
  roles?: string[];
  verdict?: 'malicious' | 'suspicious' | 'unknown' | 'noThreatsFound';
  detailedRoles?: string[];
  remediationStatus?: 'none' | 'remediated' | 'prevented' | 'blocked' | 'notFound' | 'active';
}

function evidence(kind: string, options: EvidenceOptions, fields: GraphJson): GraphJson {
  return {
    '@odata.type': `#microsoft.graph.security.${kind}`,
    verdict: options.verdict ?? 'suspicious',
    remediationStatus: options.remediationStatus ?? 'none',
    roles: options.roles ?? [],
    detailedRoles: options.detailedRoles ?? [],
    tags: [],
    ...fields,
  };
}

export function userAccount(person: DemoPerson): GraphJson {
  return {
    accountName: person.samAccountName,
    domainName: 'CONTOSO',
    userSid: sidOf(person),
    azureAdUserId: objectIdOf(person),
    userPrincipalName: person.userPrincipalName,
    displayName: person.displayName,
  };
}

export function userEvidence(person: DemoPerson, options: EvidenceOptions = {}): GraphJson {
  return evidence('userEvidence', options, { userAccount: userAccount(person) });
}

export function deviceEvidence(device: DemoDevice, loggedOn: DemoPerson[], options: EvidenceOptions = {}): GraphJson {
  return evidence('deviceEvidence', options, {
    mdeDeviceId: device.mdeDeviceId,
    azureAdDeviceId: device.azureAdDeviceId,
    deviceDnsName: device.dnsName,
    osPlatform: device.osPlatform,
    osBuild: device.osBuild,
    healthStatus: 'active',
    riskScore: options.verdict === 'malicious' ? 'high' : 'medium',
    rbacGroupName: device.rbacGroupName,
    onboardingStatus: 'onboarded',
    defenderAvStatus: 'updated',
    ipInterfaces: [device.ipAddress],
    loggedOnUsers: loggedOn.map((person) => ({ accountName: person.samAccountName, domainName: 'CONTOSO' })),
  });
}

export function ipEvidence(
  ipAddress: string,
  countryLetterCode: string | null,
  options: EvidenceOptions = {},
): GraphJson {
  return evidence('ipEvidence', options, { ipAddress, countryLetterCode });
}

export function urlEvidence(url: string, options: EvidenceOptions = {}): GraphJson {
  return evidence('urlEvidence', options, { url });
}

export interface FileSpec {
  fileName: string;
  filePath: string;
  /** Label the fake hashes derive from; defaults to the path, so the same file always has the same hash. */
  hashLabel?: string;
  publisher?: string;
  size?: number;
}

export function fileDetails(file: FileSpec): GraphJson {
  const label = file.hashLabel ?? `${file.filePath}\\${file.fileName}`;
  return {
    sha1: fakeSha1(label),
    sha256: fakeSha256(label),
    fileName: file.fileName,
    filePath: file.filePath,
    fileSize: file.size ?? 245_760,
    filePublisher: file.publisher ?? null,
    signer: null,
    issuer: null,
  };
}

export function fileEvidence(file: FileSpec, device: DemoDevice, options: EvidenceOptions = {}): GraphJson {
  return evidence('fileEvidence', options, {
    detectionStatus: options.verdict === 'malicious' ? 'detected' : null,
    mdeDeviceId: device.mdeDeviceId,
    fileDetails: fileDetails(file),
  });
}

export interface ProcessSpec {
  image: FileSpec;
  commandLine: string;
  parent: FileSpec;
  processId: number;
  parentProcessId: number;
  user: DemoPerson;
  createdAt: string;
}

export function processEvidence(process: ProcessSpec, device: DemoDevice, options: EvidenceOptions = {}): GraphJson {
  return evidence('processEvidence', options, {
    processId: process.processId,
    parentProcessId: process.parentProcessId,
    processCommandLine: process.commandLine,
    processCreationDateTime: process.createdAt,
    detectionStatus: 'detected',
    mdeDeviceId: device.mdeDeviceId,
    imageFile: fileDetails(process.image),
    parentProcessImageFile: fileDetails(process.parent),
    userAccount: userAccount(process.user),
  });
}

export function mailboxEvidence(person: DemoPerson, options: EvidenceOptions = {}): GraphJson {
  return evidence('mailboxEvidence', options, {
    primaryAddress: person.userPrincipalName,
    displayName: person.displayName,
    userAccount: userAccount(person),
  });
}

/** A mailbox outside the organisation (a forwarding target): no directory account behind it. */
export function externalMailboxEvidence(address: string, options: EvidenceOptions = {}): GraphJson {
  return evidence('mailboxEvidence', options, { primaryAddress: address, displayName: address, userAccount: null });
}

export interface MessageSpec {
  networkMessageId: string;
  subject: string;
  sender: string;
  senderIp: string;
  recipient: DemoPerson;
  urls: string[];
  receivedAt: string;
  threats: string[];
  deliveryAction: string;
  deliveryLocation: string;
  attachments?: number;
}

export function analyzedMessageEvidence(message: MessageSpec, options: EvidenceOptions = {}): GraphJson {
  const senderDomain = message.sender.slice(message.sender.indexOf('@') + 1);
  return evidence('analyzedMessageEvidence', options, {
    networkMessageId: message.networkMessageId,
    internetMessageId: `<${message.networkMessageId.slice(0, 8)}@${senderDomain}>`,
    subject: message.subject,
    language: 'en',
    senderIp: message.senderIp,
    recipientEmailAddress: message.recipient.userPrincipalName,
    antiSpamDirection: 'inbound',
    deliveryAction: message.deliveryAction,
    deliveryLocation: message.deliveryLocation,
    threats: message.threats,
    threatDetectionMethods: ['urlDetonationReputation'],
    urls: message.urls,
    urlCount: message.urls.length,
    attachmentsCount: message.attachments ?? 0,
    receivedDateTime: message.receivedAt,
    p1Sender: { emailAddress: message.sender, displayName: message.sender, domainName: senderDomain },
    p2Sender: { emailAddress: message.sender, displayName: message.sender, domainName: senderDomain },
  });
}

export function registryValueEvidence(
  device: DemoDevice,
  registry: { hive: string; key: string; valueName: string; value: string; valueType: string },
  options: EvidenceOptions = {},
): GraphJson {
  return evidence('registryValueEvidence', options, {
    mdeDeviceId: device.mdeDeviceId,
    registryHive: registry.hive,
    registryKey: registry.key,
    registryValueName: registry.valueName,
    registryValue: registry.value,
    registryValueType: registry.valueType,
  });
}

export function cloudApplicationEvidence(displayName: string, appId: number, options: EvidenceOptions = {}): GraphJson {
  return evidence('cloudApplicationEvidence', options, {
    appId,
    displayName,
    instanceId: 0,
    instanceName: displayName,
    saasAppId: appId,
  });
}

export function azureResourceEvidence(
  resourceId: string,
  resourceType: string,
  options: EvidenceOptions = {},
): GraphJson {
  return evidence('azureResourceEvidence', options, {
    resourceId,
    resourceName: resourceId.slice(resourceId.lastIndexOf('/') + 1),
    resourceType,
  });
}

export type DemoProduct = 'endpoint' | 'identity' | 'office' | 'cloudApps' | 'entra' | 'sentinel' | 'cloud';

const productFacts: Record<DemoProduct, { serviceSource: string; productName: string; detectionSource: string }> = {
  endpoint: {
    serviceSource: 'microsoftDefenderForEndpoint',
    productName: 'Microsoft Defender for Endpoint',
    detectionSource: 'microsoftDefenderForEndpoint',
  },
  identity: {
    serviceSource: 'microsoftDefenderForIdentity',
    productName: 'Microsoft Defender for Identity',
    detectionSource: 'microsoftDefenderForIdentity',
  },
  office: {
    serviceSource: 'microsoftDefenderForOffice365',
    productName: 'Microsoft Defender for Office 365',
    detectionSource: 'microsoftDefenderForOffice365',
  },
  cloudApps: {
    serviceSource: 'microsoftDefenderForCloudApps',
    productName: 'Microsoft Defender for Cloud Apps',
    detectionSource: 'cloudAppSecurity',
  },
  entra: {
    serviceSource: 'azureAdIdentityProtection',
    productName: 'Microsoft Entra ID Protection',
    detectionSource: 'azureAdIdentityProtection',
  },
  sentinel: {
    serviceSource: 'microsoftSentinel',
    productName: 'Microsoft Sentinel',
    detectionSource: 'scheduledAlerts',
  },
  cloud: {
    serviceSource: 'microsoftDefenderForCloud',
    productName: 'Microsoft Defender for Cloud',
    detectionSource: 'microsoftDefenderForServers',
  },
};

export interface AlertSpec {
  id: string;
  product: DemoProduct;
  title: string;
  description: string;
  recommendedActions: string;
  severity: Severity;
  status: 'new' | 'inProgress' | 'resolved';
  category: string;
  techniques: string[];
  /** When the activity started and ended, in minutes before now; the alert is raised a few minutes later. */
  activity: { startedMinutesAgo: number; endedMinutesAgo?: number };
  evidence: GraphJson[];
  assignedTo?: string;
  classification?: string;
  determination?: string;
  threatFamilyName?: string;
  detectionSource?: string;
}

/**
 * A Graph alerts_v2 alert. No alertWebUrl: demo ids do not exist in any portal, and a link that leads nowhere
 * is worse than none.
 */
export function graphAlert(spec: AlertSpec, incidentId: string, time: DemoTimeline): GraphJson {
  const facts = productFacts[spec.product];
  const endedMinutesAgo = spec.activity.endedMinutesAgo ?? spec.activity.startedMinutesAgo;
  const createdMinutesAgo = Math.max(endedMinutesAgo - 3, 0.5);
  const updatedMinutesAgo = spec.status === 'new' ? createdMinutesAgo : Math.max(createdMinutesAgo - 45, 0.25);
  return {
    '@odata.type': '#microsoft.graph.security.alert',
    id: spec.id,
    providerAlertId: spec.id,
    incidentId,
    status: spec.status,
    severity: spec.severity,
    classification: spec.classification ?? null,
    determination: spec.determination ?? null,
    serviceSource: facts.serviceSource,
    detectionSource: spec.detectionSource ?? facts.detectionSource,
    productName: facts.productName,
    tenantId: demoTenantId,
    title: spec.title,
    description: spec.description,
    recommendedActions: spec.recommendedActions,
    category: spec.category,
    assignedTo: spec.assignedTo ?? null,
    threatFamilyName: spec.threatFamilyName ?? null,
    mitreTechniques: spec.techniques,
    createdDateTime: time.minutesAgo(createdMinutesAgo),
    lastUpdateDateTime: time.minutesAgo(updatedMinutesAgo),
    firstActivityDateTime: time.minutesAgo(spec.activity.startedMinutesAgo),
    lastActivityDateTime: time.minutesAgo(endedMinutesAgo),
    resolvedDateTime: spec.status === 'resolved' ? time.minutesAgo(updatedMinutesAgo) : null,
    comments: [],
    evidence: spec.evidence,
    systemTags: [],
  };
}

export interface IncidentSpec {
  id: string;
  displayName: string;
  description: string;
  status: 'active' | 'inProgress' | 'resolved';
  assignedTo?: string;
  classification?: string;
  determination?: string;
  customTags: string[];
  alerts: AlertSpec[];
}

const severityOrder: Severity[] = ['informational', 'low', 'medium', 'high'];

/** A Graph incident with `$expand=alerts`; its severity and times follow from its alerts, as in Defender XDR. */
export function graphIncident(spec: IncidentSpec, time: DemoTimeline): GraphJson {
  const alerts = spec.alerts.map((alert) => graphAlert(alert, spec.id, time));
  const created = alerts.map((alert) => String(alert.createdDateTime)).sort()[0];
  const updated = alerts.map((alert) => String(alert.lastUpdateDateTime)).sort()[alerts.length - 1];
  const severity = spec.alerts
    .map((alert) => alert.severity)
    .reduce((highest, severity) =>
      severityOrder.indexOf(severity) > severityOrder.indexOf(highest) ? severity : highest,
    );
  return {
    '@odata.type': '#microsoft.graph.security.incident',
    id: spec.id,
    tenantId: demoTenantId,
    displayName: spec.displayName,
    description: spec.description,
    status: spec.status,
    severity,
    assignedTo: spec.assignedTo ?? null,
    classification: spec.classification ?? 'unknown',
    determination: spec.determination ?? 'unknown',
    createdDateTime: created,
    lastUpdateDateTime: updated,
    customTags: spec.customTags,
    systemTags: [],
    redirectIncidentId: null,
    alerts,
  };
}
