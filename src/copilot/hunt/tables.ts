import { bundledTables } from '../../kql/schema';
import type { HuntPlatform } from '../../kql/templates';

/** Table → columns ("Name:type") for the tables the prompt shows; the caller decides where schemas come from. */
export type SchemaFor = (tables: string[]) => Record<string, string[]>;

type TableRule = { pattern: RegExp; sentinel: string[]; defender: string[] };

/** Words in a request → the tables that hold that kind of evidence. */
const keywordRules: TableRule[] = [
  {
    pattern: /sign-?ins?|log-?ins?|mfa|password|spray|entra|azure ad|conditional access|travel|countr/i,
    sentinel: ['SigninLogs', 'AADNonInteractiveUserSignInLogs'],
    defender: ['IdentityLogonEvents', 'AADSignInEventsBeta'],
  },
  {
    pattern: /process|command[\s-]?line|powershell|cmd\b|script|lolbin|certutil|macro|execut/i,
    sentinel: ['DeviceProcessEvents', 'SecurityEvent'],
    defender: ['DeviceProcessEvents'],
  },
  {
    pattern: /network|connection|beacon|c2\b|command and control|\bports?\b|\bip\b|traffic/i,
    sentinel: ['DeviceNetworkEvents', 'CommonSecurityLog'],
    defender: ['DeviceNetworkEvents'],
  },
  {
    pattern: /\bdns\b|domain lookup|tunnel/i,
    sentinel: ['DnsEvents'],
    defender: ['DeviceEvents', 'DeviceNetworkEvents'],
  },
  {
    pattern: /\bfiles?\b|ransom|renam|download|encrypt/i,
    sentinel: ['DeviceFileEvents'],
    defender: ['DeviceFileEvents'],
  },
  { pattern: /registry|run key|autorun/i, sentinel: ['DeviceRegistryEvents'], defender: ['DeviceRegistryEvents'] },
  {
    pattern: /e-?mail|phish|inbox|mailbox|attachment|forward/i,
    sentinel: ['OfficeActivity', 'EmailEvents'],
    defender: ['EmailEvents', 'EmailAttachmentInfo', 'EmailUrlInfo', 'CloudAppEvents'],
  },
  {
    pattern: /audit|role assign|consent|app registration|service principal/i,
    sentinel: ['AuditLogs'],
    defender: ['CloudAppEvents'],
  },
  {
    pattern: /domain controller|kerberos|ldap|active directory|dcsync|ticket/i,
    sentinel: ['SecurityEvent', 'IdentityDirectoryEvents'],
    defender: ['IdentityDirectoryEvents', 'IdentityLogonEvents', 'IdentityQueryEvents'],
  },
  {
    pattern: /logon|rdp|lateral|remote desktop|smb/i,
    sentinel: ['SecurityEvent', 'DeviceLogonEvents'],
    defender: ['DeviceLogonEvents'],
  },
  {
    pattern: /scheduled task|service install|new service|local admin|group/i,
    sentinel: ['SecurityEvent', 'DeviceEvents'],
    defender: ['DeviceEvents'],
  },
];

/** ATT&CK data component names → tables, for requests that name a technique rather than the evidence. */
const dataComponentRules: TableRule[] = [
  {
    pattern: /process|command/i,
    sentinel: ['DeviceProcessEvents', 'SecurityEvent'],
    defender: ['DeviceProcessEvents'],
  },
  { pattern: /network/i, sentinel: ['DeviceNetworkEvents'], defender: ['DeviceNetworkEvents'] },
  { pattern: /\bfile/i, sentinel: ['DeviceFileEvents'], defender: ['DeviceFileEvents'] },
  { pattern: /registry/i, sentinel: ['DeviceRegistryEvents'], defender: ['DeviceRegistryEvents'] },
  {
    pattern: /authentication|logon session/i,
    sentinel: ['SigninLogs', 'SecurityEvent'],
    defender: ['IdentityLogonEvents', 'DeviceLogonEvents'],
  },
  {
    pattern: /active directory|group|user account/i,
    sentinel: ['SecurityEvent', 'AuditLogs'],
    defender: ['IdentityDirectoryEvents'],
  },
  { pattern: /scheduled job|service/i, sentinel: ['SecurityEvent', 'DeviceEvents'], defender: ['DeviceEvents'] },
  {
    pattern: /application log|cloud service/i,
    sentinel: ['OfficeActivity', 'AuditLogs'],
    defender: ['CloudAppEvents'],
  },
];

const defaults: Record<HuntPlatform, string[]> = {
  sentinel: ['SecurityEvent', 'SigninLogs', 'DeviceProcessEvents'],
  defender: ['DeviceProcessEvents', 'DeviceNetworkEvents', 'DeviceEvents'],
};

/** At most this many tables go into the prompt: schemas are large and the model does best with few. */
export const maximumPromptTables = 5;

/** The tables a request needs, by its words first and its techniques' data components second. */
export function tablesForRequest(request: string, platform: HuntPlatform, dataComponents: string[] = []): string[] {
  const chosen: string[] = [];
  const add = (tables: string[]) => tables.forEach((table) => chosen.includes(table) || chosen.push(table));
  for (const rule of keywordRules) if (rule.pattern.test(request)) add(rule[platform]);
  for (const component of dataComponents) {
    for (const rule of dataComponentRules) if (rule.pattern.test(component)) add(rule[platform]);
  }
  if (chosen.length === 0) add(defaults[platform]);
  return chosen.slice(0, maximumPromptTables);
}

/** A SchemaFor over the validator's bundled schema files, for wiring the capability in production. */
export function bundledSchemaFor(platform: HuntPlatform): SchemaFor {
  let tables: ReturnType<typeof bundledTables> | undefined;
  return (names) => {
    tables ??= bundledTables(platform);
    const known = tables;
    return Object.fromEntries(
      names
        .filter((name) => known[name] !== undefined)
        .map((name) => [name, known[name].map(([column, type]) => `${column}:${type}`)]),
    );
  };
}
