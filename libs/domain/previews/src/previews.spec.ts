import sharp from 'sharp';
import { Readable } from 'node:stream';

import { iconFamily, IconFamily, iconImage, ICON_SIZE } from './preview.icons';
import { Gravity, parsePreviewParams, PreviewParams } from './preview.params';
import { MAX_INPUT_PIXELS, renderPreview, UndecodableImageError } from './preview.render';

const defaults = parsePreviewParams({});
const params = (overrides: Partial<PreviewParams>): PreviewParams => ({ ...defaults, ...overrides });

/** A 200 × 100 PNG: left half red, right half blue. */
function halves(): Promise<Buffer> {
  const left = { r: 255, g: 0, b: 0 };
  return sharp({ create: { width: 200, height: 100, channels: 3, background: left } })
    .composite([{ input: { create: { width: 100, height: 100, channels: 3, background: { r: 0, g: 0, b: 255 } } }, left: 100, top: 0 }])
    .png()
    .toBuffer();
}

/** A PNG whose header claims `width` × `height` (the pixel data stays tiny): a decompression bomb stand-in. */
async function claimedSize(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer());
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [...data.subarray(offset, offset + info.channels)];
}

describe('parsePreviewParams', () => {
  it('applies the 1.3 defaults', () => {
    expect(defaults).toEqual({ width: 0, height: 0, gravity: Gravity.Center, quality: 100, borderWidth: 0, borderColor: '', borderRadius: 0, opacity: 1, rotation: 0, background: '', output: '' });
  });

  it('coerces query strings and accepts the bounds', () => {
    const sut = parsePreviewParams({ width: '4000', height: '0', gravity: 'bottom-right', quality: '0', borderWidth: '100', borderColor: 'FF0000', borderRadius: '4000', opacity: '0.5', rotation: '-360', background: 'abc', output: 'jpeg' });
    expect(sut).toEqual({ width: 4000, height: 0, gravity: Gravity.BottomRight, quality: 0, borderWidth: 100, borderColor: 'ff0000', borderRadius: 4000, opacity: 0.5, rotation: -360, background: 'abc', output: 'jpeg' });
    expect(parsePreviewParams({ width: ['10', '20'], opacity: '' }).width).toBe(20);
  });

  it.each([
    ['width', '4001', 'Invalid `width` param: Value must be a valid range between 0 and 4,000'],
    ['height', '-1', 'Invalid `height` param: Value must be a valid range between 0 and 4,000'],
    ['width', '12px', 'Invalid `width` param: Value must be a valid range between 0 and 4,000'],
    ['quality', '101', 'Invalid `quality` param: Value must be a valid range between 0 and 100'],
    ['borderWidth', '1.5', 'Invalid `borderWidth` param: Value must be a valid range between 0 and 100'],
    ['opacity', '1.1', 'Invalid `opacity` param: Value must be a valid range between 0 and 1'],
    ['rotation', '361', 'Invalid `rotation` param: Value must be a valid range between -360 and 360'],
    ['gravity', 'middle', 'Invalid `gravity` param: Value must be one of (center, top-left, top, top-right, left, right, bottom-left, bottom, bottom-right)'],
    ['output', 'tiff', 'Invalid `output` param: Value must be one of (jpg, jpeg, gif, png, webp)'],
    ['borderColor', '#ff0000', 'Invalid `borderColor` param: Value must be a valid Hex color code'],
    ['background', 'zzzzzz', 'Invalid `background` param: Value must be a valid Hex color code'],
  ])('refuses %s=%s with 400 general_argument_invalid', (param, value, message) => {
    expect(() => parsePreviewParams({ [param]: value })).toThrow(expect.objectContaining({ type: 'general_argument_invalid', code: 400, message }));
  });
});

