#!/usr/bin/env node
// Generates src/intel/attack/data/attack-compact.json from a MITRE ATT&CK STIX 2.1 bundle.
//
// Only facts are kept (IDs, names, tactic membership, platforms, relationships, data component names); prose
// descriptions are never copied, so the product can ship the compact table and load the full bundle from a path the
// operator configures. The output is deterministic (sorted keys and arrays, one record per line) so regenerating from
// the same bundle is byte-for-byte identical, which a unit test checks.
//
// Usage: node scripts/generate-attack.mjs [bundle.json|bundle.json.gz] [--out-dir dir] [--attack-version 18.1]
//                                        [--license LICENSE.txt]
//   Writes attack-compact.json, LICENSE-ATTACK.txt and README.md into the output directory
//   (default src/intel/attack/data).
//   --attack-version is needed only when the bundle has no x-mitre-collection object to read the version from
//   (the "assembled" enterprise-attack.json MITRE publishes has none).
//   --license defaults to LICENSE.txt beside the bundle: MITRE's licence requires its copyright and licence text to
//   travel with every copy, so the script refuses to write the table without it.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const defaultBundlePath = resolve(projectRoot, '../shared/data/attack/enterprise-attack.json.gz');
const defaultOutputDirectory = resolve(projectRoot, 'src/intel/attack/data');

function parseArguments(argv) {
  const options = {
    bundlePath: defaultBundlePath,
    outputDirectory: defaultOutputDirectory,
    attackVersion: undefined,
    licensePath: undefined,
  };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--out-dir') {
      options.outputDirectory = resolve(requireValue(argv, (index += 1), argument));
    } else if (argument === '--license') {
      options.licensePath = resolve(requireValue(argv, (index += 1), argument));
    } else if (argument === '--attack-version') {
      options.attackVersion = requireValue(argv, (index += 1), argument);
    } else if (argument.startsWith('--')) {
      throw new Error(`Unknown option ${argument}`);
    } else {
      options.bundlePath = resolve(argument);
    }
  }
  return options;
}

function requireValue(argv, index, option) {
  const value = argv[index];
  if (value === undefined || value.startsWith('--')) throw new Error(`${option} needs a value`);
  return value;
}

// Code-unit comparison: localeCompare depends on the machine's ICU data and would break byte-for-byte regeneration.
function compareStrings(left, right) {
  if (left < right) return -1;
  return left > right ? 1 : 0;
}

function sortedUnique(values) {
  return [...new Set(values)].sort(compareStrings);
}

function compareAttackIds(left, right) {
  return compareStrings(left.id, right.id);
}

function attackId(stixObject) {
  const reference = (stixObject.external_references ?? []).find((entry) => entry.source_name === 'mitre-attack');
  return reference?.external_id;
}

function isLive(stixObject) {
  return stixObject.revoked !== true && stixObject.x_mitre_deprecated !== true;
}

function readBundle(bundlePath) {
  const raw = readFileSync(bundlePath);
  const text = bundlePath.endsWith('.gz') ? gunzipSync(raw) : raw;
  const bundle = JSON.parse(text.toString('utf8'));
  if (bundle.type !== 'bundle' || !Array.isArray(bundle.objects)) {
    throw new Error(`${bundlePath} is not a STIX bundle (no "objects" array)`);
  }
  return { bundle, sha256: createHash('sha256').update(text).digest('hex') };
}

function indexBundle(objects) {
  const byStixId = new Map();
  const byType = new Map();
  for (const stixObject of objects) {
    byStixId.set(stixObject.id, stixObject);
    if (!byType.has(stixObject.type)) byType.set(stixObject.type, []);
    byType.get(stixObject.type).push(stixObject);
  }
  // Relationships that MITRE revoked or deprecated no longer describe ATT&CK, so they are dropped up front.
  const relationships = (byType.get('relationship') ?? []).filter(isLive);
  const bySource = new Map();
  for (const relationship of relationships) {
    if (!bySource.has(relationship.source_ref)) bySource.set(relationship.source_ref, []);
    bySource.get(relationship.source_ref).push(relationship);
  }
  return {
    byStixId,
    ofType: (type) => byType.get(type) ?? [],
    relationships,
    relationshipsFrom: (stixId) => bySource.get(stixId) ?? [],
  };
}

