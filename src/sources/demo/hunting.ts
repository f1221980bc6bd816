import { CopilotError } from '../../errors';
import type { Alert, Entity, HuntingResult } from '../model';
import type { HuntingQueryOptions } from '../port';
import type { DemoDataSet } from './data-set';

/**
 * A small stand-in for advanced hunting over the demo tenant. It recognises the table a query reads, builds rows
 * in that table's real column names from the demo alerts' evidence and users' sign-ins, and honours the query's
 * look-back and quoted values. It does not evaluate KQL; tables it does not model return no rows.
 */

type Row = Record<string, unknown>;
type ColumnType = 'datetime' | 'string' | 'long';
interface TableShape {
  columns: Array<[name: string, type: ColumnType]>;
  rows: (dataSet: DemoDataSet) => Row[];
}

const timeColumn = '__time';
const defaultMaxRows = 100;
const defaultLookbackMilliseconds = 7 * 24 * 60 * 60 * 1000;

export function runDemoHuntingQuery(
  query: string,
  options: HuntingQueryOptions,
  dataSet: DemoDataSet,
  now: Date,
): HuntingResult {
  options.signal?.throwIfAborted();
  if (query.trim() === '') throw new CopilotError('bad_input', 'The hunting query is empty.');
  const table = tableReadBy(query);
  const shape = table === undefined ? undefined : tableShapes[table];
  const timeName = options.platform === 'defender' ? 'Timestamp' : 'TimeGenerated';
  if (shape === undefined) return { columns: [{ name: timeName, type: 'datetime' }], rows: [], truncated: false };

  const earliest = now.getTime() - lookbackMilliseconds(query, options.timespan);
  const literals = quotedLiterals(query);
  const matching = shape
    .rows(dataSet)
    .filter((row) => {
      const time = Date.parse(String(row[timeColumn]));
      return time >= earliest && time <= now.getTime();
    })
    .filter((row) => literals.length === 0 || literals.some((literal) => rowMentions(row, literal)))
    .sort((left, right) => String(right[timeColumn]).localeCompare(String(left[timeColumn])));

  const maxRows = Math.max(0, options.maxRows ?? defaultMaxRows);
  return {
    columns: [{ name: timeName, type: 'datetime' }, ...shape.columns.map(([name, type]) => ({ name, type }))],
    rows: matching.slice(0, maxRows).map((row) => withTimeColumn(row, timeName, shape)),
    truncated: matching.length > maxRows,
  };
}

/** The row in column order, with the platform's time column and null (KQL's empty) for facts we lack. */
function withTimeColumn(row: Row, timeName: string, shape: TableShape): Row {
  const result: Row = { [timeName]: row[timeColumn] };
  for (const [name] of shape.columns) result[name] = row[name] ?? null;
  return result;
}

/** The first table a query names; Defender and Sentinel share most table names. */
function tableReadBy(query: string): string | undefined {
  const withoutComments = query.replace(/\/\/.*$/gm, '');
  let first: { table: string; index: number } | undefined;
  for (const table of Object.keys(tableShapes)) {
    const match = new RegExp(`\\b${table}\\b`).exec(withoutComments);
    if (match && (first === undefined || match.index < first.index)) first = { table, index: match.index };
  }
  return first?.table;
}

const durationUnits: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/** `ago(3d)` in the query wins, then the caller's timespan (ISO 8601 like P7D/PT24H, or 7d), then seven days. */
function lookbackMilliseconds(query: string, timespan: string | undefined): number {
  const ago = /\bago\(\s*(\d+)\s*([dhms])\s*\)/i.exec(query);
  if (ago) return Number(ago[1]) * durationUnits[ago[2].toLowerCase()];
  if (timespan !== undefined) {
    const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(timespan.trim());
    if (iso && iso.slice(1).some((part) => part !== undefined)) {
      const [days, hours, minutes, seconds] = iso.slice(1).map((part) => Number(part ?? 0));
      return days * 86_400_000 + hours * 3_600_000 + minutes * 60_000 + seconds * 1000;
    }
    const short = /^(\d+)\s*([dhms])$/i.exec(timespan.trim());
    if (short) return Number(short[1]) * durationUnits[short[2].toLowerCase()];
  }
  return defaultLookbackMilliseconds;
}

