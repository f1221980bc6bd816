import type { Entity, Severity } from '../../sources/model';

/** Why each ATT&CK tactic matters, for a reader who does not know ATT&CK. Ordered by urgency. */
export const tacticConsequences: Array<{ tactic: string; consequence: string; urgent: boolean }> = [
  {
    tactic: 'Impact',
    consequence: 'the attacker may be trying to destroy, encrypt or disrupt data or systems the business relies on',
    urgent: true,
  },
  {
    tactic: 'Exfiltration',
    consequence: 'data may be on its way out of the organisation',
    urgent: true,
  },
  {
    tactic: 'Credential Access',
    consequence: 'passwords or sign-in tokens may be stolen, which lets an attacker act as a real employee',
    urgent: true,
  },
  {
    tactic: 'Lateral Movement',
    consequence: 'the attacker may be spreading from one computer to others',
    urgent: true,
  },
  {
    tactic: 'Command and Control',
    consequence: 'a device may be taking orders from an attacker over the network',
    urgent: true,
  },
  {
    tactic: 'Privilege Escalation',
    consequence: 'an attacker may be gaining administrator-level control',
    urgent: false,
  },
  {
    tactic: 'Persistence',
    consequence: 'an attacker may be setting up a way back in that survives restarts and password changes',
    urgent: false,
  },
  {
    tactic: 'Defense Evasion',
    consequence: 'something is trying to hide from or switch off security tools',
    urgent: false,
  },
  {
    tactic: 'Execution',
    consequence: 'a program or script ran that may not be legitimate',
    urgent: false,
  },
  {
    tactic: 'Initial Access',
    consequence: 'this may be how an attacker first got in',
    urgent: false,
  },
  {
    tactic: 'Collection',
    consequence: 'data may be being gathered for theft',
    urgent: false,
  },
  {
    tactic: 'Discovery',
    consequence: 'someone may be mapping the network, accounts or systems, which usually comes before an attack',
    urgent: false,
  },
  {
    tactic: 'Resource Development',
    consequence: 'an attacker may be preparing infrastructure or tools for an attack',
    urgent: false,
  },
  {
    tactic: 'Reconnaissance',
    consequence: 'someone may be gathering information to plan an attack',
    urgent: false,
  },
];

/** Graph alert categories are tactic names without spaces ("CredentialAccess"); map them back. */
export function tacticFromCategory(category: string | undefined): string | undefined {
  if (!category) return undefined;
  const squashed = category.replace(/[\s_-]/g, '').toLowerCase();
  return tacticConsequences.find((entry) => entry.tactic.replace(/\s/g, '').toLowerCase() === squashed)?.tactic;
}

export const severityWords: Record<Severity, string> = {
  high: 'high-severity',
  medium: 'medium-severity',
  low: 'low-severity',
  informational: 'informational',
};

const entityNouns: Partial<Record<Entity['type'], string>> = {
  account: 'the user account',
  host: 'the device',
  ip: 'the network address',
  url: 'the web address',
  domain: 'the domain',
  file: 'the file',
  process: 'the process',
  mailbox: 'the mailbox',
  mailMessage: 'the e-mail',
  registryKey: 'the registry key',
  registryValue: 'the registry value',
  cloudApplication: 'the cloud application',
  azureResource: 'the Azure resource',
};

export function describeEntity(entity: Entity): string {
  return `${entityNouns[entity.type] ?? 'the item'} ${entity.value}`;
}

/** People and machines first: they are what a reader recognises and what responders act on. */
export const entityPriority: Entity['type'][] = [
  'account',
  'host',
  'mailbox',
  'ip',
  'url',
  'domain',
  'file',
  'process',
  'mailMessage',
  'cloudApplication',
  'azureResource',
  'registryKey',
  'registryValue',
  'other',
];

/** Joins "a", "a and b", "a, b and c". */
export function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The first sentences of a text, up to a length, never cutting a word. */
export function firstSentences(text: string, maximumLength: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= maximumLength) return clean;
  // Only the prefix that can fit is searched: the sentence pattern backtracks, and alert text can be
  // hundreds of kilobytes (a quadratic scan of that hung the engine).
  const sentences = clean.slice(0, maximumLength + 1).match(/[^.!?]+[.!?]+(\s|$)/g) ?? [];
  let result = '';
  for (const sentence of sentences) {
    if ((result + sentence).length > maximumLength) break;
    result += sentence;
  }
  if (result.trim().length > 0) return result.trim();
  const cut = clean.slice(0, maximumLength - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1))}…`;
}
