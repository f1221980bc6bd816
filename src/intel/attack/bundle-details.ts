import { CopilotError } from '../../errors';
import { TechniqueDetailsCollector } from './bundle-collector';
import { StixFormatError, scanStixFile } from './stix-stream';
import type { TechniqueDetails } from './types';

/** The environment variable operators set; named in every error so they know what to fix. */
export const attackStixPathVariable = 'ATTACK_STIX_PATH';

export interface BundleSummary {
  path: string;
  /** objects in the bundle */
  objects: number;
  /** techniques and sub-techniques with details (revoked ones resolve to their replacement) */
  techniques: number;
  /** the newest `modified` timestamp in the bundle, a stand-in for its release date */
  newestModified: string;
  loadMilliseconds: number;
}

export interface LoadedDetails {
  details: Map<string, TechniqueDetails>;
  summary: BundleSummary;
}

const userMessage =
  'The MITRE ATT&CK bundle configured in ATTACK_STIX_PATH could not be loaded, so technique descriptions, ' +
  'detection guidance and mitigations are unavailable.';

function configError(path: string, reason: string, cause?: unknown): CopilotError {
  return new CopilotError('config_invalid', `${attackStixPathVariable} (${path}) ${reason}`, { userMessage, cause });
}

const fileErrorReasons: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a directory, not a file',
  EACCES: 'cannot be read (permission denied)',
  EPERM: 'cannot be read (permission denied)',
};

/** Translates what can go wrong while reading the file into one config_invalid error that names the variable. */
function translate(path: string, error: unknown): CopilotError {
  if (error instanceof CopilotError) return error;
  if (error instanceof StixFormatError) return configError(path, `is not a valid STIX bundle: ${error.message}`, error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && Object.hasOwn(fileErrorReasons, code)) {
    return configError(path, fileErrorReasons[code], error);
  }
  // zlib reports corrupt and truncated gzip data with Z_* codes ("incorrect header check", "unexpected end of file").
  if (code !== undefined && code.startsWith('Z_')) {
    return configError(path, `is not a readable gzip file (${(error as Error).message})`, error);
  }
  const message = error instanceof Error ? error.message : String(error);
  return configError(path, `could not be read (${message})`, error);
}

/**
 * Reads MITRE's enterprise-attack.json (plain or gzipped) once and keeps, per technique, the description, detection
 * guidance, mitigations and data components. Anything that is not that bundle is a config_invalid CopilotError that
 * names ATTACK_STIX_PATH.
 */
export async function loadTechniqueDetails(path: string): Promise<LoadedDetails> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw configError(
      path,
      'is a URL; download the bundle with `npm run attack:update` and set the variable to the file it saves',
    );
  }
  const started = performance.now();
  const collector = new TechniqueDetailsCollector();
  let scan;
  try {
    scan = await scanStixFile(path, (stixObject) => collector.add(stixObject));
  } catch (error) {
    throw translate(path, error);
  }
  const envelope = scan.envelope as { type?: unknown; objects?: unknown } | null;
  if (
    envelope === null ||
    typeof envelope !== 'object' ||
    envelope.type !== 'bundle' ||
    !Array.isArray(envelope.objects)
  ) {
    throw configError(path, 'is not a STIX bundle (expected {"type": "bundle", "objects": [...]})');
  }
  if (collector.techniqueCount === 0) {
    throw configError(
      path,
      'holds no Enterprise ATT&CK techniques (attack-pattern objects); is it enterprise-attack.json?',
    );
  }
  const details = collector.build();
  return {
    details,
    summary: {
      path,
      objects: scan.objectCount,
      techniques: details.size,
      newestModified: collector.newestModified,
      loadMilliseconds: Math.round(performance.now() - started),
    },
  };
}