describe('renderPreview', () => {
  it('keeps the size and format when nothing is asked', async () => {
    expect((await sharp(await halves()).metadata()).channels).toBe(4);
    const output = await renderPreview({ source: await halves(), params: defaults, format: 'png' });
    expect(await sharp(output).metadata()).toMatchObject({ format: 'png', width: 200, height: 100 });
  });

  it('keeps the aspect ratio with one side, crops around the gravity with both', async () => {
    const input = await halves();
    expect(await sharp(await renderPreview({ source: input, params: params({ width: 100 }), format: 'png' })).metadata()).toMatchObject({ width: 100, height: 50 });
    expect(await sharp(await renderPreview({ source: input, params: params({ height: 50 }), format: 'png' })).metadata()).toMatchObject({ width: 100, height: 50 });
    const left = await renderPreview({ source: input, params: params({ width: 50, height: 50, gravity: Gravity.Left }), format: 'png' });
    const right = await renderPreview({ source: input, params: params({ width: 50, height: 50, gravity: Gravity.Right }), format: 'png' });
    expect(await sharp(left).metadata()).toMatchObject({ width: 50, height: 50 });
    expect((await pixel(left, 25, 25)).slice(0, 3)).toEqual([255, 0, 0]);
    expect((await pixel(right, 25, 25)).slice(0, 3)).toEqual([0, 0, 255]);
  });

  it('streams the source, draws the border around the image and rotates', async () => {
    const bordered = await renderPreview({ source: Readable.from([await halves()]), params: params({ width: 100, borderWidth: 5, borderColor: '00ff00' }), format: 'png' });
    expect(await sharp(bordered).metadata()).toMatchObject({ width: 110, height: 60 });
    expect((await pixel(bordered, 0, 0)).slice(0, 3)).toEqual([0, 255, 0]);
    const rotated = await renderPreview({ source: await halves(), params: params({ rotation: -90 }), format: 'png' });
    expect(await sharp(rotated).metadata()).toMatchObject({ width: 100, height: 200 });
    // -90° (= 270°) puts the red left half at the bottom.
    expect((await pixel(rotated, 50, 190)).slice(0, 3)).toEqual([255, 0, 0]);
  });

  it('applies opacity as alpha, rounds corners and lays transparency on the background for JPEG', async () => {
    const faded = await renderPreview({ source: await halves(), params: params({ opacity: 0.5 }), format: 'png' });
    expect((await sharp(faded).metadata()).hasAlpha).toBe(true);
    expect((await pixel(faded, 10, 10))[3]).toBeGreaterThanOrEqual(127);
    expect((await pixel(faded, 10, 10))[3]).toBeLessThanOrEqual(128);
    const opaque = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#fff' } }).jpeg().toBuffer();
    const fadedJpeg = await renderPreview({ source: opaque, params: params({ opacity: 0.25 }), format: 'png' });
    expect(await sharp(fadedJpeg).metadata()).toMatchObject({ channels: 4, hasAlpha: true });
    expect(Math.abs((await pixel(fadedJpeg, 5, 5))[3] - 64)).toBeLessThanOrEqual(1);
    const rounded = await renderPreview({ source: await halves(), params: params({ borderRadius: 30 }), format: 'png' });
    expect((await pixel(rounded, 0, 0))[3]).toBe(0);
    expect((await pixel(rounded, 100, 50))[3]).toBe(255);
    const flattened = await renderPreview({ source: await halves(), params: params({ borderRadius: 30, background: '00ff00' }), format: 'jpg' });
    const [r, g, b] = await pixel(flattened, 0, 0);
    expect(r).toBeLessThan(30);
    expect(g).toBeGreaterThan(220);
    expect(b).toBeLessThan(30);
  });

  it('refuses images beyond the pixel limit (decompression bombs) as undecodable', async () => {
    const side = Math.ceil(Math.sqrt(MAX_INPUT_PIXELS)) + 1;
    const bomb = await claimedSize(side, side);
    expect(await sharp(bomb).metadata()).toMatchObject({ width: side, height: side });
    await expect(renderPreview({ source: bomb, params: defaults, format: 'png' })).rejects.toBeInstanceOf(UndecodableImageError);
    await expect(renderPreview({ source: Buffer.from('not an image'), params: defaults, format: 'png' })).rejects.toBeInstanceOf(UndecodableImageError);
  });

  it('passes a failing source on as it is', async () => {
    const broken = new Readable({ read() { this.destroy(new Error('auth tag mismatch')); } });
    await expect(renderPreview({ source: broken, params: defaults, format: 'png' })).rejects.toThrow('auth tag mismatch');
  });
});

describe('icons', () => {
  it('maps mime families like 1.3 (video types) and a few more', () => {
    expect(iconFamily('video/mp4')).toBe(IconFamily.Video);
    expect(iconFamily('application/x-mpegURL')).toBe(IconFamily.Video);
    expect(iconFamily('audio/mpeg')).toBe(IconFamily.Audio);
    expect(iconFamily('application/pdf')).toBe(IconFamily.Pdf);
    expect(iconFamily('application/zip')).toBe(IconFamily.Archive);
    expect(iconFamily('text/plain')).toBe(IconFamily.Text);
    expect(iconFamily('application/octet-stream')).toBe(IconFamily.None);
  });

  it('renders a square transparent PNG per family', async () => {
    for (const family of Object.values(IconFamily)) {
      const icon = await iconImage(family);
      expect(await sharp(icon).metadata()).toMatchObject({ format: 'png', width: ICON_SIZE, height: ICON_SIZE, hasAlpha: true });
    }
    expect((await iconImage(IconFamily.Video)).equals(await iconImage(IconFamily.Pdf))).toBe(false);
  });
});
