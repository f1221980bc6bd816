#!/usr/bin/env node
// Builds the Teams app package: appPackage/manifest.json with its ${{PLACEHOLDERS}} filled, plus the two icons, zipped
// at the root of appPackage/build/appPackage.<env>.zip (the layout Teams and the Agents Toolkit expect).
//
//   node scripts/package-app.mjs [--env <name>] [--output <zip path>]
//
// Values come from env/.env.<name> (default "local"; KEY=VALUE lines) and from the environment, which wins so that CI
// or a one-off `BOT_ID=… npm run package` can override a file. A placeholder left without a value stops the build with
// its name.
// The zip is written by hand (zlib deflateRaw + CRC-32, fixed timestamps) so the same inputs give the same bytes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const appPackageDirectory = join(repositoryRoot, 'appPackage');
const placeholderPattern = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
// The Agents Toolkit treats an empty value as missing, except for the name suffix, which is empty in production.
const mayBeEmpty = new Set(['APP_NAME_SUFFIX']);

class UsageError extends Error {}

function parseArguments(argumentsList) {
  const options = { environmentName: 'local', output: undefined };
  for (let index = 0; index < argumentsList.length; index += 1) {
    const [flag, inlineValue] = argumentsList[index].split(/=(.*)/s, 2);
    if (flag !== '--env' && flag !== '--output') throw new UsageError(`unknown argument "${argumentsList[index]}"`);
    const value = inlineValue ?? argumentsList[(index += 1)];
    if (!value) throw new UsageError(`${flag} needs a value`);
    if (flag === '--env') options.environmentName = value;
    else options.output = resolve(value);
  }
  // The name becomes part of file paths, so it may not climb out of env/ or appPackage/build/.
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(options.environmentName)) {
    throw new UsageError(
      `--env "${options.environmentName}" is not a valid environment name (letters, digits, - and _)`,
    );
  }
  return options;
}

/** Reads KEY=VALUE lines; # starts a comment line, quotes around a value are removed (as dotenv does). */
function readEnvironmentFile(path) {
  const values = {};
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  lines.forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new UsageError(`${relative(repositoryRoot, path)}:${index + 1}: expected KEY=VALUE`);
    const [, key, rawValue] = match;
    const quoted = /^(["'])(.*)\1$/.exec(rawValue);
    values[key] = quoted ? quoted[2] : rawValue.replace(/\s+#.*$/, '');
  });
  return values;
}

function fillPlaceholders(template, environmentFileValues, environment) {
  const missing = new Set();
  const filled = template.replace(placeholderPattern, (placeholder, name) => {
    const value = name in environment ? environment[name] : environmentFileValues[name];
    if (value === undefined || (value === '' && !mayBeEmpty.has(name))) {
      missing.add(name);
      return placeholder;
    }
    // Placeholders sit inside JSON strings, so the value is escaped as JSON string content.
    return JSON.stringify(value).slice(1, -1);
  });
  return { filled, missing: [...missing] };
}

const crcTable = Array.from({ length: 256 }, (_, byte) => {
  let value = byte;
  for (let bit = 0; bit < 8; bit += 1) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
  return value >>> 0;
});

// zlib.crc32 exists only from Node 20.15; the project supports every Node 20.
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A minimal zip (PKWARE APPNOTE 4.3): one local header + deflated data per file, then the central directory and its
 * end record. Every entry gets 1980-01-01 00:00 (the DOS epoch) so the bytes do not depend on when it was built.
 */
function createZip(entries) {
  const dosTime = 0;
  const dosDate = (1 << 5) | 1;
  const localParts = [];
  const centralParts = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(8, 8); // method: deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28); // extra field length

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by: 2.0, MS-DOS attributes
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    // extra, comment, disk number, internal and external attributes stay 0
    central.writeUInt32LE(offset, 42);

    localParts.push(local, nameBytes, compressed);
    centralParts.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralDirectory = Buffer.concat(centralParts);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...localParts, centralDirectory, end]);
}

function buildPackage({ environmentName, output }) {
  const environmentFile = join(repositoryRoot, 'env', `.env.${environmentName}`);
  if (!existsSync(environmentFile)) {
    throw new UsageError(
      `${relative(repositoryRoot, environmentFile)} does not exist (create it or pick another --env)`,
    );
  }
  const template = readFileSync(join(appPackageDirectory, 'manifest.json'), 'utf8');
  const { filled, missing } = fillPlaceholders(template, readEnvironmentFile(environmentFile), process.env);
  if (missing.length > 0) {
    throw new UsageError(
      `appPackage/manifest.json: no value for ${missing.join(', ')} ` +
        `(set ${missing.length === 1 ? 'it' : 'them'} in env/.env.${environmentName} or in the environment)`,
    );
  }
  const manifest = JSON.parse(filled);
  const iconEntries = [manifest.icons.color, manifest.icons.outline].map((name) => ({
    name,
    data: readFileSync(join(appPackageDirectory, name)),
  }));
  const zip = createZip([{ name: 'manifest.json', data: Buffer.from(filled, 'utf8') }, ...iconEntries]);

  const zipPath = output ?? join(appPackageDirectory, 'build', `appPackage.${environmentName}.zip`);
  mkdirSync(dirname(zipPath), { recursive: true });
  writeFileSync(zipPath, zip);
  return { zipPath, names: ['manifest.json', ...iconEntries.map((entry) => entry.name)] };
}

try {
  const { zipPath, names } = buildPackage(parseArguments(process.argv.slice(2)));
  const shownPath = relative(process.cwd(), zipPath).startsWith('..') ? zipPath : relative(process.cwd(), zipPath);
  console.log(`package-app: wrote ${shownPath} (${names.join(', ')})`);
} catch (error) {
  // Usage and configuration problems get one readable line; anything else is a bug and keeps its stack trace.
  if (!(error instanceof UsageError)) throw error;
  console.error(`package-app: ${error.message}`);
  process.exit(1);
}