/** Quoted values of three characters or more: host names, accounts, hashes, command-line fragments. */
function quotedLiterals(query: string): string[] {
  const literals: string[] = [];
  for (const match of query.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g)) {
    const literal = (match[1] ?? match[2] ?? '').replace(/\\\\/g, '\\').toLowerCase();
    if (literal.length >= 3) literals.push(literal);
  }
  return literals;
}

function rowMentions(row: Row, literal: string): boolean {
  return Object.entries(row).some(
    ([column, value]) => column !== timeColumn && typeof value === 'string' && value.toLowerCase().includes(literal),
  );
}

function baseName(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
}

function accountName(upn: string | undefined): string | undefined {
  return upn?.includes('@') ? upn.slice(0, upn.indexOf('@')) : upn;
}

/** The device an entity was seen on: the alert's host with the same Defender device id, else its first host. */
function hostOf(alert: Alert, entity: Entity): string | undefined {
  const hosts = alert.entities.filter((candidate) => candidate.type === 'host');
  const sameDevice = hosts.find((host) => host.properties.mdeDeviceId === entity.properties.mdeDeviceId);
  return (sameDevice ?? hosts[0])?.value;
}

function entitiesOf(dataSet: DemoDataSet, type: Entity['type']): Array<{ alert: Alert; entity: Entity }> {
  return dataSet.alerts.flatMap((alert) =>
    alert.entities.filter((entity) => entity.type === type).map((entity) => ({ alert, entity })),
  );
}

