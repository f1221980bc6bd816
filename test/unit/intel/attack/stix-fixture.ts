import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * A small STIX bundle shaped like MITRE's enterprise-attack.json (ATT&CK v18: detection strategies → analytics → data
 * components, mitigations through "mitigates" relationships), with real technique IDs so the compact facts resolve
 * them, and invented text: no MITRE prose is copied into the repository.
 */

type StixObject = Record<string, unknown>;

let counter = 0;
function stixId(type: string): string {
  counter += 1;
  return `${type}--00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
}

function attackReference(id: string, path: string) {
  return [{ source_name: 'mitre-attack', external_id: id, url: `https://attack.mitre.org/${path}` }];
}

function technique(id: string, name: string, extra: StixObject = {}): StixObject {
  return {
    type: 'attack-pattern',
    id: stixId('attack-pattern'),
    name,
    modified: '2025-01-01T00:00:00.000Z',
    external_references: [
      ...attackReference(id, `techniques/${id.replace('.', '/')}`),
      { source_name: 'Example Source', description: 'An invented reference.', url: 'https://example.org/ref' },
    ],
    x_mitre_domains: ['enterprise-attack'],
    x_mitre_deprecated: false,
    revoked: false,
    ...extra,
  };
}

function relationship(type: string, source: StixObject, target: StixObject, extra: StixObject = {}): StixObject {
  return {
    type: 'relationship',
    id: stixId('relationship'),
    relationship_type: type,
    source_ref: source.id,
    target_ref: target.id,
    ...extra,
  };
}

export const fixtureTexts = {
  powershellDescription:
    'Synthetic text: adversaries run scripts in an interpreter.(Citation: Invented Source 2024) It often follows ' +
    '[User Execution](https://attack.mitre.org/techniques/T1204) and uses <code>-EncodedCommand</code>.' +
    '(Citation: Another)(Citation: Third)\n\nA second paragraph that only the full text shows.',
  analytic: 'Synthetic analytic: look for encoded commands started by unusual parents.(Citation: Invented)',
  mitigationSpecific: 'Synthetic: allow only signed scripts for this technique.',
  mitigationGeneral: 'Synthetic general guidance for the mitigation.',
  legacyDetection: 'Synthetic free-text detection guidance from an older bundle.(Citation: Old)',
};

/** The bundle's objects; the test edits or extends them for its case. */
export function fixtureObjects(): StixObject[] {
  const parent = technique('T1059', 'Command and Scripting Interpreter');
  const powershell = technique('T1059.001', 'PowerShell', {
    description: fixtureTexts.powershellDescription,
    x_mitre_is_subtechnique: true,
  });
  const attachment = technique('T1566.001', 'Spearphishing Attachment', {
    description: 'Synthetic attachment text.',
    x_mitre_detection: fixtureTexts.legacyDetection,
  });
  const hiddenWindow = technique('T1564.003', 'Hidden Window', { description: 'Synthetic hidden window text.' });
  const revoked = technique('T1143', 'Hidden Window', { revoked: true, description: 'Old text.' });
  const processCreation = {
    type: 'x-mitre-data-component',
    id: stixId('x-mitre-data-component'),
    name: 'Process Creation',
    external_references: attackReference('DC0032', 'datacomponents/DC0032'),
  };
  const scriptExecution = {
    type: 'x-mitre-data-component',
    id: stixId('x-mitre-data-component'),
    name: 'Script Execution',
    external_references: attackReference('DC0029', 'datacomponents/DC0029'),
  };
  const fileCreation = {
    type: 'x-mitre-data-component',
    id: stixId('x-mitre-data-component'),
    name: 'File Creation',
    external_references: attackReference('DC0039', 'datacomponents/DC0039'),
  };
  const analytic = {
    type: 'x-mitre-analytic',
    id: stixId('x-mitre-analytic'),
    name: 'Analytic 1252',
    description: fixtureTexts.analytic,
    external_references: attackReference('AN1252', 'detectionstrategies/DET0455#AN1252'),
    x_mitre_platforms: ['Windows'],
    x_mitre_log_source_references: [
      { x_mitre_data_component_ref: processCreation.id, name: 'WinEventLog:Sysmon', channel: 'EventCode=1' },
      { x_mitre_data_component_ref: scriptExecution.id, name: 'WinEventLog:PowerShell', channel: 'EventCode=4104' },
      { x_mitre_data_component_ref: processCreation.id, name: 'WinEventLog:Sysmon', channel: 'EventCode=1' },
    ],
  };
  const deprecatedAnalytic = {
    ...analytic,
    id: stixId('x-mitre-analytic'),
    external_references: attackReference('AN9999', 'detectionstrategies/DET0455#AN9999'),
    x_mitre_deprecated: true,
  };
  const strategy = {
    type: 'x-mitre-detection-strategy',
    id: stixId('x-mitre-detection-strategy'),
    name: 'Synthetic PowerShell strategy',
    external_references: attackReference('DET0455', 'detectionstrategies/DET0455'),
    x_mitre_analytic_refs: [analytic.id, deprecatedAnalytic.id, 'x-mitre-analytic--missing'],
  };
  const codeSigning = {
    type: 'course-of-action',
    id: stixId('course-of-action'),
    name: 'Code Signing',
    description: 'Synthetic code signing text.',
    external_references: attackReference('M1045', 'mitigations/M1045'),
  };
  const antivirus = {
    type: 'course-of-action',
    id: stixId('course-of-action'),
    name: 'Antivirus/Antimalware',
    description: fixtureTexts.mitigationGeneral,
    external_references: attackReference('M1049', 'mitigations/M1049'),
  };
  const oldStyleMitigation = {
    type: 'course-of-action',
    id: stixId('course-of-action'),
    name: 'PowerShell Mitigation',
    description: 'Old per-technique mitigation.',
    external_references: attackReference('T1086', 'mitigations/T1086'),
    x_mitre_deprecated: true,
  };
  return [
    { type: 'identity', id: stixId('identity'), name: 'The MITRE Corporation' },
    parent,
    powershell,
    attachment,
    hiddenWindow,
    revoked,
    processCreation,
    scriptExecution,
    fileCreation,
    analytic,
    deprecatedAnalytic,
    strategy,
    codeSigning,
    antivirus,
    oldStyleMitigation,
    { type: 'malware', id: stixId('malware'), name: 'Synthetic malware', modified: '2025-06-01T00:00:00.000Z' },
    relationship('subtechnique-of', powershell, parent),
    relationship('detects', strategy, powershell),
    relationship('mitigates', codeSigning, powershell, { description: fixtureTexts.mitigationSpecific }),
    relationship('mitigates', antivirus, powershell, { description: '' }),
    relationship('mitigates', oldStyleMitigation, powershell, { description: 'Old.' }),
    relationship('mitigates', antivirus, attachment, { description: 'Revoked link.', revoked: true }),
    // ATT&CK v11–v17 linked data components straight to techniques.
    relationship('detects', fileCreation, attachment, { description: 'Synthetic component text.' }),
    relationship('revoked-by', revoked, hiddenWindow),
    relationship('uses', parent, attachment),
  ];
}

export function fixtureBundle(objects: StixObject[] = fixtureObjects()): StixObject {
  return { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000000', spec_version: '2.1', objects };
}

/** Writes the bundle as MITRE formats it (indented JSON), gzipped when the name ends in .gz; returns the path. */
export function writeFixtureBundle(directory: string, name: string, bundle: unknown = fixtureBundle()): string {
  const path = join(directory, name);
  const json = Buffer.from(JSON.stringify(bundle, null, 4));
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(json) : json);
  return path;
}
