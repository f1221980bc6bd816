import type { Entity, EntityType } from '../model';

/** Properties without the undefined entries, so optional vendor fields simply do not appear. */
export function definedProperties(candidates: Record<string, string | undefined>): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(candidates)) {
    if (value !== undefined && value !== '') properties[key] = value;
  }
  return properties;
}

/** `DOMAIN\name` when both are known, as Windows and Defender show accounts. */
export function qualifiedAccountName(domain: string | undefined, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  return domain === undefined ? name : `${domain}\\${name}`;
}

/** A Windows path from a directory and a file name, without doubling the separator. */
export function joinWindowsPath(directory: string | undefined, fileName: string | undefined): string | undefined {
  if (directory === undefined) return fileName;
  if (fileName === undefined) return directory;
  const separator = directory.includes('/') && !directory.includes('\\') ? '/' : '\\';
  return directory.endsWith(separator) ? `${directory}${fileName}` : `${directory}${separator}${fileName}`;
}

/**
 * Collects entities, merging repeats of the same type and value (case-insensitive): sources list the same
 * device or user under several evidence records, and a card that shows it three times helps nobody.
 */
export class EntityCollector {
  private readonly entitiesByKey = new Map<string, Entity>();

  add(type: EntityType, value: string | undefined, properties: Record<string, string> = {}, roles: string[] = []) {
    if (value === undefined || value.trim() === '') return;
    const trimmedValue = value.trim();
    const key = `${type}|${trimmedValue.toLowerCase()}`;
    const existing = this.entitiesByKey.get(key);
    if (existing === undefined) {
      this.entitiesByKey.set(key, {
        type,
        value: trimmedValue,
        properties: { ...properties },
        roles: [...new Set(roles)],
      });
      return;
    }
    existing.properties = { ...properties, ...existing.properties };
    existing.roles = [...new Set([...existing.roles, ...roles])];
  }

  /** Adds a role to an already collected entity; returns false when there is no such entity. */
  addRole(type: EntityType, value: string, role: string): boolean {
    for (const entity of this.entitiesByKey.values()) {
      if (entity.type === type && entityHasValue(entity, value)) {
        if (!entity.roles.includes(role)) entity.roles.push(role);
        return true;
      }
    }
    return false;
  }

  toArray(): Entity[] {
    return [...this.entitiesByKey.values()];
  }
}

/**
 * Whether an entity is the one a value names (case-insensitive). Host names also match on their first DNS
 * label, because sources mix "ws-01" and "ws-01.contoso.com" for the same machine.
 */
export function entityHasValue(entity: Pick<Entity, 'type' | 'value'>, candidate: string): boolean {
  const entityValue = entity.value.toLowerCase();
  const wanted = candidate.trim().toLowerCase();
  if (entityValue === wanted) return true;
  if (entity.type !== 'host') return false;
  return firstLabel(entityValue) === firstLabel(wanted);
}

function firstLabel(hostName: string): string {
  const dot = hostName.indexOf('.');
  return dot === -1 ? hostName : hostName.slice(0, dot);
}
