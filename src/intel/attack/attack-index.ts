import type {
  CompactAttack,
  CompactDataComponent,
  CompactGroup,
  CompactSoftware,
  CompactTactic,
  CompactTechnique,
} from './compact-data';
import { lookupKey } from './technique-id';
import type { DataComponentInfo, GroupInfo, SoftwareInfo, TacticInfo, TechniqueInfo } from './types';

const attackSite = 'https://attack.mitre.org';

// Revocation chains are collapsed by the generator, but a hand-made or older table could still chain; the bound keeps
// a cycle from hanging a lookup.
const maximumRevocationHops = 10;

interface Revocable {
  id: string;
  revoked: boolean;
  revokedBy?: string;
}

function isActive(entry: { revoked: boolean; deprecated: boolean }): boolean {
  return !entry.revoked && !entry.deprecated;
}

/** Follows revoked-by links to the current object; undefined when the ID is unknown. */
function resolveRevoked<T extends Revocable>(
  byId: Map<string, T>,
  id: string,
): { entry: T; resolvedFrom?: string } | undefined {
  const requested = byId.get(id);
  if (requested === undefined) return undefined;
  let current = requested;
  for (let hop = 0; hop < maximumRevocationHops && current.revoked && current.revokedBy !== undefined; hop += 1) {
    const replacement = byId.get(current.revokedBy);
    if (replacement === undefined) break;
    current = replacement;
  }
  return current === requested ? { entry: current } : { entry: current, resolvedFrom: requested.id };
}

// Active entries claim a name or alias first, so an alias shared with a revoked or deprecated entry finds the live one.
function indexByNames<T extends { id: string; name: string; aliases: string[]; revoked: boolean; deprecated: boolean }>(
  entries: T[],
): Map<string, T> {
  const byKey = new Map<string, T>();
  const ordered = [...entries.filter(isActive), ...entries.filter((entry) => !isActive(entry))];
  for (const entry of ordered) {
    for (const name of [entry.id, entry.name, ...entry.aliases]) {
      const key = lookupKey(name);
      if (key.length > 0 && !byKey.has(key)) byKey.set(key, entry);
    }
  }
  return byKey;
}

/** Lookup tables over the compact ATT&CK data, built once per AttackKnowledge. */
export class AttackIndex {
  readonly version: string;
  private readonly tacticsByShortname = new Map<string, TacticInfo>();
  private readonly tacticsByKey = new Map<string, TacticInfo>();
  private readonly techniquesById: Map<string, CompactTechnique>;
  private readonly dataComponentsById: Map<string, CompactDataComponent>;
  private readonly groupsById: Map<string, CompactGroup>;
  private readonly groupsByKey: Map<string, CompactGroup>;
  private readonly softwareById: Map<string, CompactSoftware>;
  private readonly softwareByKey: Map<string, CompactSoftware>;
  private readonly tacticList: TacticInfo[];

  constructor(data: CompactAttack) {
    this.version = data.attackVersion;
    this.tacticList = [...data.tactics].sort((left, right) => left.order - right.order).map(toTacticInfo);
    for (const tactic of this.tacticList) {
      this.tacticsByShortname.set(tactic.shortname, tactic);
      for (const name of [tactic.id, tactic.name, tactic.shortname]) this.tacticsByKey.set(lookupKey(name), tactic);
    }
    this.techniquesById = new Map(data.techniques.map((technique) => [technique.id, technique]));
    this.dataComponentsById = new Map(data.dataComponents.map((component) => [component.id, component]));
    this.groupsById = new Map(data.groups.map((group) => [group.id, group]));
    this.groupsByKey = indexByNames(data.groups);
    this.softwareById = new Map(data.software.map((software) => [software.id, software]));
    this.softwareByKey = indexByNames(data.software);
  }

  /** All tactics in matrix order. */
  tactics(): TacticInfo[] {
    return this.tacticList.map((tactic) => ({ ...tactic }));
  }

