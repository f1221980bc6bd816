import type { Entity, EntityType, UserContext } from '../../sources/model';
import type { EvidenceItem, IncidentContext } from '../context';
import { userEvidenceId } from '../context';
import type { Investigation } from './schema';

/**
 * Containment and evidence-preservation rules for the offline engine: one rule per entity type, sharpened by
 * the ATT&CK tactics the incident shows. Each step names its target, who can do it and how to check it worked.
 */

type Step = Omit<Investigation['containment'][number], 'order'> & { priority: number };
type Preserve = Investigation['evidenceToPreserve'][number];

/** An entity seen in the incident, merged across alerts. */
export interface ScopedEntity {
  type: EntityType;
  value: string;
  roles: string[];
  properties: Record<string, string>;
  evidenceIds: string[];
  alertIds: string[];
}

export function mergeEvidence(evidence: readonly EvidenceItem[]): ScopedEntity[] {
  const byKey = new Map<string, ScopedEntity>();
  for (const item of evidence) {
    const value = item.entity.value.trim();
    if (value === '') continue;
    const key = `${item.entity.type}|${value.toLowerCase()}`;
    const known = byKey.get(key);
    if (known) {
      for (const role of item.entity.roles) if (!known.roles.includes(role)) known.roles.push(role);
      Object.assign(known.properties, { ...item.entity.properties, ...known.properties });
      if (known.evidenceIds.length < 12) known.evidenceIds.push(item.id);
      if (!known.alertIds.includes(item.alertId)) known.alertIds.push(item.alertId);
    } else {
      byKey.set(key, {
        type: item.entity.type,
        value,
        roles: [...item.entity.roles],
        properties: { ...item.entity.properties },
        evidenceIds: [item.id],
        alertIds: [item.alertId],
      });
    }
  }
  return [...byKey.values()];
}

const hostileRole = /attacker|commandandcontrol|malicious/i;
const victimRole = /compromised|victim|attacked/i;

export function isHostile(entity: Pick<Entity, 'roles' | 'properties'>): boolean {
  return entity.roles.some((role) => hostileRole.test(role)) || entity.properties.verdict === 'malicious';
}

export function isCompromised(entity: Pick<Entity, 'roles' | 'properties'>): boolean {
  return (
    entity.roles.some((role) => victimRole.test(role)) ||
    entity.properties.verdict === 'malicious' ||
    entity.properties.verdict === 'suspicious'
  );
}

function userFor(context: IncidentContext, entity: ScopedEntity): UserContext | undefined {
  const upn = (entity.properties.userPrincipalName ?? entity.value).toLowerCase();
  return context.users.find((user) => user.userPrincipalName.toLowerCase() === upn);
}

function hashOf(entity: ScopedEntity): string | undefined {
  return entity.properties.sha256 ?? entity.properties.sha1 ?? entity.properties.md5;
}

