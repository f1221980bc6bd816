import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

// ../shared sits beside the project in development sessions and CI; it is never part of the product.
export const projectRoot = join(__dirname, '../../../..');
export const bundlePath = join(projectRoot, '../shared/data/attack/enterprise-attack.json.gz');
export const sentinelAlertsPath = join(projectRoot, '../shared/data/alerts/sentinel-securityalert.dev.json');

export interface StixObject {
  type: string;
  id: string;
  name?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  kill_chain_phases?: Array<{ kill_chain_name: string; phase_name: string }>;
  external_references?: Array<{ source_name: string; external_id?: string }>;
  relationship_type?: string;
  source_ref?: string;
  target_ref?: string;
}

export function readBundleObjects(): StixObject[] {
  return (JSON.parse(gunzipSync(readFileSync(bundlePath)).toString('utf8')) as { objects: StixObject[] }).objects;
}

export function attackIdOf(stixObject: StixObject): string | undefined {
  return stixObject.external_references?.find((reference) => reference.source_name === 'mitre-attack')?.external_id;
}

export function missingSharedMessage(path: string, what: string): string {
  return `${path} is absent (../shared is not beside the project), so ${what} was not checked.`;
}
