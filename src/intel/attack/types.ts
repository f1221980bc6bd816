/** How sure a mapping is: an explicit ID in the text is high; keyword rules say what they are worth. */
export type Confidence = 'high' | 'medium' | 'low';

export interface TacticInfo {
  /** e.g. TA0002 */
  id: string;
  /** e.g. Execution */
  name: string;
  /** e.g. execution — the kill-chain phase name techniques refer to */
  shortname: string;
  /** position in the Enterprise matrix, 1 = Reconnaissance */
  order: number;
  url: string;
}

export interface DataComponentInfo {
  /** e.g. DC0032 */
  id: string;
  /** e.g. Process Creation */
  name: string;
  /** log source names ATT&CK lists for the component, e.g. WinEventLog:Security */
  logSources: string[];
}

export interface TechniqueInfo {
  /** canonical ID, e.g. T1059.001 */
  id: string;
  /** e.g. PowerShell */
  name: string;
  /** as MITRE displays it, e.g. "Command and Scripting Interpreter: PowerShell" */
  fullName: string;
  tactics: TacticInfo[];
  platforms: string[];
  isSubtechnique: boolean;
  parent?: { id: string; name: string };
  deprecated: boolean;
  /** true only when a revoked ID has no replacement; revoked IDs with one resolve to it instead */
  revoked: boolean;
  /** the revoked ID that was asked for, when this technique is its replacement */
  resolvedFrom?: string;
  dataComponents: DataComponentInfo[];
  url: string;
}

export interface GroupInfo {
  /** e.g. G0016 */
  id: string;
  name: string;
  aliases: string[];
  techniqueIds: string[];
  softwareIds: string[];
  deprecated: boolean;
  revoked: boolean;
  resolvedFrom?: string;
  url: string;
}

export interface SoftwareInfo {
  /** e.g. S0002 */
  id: string;
  name: string;
  type: 'malware' | 'tool';
  aliases: string[];
  platforms: string[];
  techniqueIds: string[];
  deprecated: boolean;
  revoked: boolean;
  resolvedFrom?: string;
  url: string;
}

export interface TechniqueMatch {
  technique: TechniqueInfo;
  confidence: Confidence;
  /** why the technique was suggested, for an analyst to judge */
  reason: string;
  source: 'explicit-id' | 'keyword-rule' | 'category';
  /** the keyword rule that matched, when source is keyword-rule */
  ruleId?: string;
}

export interface TextMappingOptions {
  /** drop matches below this confidence (default: keep all) */
  minimumConfidence?: Confidence;
  /** at most this many matches, strongest first (default: all) */
  limit?: number;
}

export interface CategoryMapping {
  category: string;
  tactics: TacticInfo[];
  /** only for categories that name a behaviour rather than a tactic, e.g. Ransomware */
  techniques: TechniqueMatch[];
}

/**
 * What the full MITRE bundle adds to a technique (only when the operator configures ATTACK_STIX_PATH). MITRE's prose
 * is kept as plain text: citations removed, Markdown links reduced to their text, <code> tags dropped.
 */
export interface TechniqueDetails {
  /** the technique the details describe (the replacement, when a revoked ID was asked for) */
  id: string;
  description: string;
  /** ATT&CK v18 detection strategies with their analytics; for older bundles one entry with the free-text field */
  detection: DetectionGuidance[];
  mitigations: MitigationInfo[];
  /** the data components this technique's analytics read, with the log sources and channels they name */
  dataComponents: DataComponentUse[];
}

export interface DetectionGuidance {
  /** e.g. DET0455; absent for the free-text detection field of bundles before ATT&CK v18 */
  id?: string;
  name: string;
  /** free-text guidance (bundles before v18); v18 strategies put their text in the analytics */
  description?: string;
  analytics: AnalyticInfo[];
  url?: string;
}

export interface AnalyticInfo {
  /** e.g. AN1252 */
  id: string;
  platforms: string[];
  description: string;
  logSources: LogSourceReference[];
}

export interface LogSourceReference {
  /** e.g. WinEventLog:Sysmon */
  name: string;
  /** e.g. EventCode=1 */
  channel?: string;
  /** the data component the log source feeds, e.g. DC0032 */
  dataComponentId: string;
}

export interface DataComponentUse {
  /** e.g. DC0032 */
  id: string;
  /** e.g. Process Creation */
  name: string;
  /** the log sources and channels this technique's analytics name for the component (empty for pre-v18 bundles) */
  logSources: Array<{ name: string; channel?: string }>;
}

export interface MitigationInfo {
  /** e.g. M1042 */
  id: string;
  name: string;
  /** how the mitigation applies to this technique when MITRE says so, else the mitigation's general description */
  description: string;
  url: string;
}