export function containmentSteps(
  context: IncidentContext,
  entities: readonly ScopedEntity[],
  tactics: ReadonlySet<string>,
): Investigation['containment'] {
  const steps: Step[] = [];
  const resolved = context.incident.status === 'resolved';
  const credentialTheft = tactics.has('Credential Access') || tactics.has('Initial Access');
  const spreading = tactics.has('Lateral Movement') || tactics.has('Impact') || tactics.has('Command and Control');

  for (const entity of entities) {
    const evidenceIds = entity.evidenceIds.slice(0, 6);
    switch (entity.type) {
      case 'account': {
        if (!isCompromised(entity) && !credentialTheft) break;
        const user = userFor(context, entity);
        if (user) evidenceIds.push(userEvidenceId(user.userPrincipalName));
        steps.push({
          priority: user?.isPrivileged ? 1 : 2,
          action: `Reset the password of ${entity.value}, revoke its sessions and refresh tokens, and require MFA re-registration if MFA was touched.`,
          target: { type: 'account', value: entity.value },
          owner: user?.isPrivileged
            ? 'Identity team (Active Directory / Entra ID administrators)'
            : 'Identity team (Entra ID)',
          verification: `Entra ID sign-in logs show no successful sign-in for ${entity.value} after the reset except from the owner on a known device.`,
          evidenceIds,
        });
        break;
      }
      case 'host':
        if (!isCompromised(entity) && !spreading) break;
        steps.push({
          priority: spreading ? 1 : 2,
          action: `Isolate the device ${entity.value} from the network (keep it powered on to preserve memory).`,
          target: { type: 'host', value: entity.value },
          owner: 'SOC analyst (Defender for Endpoint device isolation)',
          verification: `The device page shows "Isolated" and no new network connections from ${entity.value} appear in DeviceNetworkEvents.`,
          evidenceIds,
        });
        break;
      case 'ip':
      case 'url':
      case 'domain':
        if (!isHostile(entity)) break;
        steps.push({
          priority: 4,
          action: `Block ${entity.value} at the firewall, proxy and as a Defender indicator${entity.type === 'ip' ? ', and add it to a blocked Conditional Access location' : ''}.`,
          target: { type: entity.type, value: entity.value },
          owner: 'Network security team (firewall / proxy) and SOC (Defender indicators)',
          verification: `No new connections to or sign-ins from ${entity.value} in firewall, proxy and sign-in logs after the block.`,
          evidenceIds,
        });
        break;
      case 'file':
      case 'process': {
        const hash = hashOf(entity);
        if (hash === undefined || entity.properties.verdict !== 'malicious') break;
        steps.push({
          priority: 5,
          action: `Add the SHA-256/SHA-1 ${hash} (${entity.properties.imageFile ?? entity.value}) as a block-and-remediate file indicator.`,
          target: { type: entity.type, value: entity.value },
          owner: 'SOC analyst (Defender for Endpoint indicators)',
          verification: `An advanced-hunting search for the hash in DeviceFileEvents and DeviceProcessEvents finds no new executions.`,
          evidenceIds,
        });
        break;
      }
      case 'mailbox':
        if (isHostile(entity)) {
          steps.push({
            priority: 4,
            action: `Block mail to and from ${entity.value} with a transport rule or the Tenant Allow/Block List.`,
            target: { type: 'mailbox', value: entity.value },
            owner: 'Messaging team (Exchange Online administrators)',
            verification: `Message trace shows no messages to or from ${entity.value} after the block.`,
            evidenceIds,
          });
        } else if (isCompromised(entity)) {
          steps.push({
            priority: 3,
            action: `Remove inbox rules and external forwarding on the mailbox ${entity.value} and review its delegates.`,
            target: { type: 'mailbox', value: entity.value },
            owner: 'Messaging team (Exchange Online administrators)',
            verification: `Get-InboxRule and the mailbox forwarding settings show no rule or forwarding to an external address.`,
            evidenceIds,
          });
        }
        break;
      case 'mailMessage':
        if (!isHostile(entity) && entity.properties.verdict !== 'suspicious') break;
        steps.push({
          priority: 5,
          action: `Purge the message "${entity.properties.subject ?? entity.value}" from every mailbox that received it (after exporting a copy).`,
          target: { type: 'mailMessage', value: entity.value },
          owner: 'Email security team (Threat Explorer / Defender for Office 365)',
          verification: 'Threat Explorer shows the message as removed from all recipient mailboxes.',
          evidenceIds,
        });
        break;
      case 'azureResource':
        if (!isCompromised(entity) && !entity.roles.includes('created')) break;
        steps.push({
          priority: 3,
          action: `Stop and lock the Azure resource ${entity.properties.resourceName ?? entity.value} (deallocate it, keep the disk) and review role assignments on its subscription.`,
          target: { type: 'azureResource', value: entity.value },
          owner: 'Cloud platform team (Azure subscription owners)',
          verification:
            'The Azure Activity log shows the resource deallocated and no new resources created by the same identity.',
          evidenceIds,
        });
        break;
      default:
        break;
    }
  }
  return steps
    .map((step, index) => ({ step, index }))
    .sort((left, right) => left.step.priority - right.step.priority || left.index - right.index)
    .slice(0, 12)
    .map(({ step }, index) => ({
      order: index + 1,
      action: resolved ? `Confirm this was done (the incident is resolved): ${lowerFirst(step.action)}` : step.action,
      target: step.target,
      owner: step.owner,
      verification: step.verification,
      evidenceIds: step.evidenceIds,
    }));
}