function unique(rows: Row[]): Row[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = JSON.stringify(row);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const processRows = (dataSet: DemoDataSet): Row[] =>
  unique(
    entitiesOf(dataSet, 'process').map(({ alert, entity }) => ({
      [timeColumn]: entity.properties.processCreationDateTime ?? alert.firstActivityAt ?? alert.createdAt,
      DeviceName: hostOf(alert, entity),
      ActionType: 'ProcessCreated',
      AccountName: accountName(entity.properties.account),
      FileName: baseName(entity.properties.imageFile),
      FolderPath: entity.properties.imageFile,
      ProcessCommandLine: entity.value,
      InitiatingProcessFileName: baseName(entity.properties.parentProcess),
      SHA256: entity.properties.sha256,
    })),
  );

/**
 * Beacons call home on a schedule, so each command-and-control pair yields a few connections a minute apart:
 * from the start of the activity when the alert names the beaconing process, otherwise leading up to its end
 * (a correlation rule fires after devices have been beaconing for a while).
 */
const networkRows = (dataSet: DemoDataSet): Row[] =>
  unique(
    dataSet.alerts.flatMap((alert) => {
      const hosts = alert.entities.filter((entity) => entity.type === 'host' && entity.properties.mdeDeviceId);
      const remoteIp = alert.entities.find(
        (entity) => entity.type === 'ip' && entity.roles.includes('commandAndControl'),
      );
      const remoteUrl = alert.entities.find(
        (entity) => entity.type === 'url' && entity.roles.includes('commandAndControl'),
      );
      const process = alert.entities.find((entity) => entity.type === 'process');
      if (remoteIp === undefined && remoteUrl === undefined) return [];
      const anchor = Date.parse(
        process === undefined ? (alert.lastActivityAt ?? alert.createdAt) : (alert.firstActivityAt ?? alert.createdAt),
      );
      const step = process === undefined ? -60_000 : 60_000;
      return hosts.flatMap((host) =>
        [0, 1, 2].map((beacon) => ({
          [timeColumn]: new Date(anchor + beacon * step).toISOString(),
          DeviceName: host.value,
          ActionType: 'ConnectionSuccess',
          RemoteIP: remoteIp?.value,
          RemotePort: 443,
          RemoteUrl: remoteUrl === undefined ? undefined : new URL(remoteUrl.value).hostname,
          InitiatingProcessFileName: baseName(process?.properties.imageFile),
          InitiatingProcessCommandLine: process?.value,
        })),
      );
    }),
  );

const fileRows = (dataSet: DemoDataSet): Row[] =>
  unique(
    entitiesOf(dataSet, 'file').map(({ alert, entity }) => ({
      [timeColumn]: alert.firstActivityAt ?? alert.createdAt,
      DeviceName: hostOf(alert, entity),
      ActionType: 'FileCreated',
      FileName: entity.value,
      FolderPath: entity.properties.filePath,
      SHA256: entity.properties.sha256,
      SHA1: entity.properties.sha1,
    })),
  );

const signInRows = (dataSet: DemoDataSet): Row[] =>
  dataSet.users.flatMap((user) =>
    user.recentSignIns.map((signIn) => ({
      [timeColumn]: signIn.time,
      UserPrincipalName: user.userPrincipalName,
      IPAddress: signIn.ipAddress,
      Location: signIn.location,
      AppDisplayName: signIn.application,
      ResultType: signIn.succeeded ? '0' : (/\((\d+)\)/.exec(signIn.failureReason ?? '')?.[1] ?? '50000'),
      ResultDescription: signIn.succeeded ? 'Success' : signIn.failureReason,
    })),
  );

/** The same sign-ins as Defender's IdentityLogonEvents spells them. */
const identityLogonRows = (dataSet: DemoDataSet): Row[] =>
  dataSet.users.flatMap((user) =>
    user.recentSignIns.map((signIn) => ({
      [timeColumn]: signIn.time,
      AccountUpn: user.userPrincipalName,
      IPAddress: signIn.ipAddress,
      Location: signIn.location,
      Application: signIn.application,
      LogonType: 'OAuth2:Authorize',
      ActionType: signIn.succeeded ? 'LogonSuccess' : 'LogonFailed',
      FailureReason: signIn.succeeded ? undefined : signIn.failureReason,
    })),
  );

const emailRows = (dataSet: DemoDataSet): Row[] =>
  unique(
    entitiesOf(dataSet, 'mailMessage').map(({ alert, entity }) => ({
      [timeColumn]: entity.properties.receivedDateTime ?? alert.firstActivityAt ?? alert.createdAt,
      NetworkMessageId: entity.value,
      SenderFromAddress: entity.properties.sender,
      RecipientEmailAddress: entity.properties.recipient,
      Subject: entity.properties.subject,
      SenderIPv4: entity.properties.senderIp,
      DeliveryAction: entity.properties.deliveryAction,
      ThreatTypes: entity.properties.threats,
    })),
  );

const azureActivityRows = (dataSet: DemoDataSet): Row[] =>
  unique(
    entitiesOf(dataSet, 'azureResource').map(({ alert, entity }) => ({
      [timeColumn]: alert.firstActivityAt ?? alert.createdAt,
      Caller: alert.entities.find((candidate) => candidate.type === 'account')?.value,
      CallerIpAddress: alert.entities.find((candidate) => candidate.type === 'ip')?.value,
      OperationNameValue: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE',
      ActivityStatusValue: 'Success',
      ResourceId: entity.value,
    })),
  );

const alertRows = (dataSet: DemoDataSet): Row[] =>
  dataSet.alerts.map((alert) => ({
    [timeColumn]: alert.createdAt,
    AlertId: alert.id,
    Title: alert.title,
    Severity: alert.severity,
    ServiceSource: alert.productName,
    Category: alert.category,
    AttackTechniques: alert.techniques.join(', '),
  }));

/** Sentinel's SecurityAlert spells severities and techniques its own way (High, ["T1059"]). */
const securityAlertRows = (dataSet: DemoDataSet): Row[] =>
  dataSet.alerts.map((alert) => ({
    [timeColumn]: alert.createdAt,
    SystemAlertId: alert.id,
    AlertName: alert.title,
    AlertSeverity: alert.severity[0].toUpperCase() + alert.severity.slice(1),
    ProductName: alert.productName,
    Techniques: JSON.stringify(alert.techniques),
    CompromisedEntity: alert.entities.find((entity) => entity.roles.includes('compromised'))?.value ?? '',
  }));

const processEvents: TableShape = {
  columns: [
    ['DeviceName', 'string'],
    ['ActionType', 'string'],
    ['AccountName', 'string'],
    ['FileName', 'string'],
    ['FolderPath', 'string'],
    ['ProcessCommandLine', 'string'],
    ['InitiatingProcessFileName', 'string'],
    ['SHA256', 'string'],
  ],
  rows: processRows,
};

const signIns: TableShape = {
  columns: [
    ['UserPrincipalName', 'string'],
    ['IPAddress', 'string'],
    ['Location', 'string'],
    ['AppDisplayName', 'string'],
    ['ResultType', 'string'],
    ['ResultDescription', 'string'],
  ],
  rows: signInRows,
};

const alertInfo: TableShape = {
  columns: [
    ['AlertId', 'string'],
    ['Title', 'string'],
    ['Severity', 'string'],
    ['ServiceSource', 'string'],
    ['Category', 'string'],
    ['AttackTechniques', 'string'],
  ],
  rows: alertRows,
};

const tableShapes: Record<string, TableShape> = {
  DeviceProcessEvents: processEvents,
  DeviceEvents: processEvents,
  DeviceNetworkEvents: {
    columns: [
      ['DeviceName', 'string'],
      ['ActionType', 'string'],
      ['RemoteIP', 'string'],
      ['RemotePort', 'long'],
      ['RemoteUrl', 'string'],
      ['InitiatingProcessFileName', 'string'],
      ['InitiatingProcessCommandLine', 'string'],
    ],
    rows: networkRows,
  },
  DeviceFileEvents: {
    columns: [
      ['DeviceName', 'string'],
      ['ActionType', 'string'],
      ['FileName', 'string'],
      ['FolderPath', 'string'],
      ['SHA256', 'string'],
      ['SHA1', 'string'],
    ],
    rows: fileRows,
  },
  SigninLogs: signIns,
  AADSignInEventsBeta: signIns,
  AADNonInteractiveUserSignInLogs: signIns,
  IdentityLogonEvents: {
    columns: [
      ['AccountUpn', 'string'],
      ['IPAddress', 'string'],
      ['Location', 'string'],
      ['Application', 'string'],
      ['LogonType', 'string'],
      ['ActionType', 'string'],
      ['FailureReason', 'string'],
    ],
    rows: identityLogonRows,
  },
  EmailEvents: {
    columns: [
      ['NetworkMessageId', 'string'],
      ['SenderFromAddress', 'string'],
      ['RecipientEmailAddress', 'string'],
      ['Subject', 'string'],
      ['SenderIPv4', 'string'],
      ['DeliveryAction', 'string'],
      ['ThreatTypes', 'string'],
    ],
    rows: emailRows,
  },
  AzureActivity: {
    columns: [
      ['Caller', 'string'],
      ['CallerIpAddress', 'string'],
      ['OperationNameValue', 'string'],
      ['ActivityStatusValue', 'string'],
      ['ResourceId', 'string'],
    ],
    rows: azureActivityRows,
  },
  AlertInfo: alertInfo,
  SecurityAlert: {
    columns: [
      ['SystemAlertId', 'string'],
      ['AlertName', 'string'],
      ['AlertSeverity', 'string'],
      ['ProductName', 'string'],
      ['Techniques', 'string'],
      ['CompromisedEntity', 'string'],
    ],
    rows: securityAlertRows,
  },
};
