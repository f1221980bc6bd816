import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePng } from './png';
import { repositoryRoot, runScript } from './run-script';

const appPackage = join(repositoryRoot, 'appPackage');
const committed = (name: string): Buffer => readFileSync(join(appPackage, name));

describe('app icons', () => {
  it('color.png is a 192×192 8-bit RGB image on the accent colour, without timestamps', () => {
    const png = decodePng(committed('color.png'));
    expect(png).toMatchObject({ width: 192, height: 192, bitDepth: 8, colourType: 2, interlace: 0 });
    expect(png.chunkTypes).toEqual(['IHDR', 'IDAT', 'IEND']);

    const accentColor: string = JSON.parse(committed('manifest.json').toString('utf8')).accentColor;
    const corner = png.pixels.subarray(0, 3).toString('hex');
    expect(`#${corner}`).toBe(accentColor.toLowerCase());
    // Design point (5, 8): the shield's white left half, clear of the check mark.
    const shieldLeftHalf = (74 * 192 + 57) * 3;
    expect([...png.pixels.subarray(shieldLeftHalf, shieldLeftHalf + 3)]).toEqual([255, 255, 255]);
  });

  it('outline.png is a 32×32 8-bit RGBA image of only white or fully transparent pixels', () => {
    const png = decodePng(committed('outline.png'));
    expect(png).toMatchObject({ width: 32, height: 32, bitDepth: 8, colourType: 6, interlace: 0 });
    let opaque = 0;
    let transparent = 0;
    for (let offset = 0; offset < png.pixels.length; offset += 4) {
      const [red, green, blue, alpha] = png.pixels.subarray(offset, offset + 4);
      if (alpha === 0) transparent += 1;
      else expect([red, green, blue]).toEqual([255, 255, 255]);
      if (alpha === 255) opaque += 1;
    }
    // A blank or solid square would pass the colour check; the shield must actually be drawn.
    expect(opaque).toBeGreaterThan(200);
    expect(transparent).toBeGreaterThan(200);
  });

  describe('scripts/make-icons.mjs', () => {
    const directories: string[] = [];

    afterAll(() => {
      for (const directory of directories) rmSync(directory, { recursive: true, force: true });
    });

    function generate(): string {
      const directory = mkdtempSync(join(tmpdir(), 'soc-copilot-icons-'));
      directories.push(directory);
      const result = runScript('make-icons.mjs', ['--out-dir', directory]);
      expect(result).toMatchObject({ status: 0 });
      return directory;
    }

    it('writes the same bytes on every run, and the pixels that are committed', () => {
      const [first, second] = [generate(), generate()];
      for (const name of ['color.png', 'outline.png']) {
        const generated = readFileSync(join(first, name));
        expect(generated.equals(readFileSync(join(second, name)))).toBe(true);
        // Pixels, not bytes: another Node release may bundle a zlib that compresses the same pixels differently.
        expect(decodePng(generated).pixels.equals(decodePng(committed(name)).pixels)).toBe(true);
      }
    }, 60_000);
  });
});
