/**
 * What the copilot needs from ATT&CK, as a narrow interface so capabilities can be tested with the
 * real knowledge module or a small fake, and so the knowledge layer stays below the copilot.
 */
export interface TechniqueFacts {
  id: string;
  /** As MITRE displays it: "Command and Scripting Interpreter: PowerShell" for a sub-technique. */
  fullName: string;
  tactics: string[];
}

export interface TechniqueCandidate {
  id: string;
  reason: string;
}

export interface AttackFacts {
  technique(id: string): TechniqueFacts | undefined;
  techniquesForText(text: string): TechniqueCandidate[];
}
