import { AttackIndex } from './attack-index';
import { loadTechniqueDetails, type BundleSummary, type LoadedDetails } from './bundle-details';
import { mapCategory } from './categories';
import { loadBundledCompactAttack, type CompactAttack } from './compact-data';
import { keywordRules, type KeywordRule } from './keyword-rules';
import { normalizeTechniqueId } from './technique-id';
import { rankByName } from './technique-search';
import { mapTextToTechniques } from './text-mapping';
import type {
  CategoryMapping,
  GroupInfo,
  SoftwareInfo,
  TacticInfo,
  TechniqueDetails,
  TechniqueInfo,
  TechniqueMatch,
  TextMappingOptions,
} from './types';

export interface AttackKnowledgeOptions {
  /** where the compact facts come from; defaults to the table generated into src/intel/attack/data */
  load?: () => CompactAttack;
  /** keyword rules for techniquesForText; defaults to the project's curated table */
  rules?: readonly KeywordRule[];
  /**
   * The operator's ATTACK_STIX_PATH: MITRE's enterprise-attack.json (plain or gzipped). When set, `details()` adds
   * descriptions, detection guidance and mitigations; the compact facts work the same either way.
   */
  stixPath?: string;
}

const defaultSearchLimit = 10;

/**
 * Offline MITRE ATT&CK Enterprise knowledge: technique, tactic, group and software lookups and a mapping from alert
 * text to likely techniques. Works from the compact facts table alone (no network, no full STIX bundle). The table is
 * read and indexed on first use, once per instance.
 */
export class AttackKnowledge {
  private readonly load: () => CompactAttack;
  private readonly rules: readonly KeywordRule[];
  private readonly stixPath?: string;
  private loaded?: AttackIndex;
  private detailsLoad?: Promise<LoadedDetails>;

  constructor(options: AttackKnowledgeOptions = {}) {
    this.load = options.load ?? loadBundledCompactAttack;
    this.rules = options.rules ?? keywordRules;
    const stixPath = options.stixPath?.trim();
    if (stixPath !== undefined && stixPath !== '') this.stixPath = stixPath;
  }

  private get index(): AttackIndex {
    this.loaded ??= new AttackIndex(this.load());
    return this.loaded;
  }

  /** ATT&CK release the table was generated from, e.g. "18.1". */
  get version(): string {
    return this.index.version;
  }

  /** Canonical technique ID (T1059.001) from t1059.001, T1059/001 and similar, or undefined. Format only. */
  normalizeTechniqueId(text: string): string | undefined {
    return normalizeTechniqueId(text);
  }

  /**
   * A technique or sub-technique by ID in any common spelling. Revoked IDs resolve to their replacement (with
   * `resolvedFrom` set); deprecated ones are returned with `deprecated: true`. Unknown IDs give undefined.
   */
  technique(id: string): TechniqueInfo | undefined {
    const canonicalId = normalizeTechniqueId(id);
    return canonicalId === undefined ? undefined : this.index.technique(canonicalId);
  }

  /** The sub-techniques of a technique (T1059 → T1059.001 …), active ones only, by ID; empty for a sub-technique. */
  subTechniques(id: string): TechniqueInfo[] {
    const parent = this.technique(id);
    if (parent === undefined || parent.isSubtechnique) return [];
    return this.index
      .compactTechniques()
      .filter((technique) => technique.parent === parent.id && !technique.revoked && !technique.deprecated)
      .map((technique) => this.index.technique(technique.id))
      .filter((technique): technique is TechniqueInfo => technique !== undefined)
      .sort((left, right) => (left.id < right.id ? -1 : 1));
  }

  /** Whether a full ATT&CK bundle is configured, i.e. whether `details()` can answer at all. */
  get detailsConfigured(): boolean {
    return this.stixPath !== undefined;
  }

  /**
   * Reads the configured bundle if that has not happened yet (once per instance; concurrent callers share the one
   * read) and says what it holds; undefined when no bundle is configured. Rejects with a config_invalid CopilotError
   * naming ATTACK_STIX_PATH when the file is missing or is not MITRE's bundle. The failure is remembered rather than
   * retried, so a broken file costs one read, not one per question; the compact facts keep working regardless.
   * Call it at start-up to load the bundle before the first question and to report a bad path early.
   */
  async loadDetails(): Promise<BundleSummary | undefined> {
    const loading = this.loadingDetails();
    return loading === undefined ? undefined : { ...(await loading).summary };
  }