export function evidenceToPreserve(
  context: IncidentContext,
  entities: readonly ScopedEntity[],
): Investigation['evidenceToPreserve'] {
  const items: Preserve[] = [];
  const seen = new Set<string>();
  const add = (key: string, item: Preserve) => {
    if (seen.has(key) || items.length >= 12) return;
    seen.add(key);
    items.push(item);
  };
  for (const entity of entities) {
    const evidenceIds = entity.evidenceIds.slice(0, 6);
    if (entity.type === 'host' && isCompromised(entity)) {
      add(`host:${entity.value}`, {
        what: `A memory image and an investigation package of ${entity.value}`,
        where: `${entity.value} (Defender for Endpoint "Collect investigation package", or a memory capture tool)`,
        why: 'Running implants, injected code and credentials in memory are lost on reboot or re-imaging.',
        evidenceIds,
      });
    }
    if ((entity.type === 'file' || entity.type === 'process') && entity.properties.verdict === 'malicious') {
      const path = entity.properties.filePath ?? entity.properties.imageFile ?? entity.value;
      add(`file:${hashOf(entity) ?? path}`, {
        what: `A copy of ${entity.type === 'file' ? entity.value : (entity.properties.imageFile ?? 'the program')}${hashOf(entity) ? ` (hash ${hashOf(entity)})` : ''}`,
        where: path,
        why: 'Needed for malware analysis and to scope other devices by hash before remediation deletes it.',
        evidenceIds,
      });
    }
    if (entity.type === 'account' && isCompromised(entity)) {
      add('signin-logs', {
        what: 'Sign-in and audit logs of the affected accounts',
        where: 'Entra ID sign-in and audit logs (SigninLogs, AuditLogs in Sentinel)',
        why: 'They show when and from where the accounts were used; Entra ID keeps them for 30 days only.',
        evidenceIds,
      });
    }
    if (entity.type === 'mailMessage') {
      add(`mail:${entity.value}`, {
        what: `The e-mail "${entity.properties.subject ?? entity.value}" with full headers`,
        where: 'Exchange Online (Threat Explorer: download the message before any purge)',
        why: 'Headers and attachments show the sender infrastructure and payload; a purge removes them.',
        evidenceIds,
      });
    }
    if (entity.type === 'mailbox' && isCompromised(entity) && !isHostile(entity)) {
      add(`mailbox:${entity.value}`, {
        what: `Mailbox audit records and inbox rules of ${entity.value}`,
        where: 'Microsoft Purview audit log (New-InboxRule, Set-Mailbox, MailItemsAccessed)',
        why: 'They show what the attacker read, forwarded or changed; removing rules first loses their details.',
        evidenceIds,
      });
    }
    if (entity.type === 'azureResource') {
      add('azure-activity', {
        what: 'The Azure Activity log of the affected subscription',
        where: 'Azure Monitor Activity log (export it to a storage account or Sentinel)',
        why: 'It records who created or changed resources; it is kept for 90 days.',
        evidenceIds,
      });
    }
    if ((entity.type === 'ip' || entity.type === 'url' || entity.type === 'domain') && isHostile(entity)) {
      add('network-logs', {
        what: 'Firewall, proxy and DNS logs covering the attacker infrastructure',
        where: 'Firewall / proxy / DNS servers and DeviceNetworkEvents',
        why: 'They show every device that talked to the attacker, beyond the alerted ones.',
        evidenceIds,
      });
    }
  }
  add('alerts', {
    what: `The incident record and its ${context.alerts.length} alerts with their evidence`,
    where: 'Microsoft Defender XDR / Microsoft Sentinel (export the incident)',
    why: 'The alert evidence ages out with the product retention; the record is the basis of the report.',
    evidenceIds: context.alerts.slice(0, 6).map((alert) => alert.id),
  });
  return items;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
