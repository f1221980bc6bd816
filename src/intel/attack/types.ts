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