  /**
   * Description, detection guidance, mitigations and data components (with log sources) for a technique in any ID
   * spelling, from the configured bundle; a revoked ID gives its replacement's details. Undefined when no bundle is
   * configured or the technique is unknown. Asynchronous because the first call reads a 33 MB file (v18.1), which must not
   * block the event loop of a bot that is answering other turns.
   */
  async details(id: string): Promise<TechniqueDetails | undefined> {
    // The ID is checked before the load starts: a load nobody awaits could fail as an unhandled rejection.
    const canonicalId = normalizeTechniqueId(id);
    if (canonicalId === undefined) return undefined;
    const loading = this.loadingDetails();
    if (loading === undefined) return undefined;
    const { details } = await loading;
    // The compact facts resolve revoked IDs; an ID only a newer bundle knows is looked up as written.
    const found = details.get(this.technique(canonicalId)?.id ?? canonicalId);
    // A copy, so a caller that edits its answer cannot change what later callers see.
    return found === undefined ? undefined : structuredClone(found);
  }

  private loadingDetails(): Promise<LoadedDetails> | undefined {
    if (this.stixPath === undefined) return undefined;
    this.detailsLoad ??= loadTechniqueDetails(this.stixPath);
    return this.detailsLoad;
  }

  /** Every technique and sub-technique that is neither revoked nor deprecated, by ID. */
  activeTechniques(): TechniqueInfo[] {
    return this.index
      .compactTechniques()
      .filter((technique) => !technique.revoked && !technique.deprecated)
      .map((technique) => this.index.technique(technique.id))
      .filter((technique): technique is TechniqueInfo => technique !== undefined);
  }

  /** All tactics in matrix order (Reconnaissance first). */
  tactics(): TacticInfo[] {
    return this.index.tactics();
  }

  /** A tactic by ID (TA0006), name (Credential Access), shortname (credential-access) or PascalCase (CredentialAccess). */
  tactic(idOrNameOrShortname: string): TacticInfo | undefined {
    return this.index.tactic(idOrNameOrShortname);
  }

  /** A group by ID (G0016), name or alias (APT29, Cozy Bear, Midnight Blizzard); revoked IDs resolve. */
  group(idOrNameOrAlias: string): GroupInfo | undefined {
    return this.index.group(idOrNameOrAlias);
  }

  /** Malware or a tool by ID (S0002), name or alias (Mimikatz); revoked IDs resolve. */
  software(idOrNameOrAlias: string): SoftwareInfo | undefined {
    return this.index.software(idOrNameOrAlias);
  }

  /**
   * Techniques whose name matches, best first: exact (case-insensitive) name or "Parent: Name", then prefix,
   * substring, all words, and near misses. A technique ID as the query returns that technique.
   */
  search(name: string, options: { limit?: number } = {}): TechniqueInfo[] {
    const byId = this.technique(name);
    if (byId !== undefined) return [byId];
    const candidates = this.index
      .compactTechniques()
      .filter((technique) => !technique.revoked)
      .map((technique) => ({ technique, fullName: this.index.technique(technique.id)?.fullName ?? technique.name }));
    return rankByName(name, candidates, options.limit ?? defaultSearchLimit)
      .map((candidate) => this.index.technique(candidate.technique.id))
      .filter((technique): technique is TechniqueInfo => technique !== undefined);
  }

  /**
   * Likely techniques for an alert title, description, category or command line, each with a reason and a
   * confidence: technique IDs written in the text (high), then the project's curated keyword rules.
   */
  techniquesForText(text: string, options: TextMappingOptions = {}): TechniqueMatch[] {
    return mapTextToTechniques(text, this.rules, (id) => this.index.technique(id), options);
  }

  /**
   * Graph Security / Defender / Sentinel alert categories ("CredentialAccess", "InitialAccess, Persistence") name
   * tactics, not techniques, so this returns the tactics; the few behaviour categories (Ransomware) add a technique.
   */
  techniquesForCategory(category: string): CategoryMapping {
    return mapCategory(category, {
      tactic: (idOrName) => this.index.tactic(idOrName),
      technique: (id) => this.index.technique(id),
    });
  }
}

let shared: AttackKnowledge | undefined;

/** One process-wide instance over the bundled table; the data is immutable, so sharing it is safe. */
export function attackKnowledge(): AttackKnowledge {
  shared ??= new AttackKnowledge();
  return shared;
}
