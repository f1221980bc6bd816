import type { Alert, Entity } from '../../sources/model';
import type { AttackFacts } from '../knowledge';

/** Where a technique mapping comes from; the card shows it so the analyst can weigh it. */
export const techniqueSources = ['source', 'alertText', 'commandLine', 'entity', 'model'] as const;
export type TechniqueSource = (typeof techniqueSources)[number];

export interface MappedTechnique {
  id: string;
  name: string;
  tactics: string[];
  sources: TechniqueSource[];
  /** One line per piece of evidence, built from the alert's own fields. */
  evidence: string[];
}

const maximumTechniques = 10;
const maximumEvidencePerTechnique = 4;

/**
 * Evidence types that show a technique by themselves, whatever the text says: a clicked link in a
 * phishing message, a Run key, a PowerShell process. Each rule reads only fields of one entity.
 */
const entityRules: Array<{ id: string; matches: (entity: Entity) => boolean; evidence: (entity: Entity) => string }> = [
  {
    id: 'T1566.002',
    matches: (entity) =>
      entity.type === 'mailMessage' && /phish/i.test(entity.properties.threats ?? '') && 'urls' in entity.properties,
    evidence: (entity) => `E-mail ${entity.value} is marked as phishing and carries a link`,
  },
  {
    id: 'T1566.001',
    matches: (entity) => entity.type === 'mailMessage' && /malware/i.test(entity.properties.threats ?? ''),
    evidence: (entity) => `E-mail ${entity.value} carried malware`,
  },
  {
    id: 'T1204.001',
    matches: (entity) => entity.type === 'url' && /click/i.test(entity.properties.detailedRoles ?? ''),
    evidence: (entity) => `The link ${entity.value} was clicked`,
  },
  {
    id: 'T1547.001',
    matches: (entity) =>
      (entity.type === 'registryKey' || entity.type === 'registryValue') &&
      /\\CurrentVersion\\Run(?:Once)?\b/i.test(entity.value),
    evidence: (entity) => `Registry autostart location ${entity.value}`,
  },
  {
    id: 'T1059.001',
    matches: (entity) =>
      entity.type === 'process' && /(?:^|\\)(?:powershell|pwsh)(?:\.exe)?$/i.test(entity.properties.imageFile ?? ''),
    evidence: (entity) => `PowerShell process: ${entity.value}`,
  },
  {
    id: 'T1114.003',
    matches: (entity) =>
      entity.type === 'mailbox' && /forward|redirect/i.test(`${entity.properties.forwardingSmtpAddress ?? ''}`),
    evidence: (entity) => `Mailbox ${entity.value} forwards mail`,
  },
];

/**
 * ATT&CK techniques for an alert with the evidence behind each: IDs the source attached, what its title,
 * type, category and description show (the curated text mapping), what its command lines show, and what
 * its evidence types show. Only IDs that exist in ATT&CK survive, named as MITRE names them.
 */
export function mapAlertTechniques(alert: Alert, attack: AttackFacts): MappedTechnique[] {
  const byId = new Map<string, MappedTechnique>();
  const add = (id: string, source: TechniqueSource, evidence: string): void => {
    const facts = attack.technique(id);
    if (facts === undefined) return;
    let entry = byId.get(facts.id);
    if (entry === undefined) {
      if (byId.size >= maximumTechniques) return;
      entry = { id: facts.id, name: facts.fullName, tactics: facts.tactics, sources: [], evidence: [] };
      byId.set(facts.id, entry);
    }
    if (!entry.sources.includes(source)) entry.sources.push(source);
    if (entry.evidence.length < maximumEvidencePerTechnique && !entry.evidence.includes(evidence))
      entry.evidence.push(evidence);
  };

  for (const id of alert.techniques) add(id, 'source', `Attached by ${alert.productName}`);
  const text = [alert.title, alert.alertType, alert.category, alert.description].filter(Boolean).join('\n');
  for (const candidate of attack.techniquesForText(text))
    add(candidate.id, 'alertText', `Alert text: ${candidate.reason}`);

  const commandLines = new Set(
    alert.entities
      .filter((entity) => entity.type === 'process' && /\S\s+\S/.test(entity.value.trim()))
      .map((entity) => entity.value),
  );
  for (const commandLine of commandLines) {
    for (const candidate of attack.techniquesForText(commandLine))
      add(candidate.id, 'commandLine', `Command line ${shorten(commandLine, 120)}: ${candidate.reason}`);
  }
  for (const entity of alert.entities) {
    for (const rule of entityRules)
      if (rule.matches(entity)) add(rule.id, 'entity', shorten(rule.evidence(entity), 200));
  }
  return [...byId.values()];
}

function shorten(text: string, maximum: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= maximum ? clean : `${clean.slice(0, maximum - 1)}…`;
}