  tactic(idOrName: string): TacticInfo | undefined {
    const tactic = this.tacticsByKey.get(lookupKey(idOrName));
    return tactic === undefined ? undefined : { ...tactic };
  }

  /** Every technique and sub-technique in the table, revoked and deprecated ones included, as stored. */
  compactTechniques(): CompactTechnique[] {
    return [...this.techniquesById.values()];
  }

  technique(canonicalId: string): TechniqueInfo | undefined {
    const resolved = resolveRevoked(this.techniquesById, canonicalId);
    if (resolved === undefined) return undefined;
    const info = this.techniqueInfo(resolved.entry);
    return resolved.resolvedFrom === undefined ? info : { ...info, resolvedFrom: resolved.resolvedFrom };
  }

  group(idOrNameOrAlias: string): GroupInfo | undefined {
    const found = this.groupsByKey.get(lookupKey(idOrNameOrAlias));
    const resolved = found === undefined ? undefined : resolveRevoked(this.groupsById, found.id);
    if (resolved === undefined) return undefined;
    const group = resolved.entry;
    const info: GroupInfo = {
      id: group.id,
      name: group.name,
      aliases: [...group.aliases],
      techniqueIds: [...group.techniques],
      softwareIds: [...group.software],
      deprecated: group.deprecated,
      revoked: group.revoked,
      url: `${attackSite}/groups/${group.id}/`,
    };
    if (resolved.resolvedFrom !== undefined) info.resolvedFrom = resolved.resolvedFrom;
    return info;
  }

  software(idOrNameOrAlias: string): SoftwareInfo | undefined {
    const found = this.softwareByKey.get(lookupKey(idOrNameOrAlias));
    const resolved = found === undefined ? undefined : resolveRevoked(this.softwareById, found.id);
    if (resolved === undefined) return undefined;
    const software = resolved.entry;
    const info: SoftwareInfo = {
      id: software.id,
      name: software.name,
      type: software.type,
      aliases: [...software.aliases],
      platforms: [...software.platforms],
      techniqueIds: [...software.techniques],
      deprecated: software.deprecated,
      revoked: software.revoked,
      url: `${attackSite}/software/${software.id}/`,
    };
    if (resolved.resolvedFrom !== undefined) info.resolvedFrom = resolved.resolvedFrom;
    return info;
  }

  // Built fresh on every call (it is cheap) so a caller that edits its copy cannot change what others see.
  private techniqueInfo(technique: CompactTechnique): TechniqueInfo {
    const parent = technique.parent === undefined ? undefined : this.techniquesById.get(technique.parent);
    const info: TechniqueInfo = {
      id: technique.id,
      name: technique.name,
      // MITRE shows sub-techniques under their parent's name, e.g. "Command and Scripting Interpreter: PowerShell".
      fullName: parent === undefined ? technique.name : `${parent.name}: ${technique.name}`,
      tactics: technique.tactics
        .map((shortname) => this.tacticsByShortname.get(shortname))
        .filter((tactic): tactic is TacticInfo => tactic !== undefined)
        .map((tactic) => ({ ...tactic })),
      platforms: [...technique.platforms],
      isSubtechnique: technique.isSubtechnique,
      deprecated: technique.deprecated,
      revoked: technique.revoked,
      dataComponents: technique.dataComponents
        .map((componentId) => this.dataComponentsById.get(componentId))
        .filter((component): component is CompactDataComponent => component !== undefined)
        .map(toDataComponentInfo),
      url: `${attackSite}/techniques/${technique.id.replace('.', '/')}/`,
    };
    if (parent !== undefined) info.parent = { id: parent.id, name: parent.name };
    return info;
  }
}

function toTacticInfo(tactic: CompactTactic): TacticInfo {
  return {
    id: tactic.id,
    name: tactic.name,
    shortname: tactic.shortname,
    order: tactic.order,
    url: `${attackSite}/tactics/${tactic.id}/`,
  };
}

function toDataComponentInfo(component: CompactDataComponent): DataComponentInfo {
  return { id: component.id, name: component.name, logSources: [...component.logSources] };
}
