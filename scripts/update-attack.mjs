#!/usr/bin/env node
// Downloads MITRE's published ATT&CK Enterprise bundle (enterprise-attack.json) for the product to load through
// ATTACK_STIX_PATH: technique descriptions, detection guidance and mitigations. The file is verified to be a STIX
// bundle with ATT&CK techniques before it replaces anything, and it is written to a temporary file in the target
// directory and renamed into place, so a failed or interrupted download never leaves a broken bundle behind (the
// product would refuse to start with it).
//
// Usage: node scripts/update-attack.mjs [--url URL] [--out PATH] [--timeout-seconds N]
//   --url   default: MITRE's attack-stix-data repository on GitHub (the latest release of Enterprise ATT&CK)
//   --out   default: ./data/attack/enterprise-attack.json (./data is git-ignored)
// Exit codes: 0 saved, 1 the download or the verification failed, 2 bad usage.

import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const defaultUrl =
  'https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json';
const defaultOut = './data/attack/enterprise-attack.json';
const defaultTimeoutSeconds = 300;

const usage = `Usage: node scripts/update-attack.mjs [--url URL] [--out PATH] [--timeout-seconds N]

Downloads MITRE ATT&CK Enterprise (enterprise-attack.json), checks that it is a STIX bundle with ATT&CK
techniques, saves it atomically and prints the ATTACK_STIX_PATH to set.
  --url               where to download from (default ${defaultUrl})
  --out               where to save it (default ${defaultOut})
  --timeout-seconds   give up after this long (default ${defaultTimeoutSeconds})
`;

class UsageError extends Error {}

function parseArguments(argv) {
  const options = { url: defaultUrl, out: defaultOut, timeoutSeconds: defaultTimeoutSeconds, help: false };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    const value = () => {
      const next = argv[(index += 1)];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${argument} needs a value`);
      return next;
    };
    if (argument === '--help' || argument === '-h') options.help = true;
    else if (argument === '--url') options.url = value();
    else if (argument === '--out') options.out = value();
    else if (argument === '--timeout-seconds') options.timeoutSeconds = Number(value());
    else throw new UsageError(`unknown argument ${argument}`);
  }
  let parsedUrl;
  try {
    parsedUrl = new URL(options.url);
  } catch (error) {
    throw new UsageError(`--url ${options.url} is not a URL (${error.message})`);
  }
  if (parsedUrl.protocol !== 'https:' && parsedUrl.protocol !== 'http:') {
    throw new UsageError(`--url must be an http(s) URL, got ${parsedUrl.protocol}`);
  }
  if (!Number.isFinite(options.timeoutSeconds) || options.timeoutSeconds <= 0) {
    throw new UsageError('--timeout-seconds must be a positive number');
  }
  return options;
}

async function download(url, timeoutSeconds) {
  let response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutSeconds * 1000), redirect: 'follow' });
  } catch (error) {
    const reason = error.name === 'TimeoutError' ? `no answer within ${timeoutSeconds} s` : describeError(error);
    throw new Error(`could not download ${url}: ${reason}`);
  }
  if (!response.ok) {
    // An unread body keeps the connection (and so the process) alive until the server closes it.
    await response.body?.cancel();
    throw new Error(`${url} answered HTTP ${response.status} ${response.statusText}`.trim());
  }
  try {
    return Buffer.from(await response.arrayBuffer());
  } catch (error) {
    throw new Error(`the download from ${url} broke off: ${describeError(error)}`);
  }
}

// fetch wraps network errors in "fetch failed" and puts the useful part (ECONNREFUSED, ENOTFOUND) in the cause.
function describeError(error) {
  const cause = error.cause instanceof Error ? ` (${error.cause.code ?? error.cause.message})` : '';
  return `${error.message}${cause}`;
}

const gzipMagic = Buffer.from([0x1f, 0x8b]);

/** Checks the bytes are a STIX bundle with ATT&CK Enterprise techniques; returns what it holds, for the message. */
export function verifyBundle(bytes) {
  let json = bytes;
  if (bytes.subarray(0, 2).equals(gzipMagic)) {
    try {
      json = gunzipSync(bytes);
    } catch (error) {
      throw new Error(`the download looks gzipped but does not decompress (${error.message})`);
    }
  }
  let bundle;
  try {
    bundle = JSON.parse(json.toString('utf8'));
  } catch (error) {
    throw new Error(`the download is not valid JSON (${error.message})`);
  }
  if (bundle === null || typeof bundle !== 'object' || bundle.type !== 'bundle' || !Array.isArray(bundle.objects)) {
    throw new Error('the download is not a STIX bundle (expected {"type": "bundle", "objects": [...]})');
  }
  const techniques = bundle.objects.filter(
    (stixObject) =>
      stixObject?.type === 'attack-pattern' &&
      (stixObject.external_references ?? []).some((reference) => reference?.source_name === 'mitre-attack'),
  );
  if (techniques.length === 0) throw new Error('the bundle holds no ATT&CK techniques (attack-pattern objects)');
  const active = techniques.filter((technique) => technique.revoked !== true && technique.x_mitre_deprecated !== true);
  const modified = bundle.objects.reduce(
    (newest, stixObject) =>
      typeof stixObject?.modified === 'string' && stixObject.modified > newest ? stixObject.modified : newest,
    '',
  );
  return { objects: bundle.objects.length, techniques: techniques.length, active: active.length, modified };
}

/** Writes beside the target and renames: readers see the old file or the new one, never half of one. */
function writeAtomically(path, bytes) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export async function updateAttack(options) {
  const bytes = await download(options.url, options.timeoutSeconds);
  const summary = verifyBundle(bytes);
  const path = resolve(options.out);
  writeAtomically(path, bytes);
  return { ...summary, path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function main() {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`update-attack: ${error.message}\n\n${usage}`);
    return 2;
  }
  if (options.help) {
    console.log(usage);
    return 0;
  }
  try {
    const saved = await updateAttack(options);
    console.log(
      `Saved MITRE ATT&CK Enterprise to ${saved.path}\n` +
        `  ${saved.objects} objects, ${saved.techniques} techniques (${saved.active} active), newest change ` +
        `${saved.modified || 'unknown'}, ${saved.bytes} bytes, SHA-256 ${saved.sha256}\n` +
        `ATT&CK is © The MITRE Corporation, used under its licence: https://attack.mitre.org/resources/legal-and-branding/terms-of-use/\n\n` +
        `Set this for the bot and the CLI:\n  ATTACK_STIX_PATH=${saved.path}`,
    );
    return 0;
  } catch (error) {
    console.error(`update-attack: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Exit now: an idle keep-alive connection to the server must not hold a finished command open.
  process.exit(await main());
}