function resolveAttackVersion(index, versionOption) {
  const collection = index.ofType('x-mitre-collection')[0];
  const fromBundle = collection?.x_mitre_version;
  if (fromBundle !== undefined && versionOption !== undefined && fromBundle !== versionOption) {
    throw new Error(`--attack-version ${versionOption} contradicts the bundle's collection version ${fromBundle}`);
  }
  const version = fromBundle ?? versionOption;
  if (version === undefined) {
    throw new Error('The bundle has no x-mitre-collection object; pass --attack-version (e.g. --attack-version 18.1)');
  }
  return version;
}

function buildTactics(index) {
  const matrix = index.ofType('x-mitre-matrix').find(isLive);
  if (matrix === undefined) throw new Error('The bundle has no x-mitre-matrix, so tactic order is unknown');
  return matrix.tactic_refs.map((stixId, position) => {
    const tactic = index.byStixId.get(stixId);
    return { id: attackId(tactic), name: tactic.name, order: position + 1, shortname: tactic.x_mitre_shortname };
  });
}

// Follows revoked-by chains (a replacement can itself be revoked later) to the object that is current today.
function buildRevocationMap(index) {
  const revokedBy = new Map();
  for (const relationship of index.relationships) {
    if (relationship.relationship_type === 'revoked-by')
      revokedBy.set(relationship.source_ref, relationship.target_ref);
  }
  return (stixId) => {
    const seen = new Set([stixId]);
    let current = revokedBy.get(stixId);
    while (current !== undefined && revokedBy.has(current) && !seen.has(current)) {
      seen.add(current);
      current = revokedBy.get(current);
    }
    return current;
  };
}

// Data components per technique. ATT&CK v18 links detection strategy → analytics → data components; v11–v17 linked
// data components to techniques directly with "detects" relationships. Both are read so older bundles still work.
function buildDataComponentMap(index) {
  const componentsByTechnique = new Map();
  const add = (techniqueStixId, componentStixId) => {
    const component = index.byStixId.get(componentStixId);
    if (component === undefined || !isLive(component)) return;
    if (!componentsByTechnique.has(techniqueStixId)) componentsByTechnique.set(techniqueStixId, new Set());
    componentsByTechnique.get(techniqueStixId).add(attackId(component));
  };
  for (const relationship of index.relationships) {
    if (relationship.relationship_type !== 'detects') continue;
    const source = index.byStixId.get(relationship.source_ref);
    if (source === undefined || !isLive(source)) continue;
    if (source.type === 'x-mitre-data-component') add(relationship.target_ref, source.id);
    if (source.type !== 'x-mitre-detection-strategy') continue;
    for (const analyticStixId of source.x_mitre_analytic_refs ?? []) {
      const analytic = index.byStixId.get(analyticStixId);
      if (analytic === undefined || !isLive(analytic)) continue;
      for (const logSource of analytic.x_mitre_log_source_references ?? []) {
        add(relationship.target_ref, logSource.x_mitre_data_component_ref);
      }
    }
  }
  return (techniqueStixId) => sortedUnique(componentsByTechnique.get(techniqueStixId) ?? []);
}

function buildDataComponents(index) {
  return index
    .ofType('x-mitre-data-component')
    .filter(isLive)
    .map((component) => {
      const dataSource = index.byStixId.get(component.x_mitre_data_source_ref);
      const record = {
        id: attackId(component),
        logSources: sortedUnique((component.x_mitre_log_sources ?? []).map((logSource) => logSource.name.trim())),
        name: component.name,
      };
      if (dataSource !== undefined) record.dataSource = dataSource.name;
      return record;
    })
    .sort(compareAttackIds);
}

