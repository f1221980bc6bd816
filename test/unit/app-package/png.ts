import { inflateSync } from 'node:zlib';

/** The parts of a PNG the app package tests check, decoded by hand so the test trusts no image library. */
export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA. */
  colourType: number;
  interlace: number;
  chunkTypes: string[];
  /** Unfiltered pixel bytes, row after row (only for 8-bit, non-interlaced RGB or RGBA images). */
  pixels: Buffer;
  bytesPerPixel: number;
}

const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(signature)) throw new Error('not a PNG: bad signature');
  const chunkTypes: string[] = [];
  const imageData: Buffer[] = [];
  let header: Buffer | undefined;
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    chunkTypes.push(type);
    if (type === 'IHDR') header = data;
    if (type === 'IDAT') imageData.push(data);
    offset += 12 + length;
  }
  if (!header) throw new Error('not a PNG: no IHDR chunk');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const bitDepth = header[8];
  const colourType = header[9];
  const interlace = header[12];
  const bytesPerPixel = colourType === 6 ? 4 : colourType === 2 ? 3 : 0;
  if (bitDepth !== 8 || bytesPerPixel === 0 || interlace !== 0) {
    return { width, height, bitDepth, colourType, interlace, chunkTypes, pixels: Buffer.alloc(0), bytesPerPixel };
  }
  const pixels = unfilter(inflateSync(Buffer.concat(imageData)), width, height, bytesPerPixel);
  return { width, height, bitDepth, colourType, interlace, chunkTypes, pixels, bytesPerPixel };
}

/** Reverses the five PNG row filters (PNG spec, section 9). */
function unfilter(scanlines: Buffer, width: number, height: number, bytesPerPixel: number): Buffer {
  const rowLength = width * bytesPerPixel;
  if (scanlines.length !== (rowLength + 1) * height) throw new Error('PNG image data has the wrong length');
  const pixels = Buffer.alloc(rowLength * height);
  for (let row = 0; row < height; row += 1) {
    const filter = scanlines[row * (rowLength + 1)];
    for (let index = 0; index < rowLength; index += 1) {
      const raw = scanlines[row * (rowLength + 1) + 1 + index];
      const left = index >= bytesPerPixel ? pixels[row * rowLength + index - bytesPerPixel] : 0;
      const up = row > 0 ? pixels[(row - 1) * rowLength + index] : 0;
      const upLeft = row > 0 && index >= bytesPerPixel ? pixels[(row - 1) * rowLength + index - bytesPerPixel] : 0;
      pixels[row * rowLength + index] = (raw + predictor(filter, left, up, upLeft)) & 0xff;
    }
  }
  return pixels;
}

function predictor(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return Math.floor((left + up) / 2);
    case 4: {
      const estimate = left + up - upLeft;
      const distanceLeft = Math.abs(estimate - left);
      const distanceUp = Math.abs(estimate - up);
      const distanceUpLeft = Math.abs(estimate - upLeft);
      if (distanceLeft <= distanceUp && distanceLeft <= distanceUpLeft) return left;
      return distanceUp <= distanceUpLeft ? up : upLeft;
    }
    default:
      throw new Error(`unknown PNG filter type ${filter}`);
  }
}
