#!/usr/bin/env node
// Draws the Teams app icons: appPackage/color.png (192×192, full colour) and appPackage/outline.png (32×32, white on
// transparent). Plain Node and zlib, so the icons are reproducible from source with nothing installed.
//
//   node scripts/make-icons.mjs [--out-dir <directory>]
//
// The output is deterministic (same bytes on every run with the same Node): the shapes use only + - * / (no
// trigonometry, whose last bit may differ between engines), sampling positions are fixed, and the PNGs carry no
// timestamps.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Matches the manifest's accentColor, so the icon and the tile Teams draws around it agree. */
const accent = [0x0f, 0x4c, 0x81];
const white = [0xff, 0xff, 0xff];
/** The shield's right half, a shade darker than white, gives it some depth. */
const shieldShade = [0xdc, 0xe7, 0xf2];

// Shapes in a 24-unit design grid (the common icon grid), centre (12, 12).
const shieldPolygon = flattenPath([
  ['move', 12, 1],
  ['line', 3, 5],
  ['line', 3, 11],
  ['cubic', 3, 16.55, 6.84, 21.74, 12, 23],
  ['cubic', 17.16, 21.74, 21, 16.55, 21, 11],
  ['line', 21, 5],
]);
const checkPolygon = Float64Array.from([10, 17, 6, 13, 7.41, 11.59, 10, 14.17, 16.59, 7.58, 18, 9]);

/** Turns move/line/cubic commands into one closed polygon; curves become 32 straight segments each. */
function flattenPath(commands) {
  const points = [];
  for (const [kind, ...values] of commands) {
    if (kind === 'move' || kind === 'line') {
      points.push(values[0], values[1]);
      continue;
    }
    const startX = points[points.length - 2];
    const startY = points[points.length - 1];
    const [control1X, control1Y, control2X, control2Y, endX, endY] = values;
    const segments = 32;
    for (let step = 1; step <= segments; step += 1) {
      const t = step / segments;
      const u = 1 - t;
      const a = u * u * u;
      const b = 3 * u * u * t;
      const c = 3 * u * t * t;
      const d = t * t * t;
      points.push(
        a * startX + b * control1X + c * control2X + d * endX,
        a * startY + b * control1Y + c * control2Y + d * endY,
      );
    }
  }
  return Float64Array.from(points);
}

/**
 * Even-odd rule: a ray to the right crosses the outline an odd number of times when the point is inside.
 * The polygon is a flat [x0, y0, x1, y1, …] array because this runs millions of times per icon.
 */
function insidePolygon(polygon, x, y) {
  let inside = false;
  for (let index = 0, previous = polygon.length - 2; index < polygon.length; previous = index, index += 2) {
    const x1 = polygon[index];
    const y1 = polygon[index + 1];
    const x2 = polygon[previous];
    const y2 = polygon[previous + 1];
    if (y1 > y !== y2 > y && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1) inside = !inside;
  }
  return inside;
}

/**
 * Renders size×size pixels. `paint(x, y)` returns the colour (RGB) at a design-grid point, or undefined for
 * background. Each pixel averages 8×8 samples, which anti-aliases the edges.
 */
function render(size, scale, paint) {
  const samplesPerAxis = 8;
  const pixels = [];
  for (let row = 0; row < size; row += 1) {
    for (let column = 0; column < size; column += 1) {
      const sum = [0, 0, 0];
      let covered = 0;
      for (let sampleY = 0; sampleY < samplesPerAxis; sampleY += 1) {
        for (let sampleX = 0; sampleX < samplesPerAxis; sampleX += 1) {
          const x = 12 + (column + (sampleX + 0.5) / samplesPerAxis - size / 2) / scale;
          const y = 12 + (row + (sampleY + 0.5) / samplesPerAxis - size / 2) / scale;
          const colour = paint(x, y);
          if (colour === undefined) continue;
          covered += 1;
          for (let channel = 0; channel < 3; channel += 1) sum[channel] += colour[channel];
        }
      }
      pixels.push({ sum, covered, samples: samplesPerAxis * samplesPerAxis });
    }
  }
  return pixels;
}

function shieldWithCheck(x, y, shieldColour, checkColour) {
  if (!insidePolygon(shieldPolygon, x, y)) return undefined;
  if (insidePolygon(checkPolygon, x, y)) return checkColour;
  return shieldColour(x);
}

function colourIcon() {
  const size = 192;
  // Teams' icon guidance keeps the symbol within the central 120×120 px; the shield is 22 units tall.
  const pixels = render(size, 120 / 22, (x, y) =>
    shieldWithCheck(x, y, (pointX) => (pointX < 12 ? white : shieldShade), accent),
  );
  const rgb = Buffer.alloc(size * size * 3);
  pixels.forEach(({ sum, covered, samples }, index) => {
    for (let channel = 0; channel < 3; channel += 1) {
      const value = (sum[channel] + accent[channel] * (samples - covered)) / samples;
      rgb[index * 3 + channel] = Math.round(value);
    }
  });
  return encodePng(size, size, 2, rgb);
}

function outlineIcon() {
  const size = 32;
  // Teams requires white on transparent; the check is cut out of the shield so it reads at 32 px.
  const pixels = render(size, 1.25, (x, y) => shieldWithCheck(x, y, () => white, undefined));
  const rgba = Buffer.alloc(size * size * 4);
  pixels.forEach(({ covered, samples }, index) => {
    rgba.fill(0xff, index * 4, index * 4 + 3);
    rgba[index * 4 + 3] = Math.round((covered * 255) / samples);
  });
  return encodePng(size, size, 6, rgba);
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

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** colourType 2 = RGB, 6 = RGBA; 8 bits per channel, no interlacing, filter 0 (none) on every row. */
function encodePng(width, height, colourType, pixelBytes) {
  const bytesPerPixel = colourType === 6 ? 4 : 3;
  const rowLength = width * bytesPerPixel;
  const scanlines = Buffer.alloc((rowLength + 1) * height);
  for (let row = 0; row < height; row += 1) {
    pixelBytes.copy(scanlines, row * (rowLength + 1) + 1, row * rowLength, (row + 1) * rowLength);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = colourType;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(scanlines, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function parseOutputDirectory(argumentsList) {
  const index = argumentsList.indexOf('--out-dir');
  if (index === -1) return join(repositoryRoot, 'appPackage');
  const directory = argumentsList[index + 1];
  if (!directory) {
    console.error('make-icons: --out-dir needs a directory');
    process.exit(2);
  }
  return resolve(directory);
}

const outputDirectory = parseOutputDirectory(process.argv.slice(2));
mkdirSync(outputDirectory, { recursive: true });
for (const [name, png] of [
  ['color.png', colourIcon()],
  ['outline.png', outlineIcon()],
]) {
  writeFileSync(join(outputDirectory, name), png);
  console.log(`make-icons: wrote ${join(outputDirectory, name)} (${png.length} bytes)`);
}