function buildTechniques(index, tactics, replacementOf, dataComponentsOf) {
  const tacticOrder = new Map(tactics.map((tactic) => [tactic.shortname, tactic.order]));
  const parentOf = new Map();
  for (const relationship of index.relationships) {
    if (relationship.relationship_type === 'subtechnique-of')
      parentOf.set(relationship.source_ref, relationship.target_ref);
  }
  return index
    .ofType('attack-pattern')
    .filter((technique) => attackId(technique) !== undefined)
    .map((technique) => {
      const id = attackId(technique);
      const phases = (technique.kill_chain_phases ?? []).filter((phase) => phase.kill_chain_name === 'mitre-attack');
      const record = {
        dataComponents: dataComponentsOf(technique.id),
        deprecated: technique.x_mitre_deprecated === true,
        id,
        isSubtechnique: technique.x_mitre_is_subtechnique === true,
        name: technique.name,
        platforms: sortedUnique(technique.x_mitre_platforms ?? []),
        revoked: technique.revoked === true,
        tactics: sortedUnique(phases.map((phase) => phase.phase_name)).sort(
          (left, right) => (tacticOrder.get(left) ?? 99) - (tacticOrder.get(right) ?? 99),
        ),
      };
      if (record.isSubtechnique) {
        // A few old, revoked sub-techniques lost their subtechnique-of relationship; the ID still names the parent.
        const parentStixId = parentOf.get(technique.id);
        record.parent = parentStixId === undefined ? id.split('.')[0] : attackId(index.byStixId.get(parentStixId));
      }
      return addReplacement(record, technique, index, replacementOf);
    })
    .sort(compareAttackIds);
}

function usedIds(index, sourceStixId, targetTypes) {
  const targets = index
    .relationshipsFrom(sourceStixId)
    .filter((relationship) => relationship.relationship_type === 'uses')
    .map((relationship) => index.byStixId.get(relationship.target_ref))
    .filter((target) => target !== undefined && targetTypes.includes(target.type) && isLive(target));
  return sortedUnique(targets.map(attackId));
}

// Revoked objects keep their record (so old IDs still resolve) and point at the object that replaced them.
function addReplacement(record, stixObject, index, replacementOf) {
  const replacement = stixObject.revoked === true ? replacementOf(stixObject.id) : undefined;
  if (replacement !== undefined) record.revokedBy = attackId(index.byStixId.get(replacement));
  return record;
}

function buildGroups(index, replacementOf) {
  return index
    .ofType('intrusion-set')
    .filter((group) => attackId(group) !== undefined)
    .map((group) => {
      const record = {
        aliases: sortedUnique(group.aliases ?? []),
        deprecated: group.x_mitre_deprecated === true,
        id: attackId(group),
        name: group.name,
        revoked: group.revoked === true,
        software: usedIds(index, group.id, ['malware', 'tool']),
        techniques: usedIds(index, group.id, ['attack-pattern']),
      };
      return addReplacement(record, group, index, replacementOf);
    })
    .sort(compareAttackIds);
}

function buildSoftware(index, replacementOf) {
  return [...index.ofType('malware'), ...index.ofType('tool')]
    .filter((software) => attackId(software) !== undefined)
    .map((software) => {
      const record = {
        aliases: sortedUnique(software.x_mitre_aliases ?? []),
        deprecated: software.x_mitre_deprecated === true,
        id: attackId(software),
        name: software.name,
        platforms: sortedUnique(software.x_mitre_platforms ?? []),
        revoked: software.revoked === true,
        techniques: usedIds(index, software.id, ['attack-pattern']),
        type: software.type,
      };
      return addReplacement(record, software, index, replacementOf);
    })
    .sort(compareAttackIds);
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort(compareStrings)
      .map((key) => [key, sortKeys(value[key])]),
  );
}

// One record per line: small diffs when MITRE updates ATT&CK, and still compact.
function serialize(document) {
  const sorted = sortKeys(document);
  const members = Object.entries(sorted).map(([key, value]) => {
    const rendered = Array.isArray(value)
      ? `[\n${value.map((item) => JSON.stringify(item)).join(',\n')}\n]`
      : JSON.stringify(value);
    return `${JSON.stringify(key)}:${rendered}`;
  });
  return `{\n${members.join(',\n')}\n}\n`;
}

export function generateCompactAttack({ bundlePath, attackVersion, licenseText }) {
  const { bundle, sha256 } = readBundle(bundlePath);
  const index = indexBundle(bundle.objects);
  const tactics = buildTactics(index);
  const replacementOf = buildRevocationMap(index);
  const marking = index.ofType('marking-definition').find((definition) => definition.definition?.statement);
  const modified = bundle.objects.map((stixObject) => stixObject.modified ?? '').sort(compareStrings);
  const document = {
    attackVersion: resolveAttackVersion(index, attackVersion),
    copyright: marking?.definition.statement ?? 'Copyright The MITRE Corporation.',
    dataComponents: buildDataComponents(index),
    domain: 'enterprise-attack',
    generatedBy: 'scripts/generate-attack.mjs',
    groups: buildGroups(index, replacementOf),
    // tsc copies only the JSON into dist/, so the table carries MITRE's licence itself to travel with every copy.
    license: licenseText,
    software: buildSoftware(index, replacementOf),
    source: {
      file: basename(bundlePath),
      lastModified: modified[modified.length - 1],
      objects: bundle.objects.length,
      sha256OfJson: sha256,
    },
    tactics,
    techniques: buildTechniques(index, tactics, replacementOf, buildDataComponentMap(index)),
  };
  return { document, json: serialize(document) };
}

function describeCounts(document) {
  const techniques = document.techniques;
  const active = techniques.filter((technique) => !technique.revoked && !technique.deprecated).length;
  const revoked = techniques.filter((technique) => technique.revoked).length;
  const deprecated = techniques.filter((technique) => technique.deprecated).length;
  return [
    `- ${document.tactics.length} tactics (in matrix order)`,
    `- ${techniques.length} techniques and sub-techniques: ${active} active, ${revoked} revoked, ${deprecated} deprecated`,
    `- ${document.groups.length} groups, ${document.software.length} software entries (malware and tools)`,
    `- ${document.dataComponents.length} data components`,
  ].join('\n');
}

function renderReadme(document) {
  return `# ATT&CK compact facts (generated)

Generated by \`scripts/generate-attack.mjs\` — do not edit by hand. Regenerate with
\`npm run attack:generate\` (which runs \`node scripts/generate-attack.mjs --attack-version ${document.attackVersion}\`).

| | |
|---|---|
| source file | \`${document.source.file}\` (MITRE ATT&CK Enterprise, STIX 2.1) |
| ATT&CK version | ${document.attackVersion} |
| newest object modified | ${document.source.lastModified} |
| SHA-256 of the bundle JSON | \`${document.source.sha256OfJson}\` |
| objects in the bundle | ${document.source.objects} |

${describeCounts(document)}

## What is in \`attack-compact.json\`

Facts only: IDs, names, tactic membership and matrix order, platforms, sub-technique parents, deprecated and revoked
flags with the replacement for revoked objects (so old IDs still resolve), group and software aliases, the techniques
and software they are recorded as using, and the data components (with log source names) that ATT&CK links to each
technique through detection strategies and analytics. Bundles from ATT&CK v11–v17, which link data components to
techniques directly, are read the same way; the pre-v11 free-text \`x_mitre_data_sources\` field is not used.

No prose is copied: no descriptions, detection text or references. The product works from these facts alone.
Descriptions, detection guidance and mitigations come from the full bundle when the operator sets
\`ATTACK_STIX_PATH\` to MITRE's published \`enterprise-attack.json\` (\`npm run attack:update\` downloads it); they
are read at run time and never written into this table.

## Licence

ATT&CK is © The MITRE Corporation and is used under MITRE's licence, reproduced in \`LICENSE-ATTACK.txt\` beside this
file and in the \`license\` field of \`attack-compact.json\` (so the copy built into dist/ carries it too).
${document.copyright}
`;
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  const licensePath = options.licensePath ?? join(dirname(options.bundlePath), 'LICENSE.txt');
  if (!existsSync(licensePath)) {
    throw new Error(`MITRE's licence text was not found at ${licensePath}; pass --license <file>`);
  }
  const licenseText = readFileSync(licensePath, 'utf8');
  const { document, json } = generateCompactAttack({ ...options, licenseText });
  mkdirSync(options.outputDirectory, { recursive: true });
  writeFileSync(join(options.outputDirectory, 'attack-compact.json'), json);
  writeFileSync(join(options.outputDirectory, 'LICENSE-ATTACK.txt'), licenseText);
  writeFileSync(join(options.outputDirectory, 'README.md'), renderReadme(document));
  console.log(
    `Wrote ${options.outputDirectory}/attack-compact.json (${Buffer.byteLength(json)} bytes), LICENSE-ATTACK.txt and ` +
      `README.md from ${options.bundlePath}`,
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(`generate-attack: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
