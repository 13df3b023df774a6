import { lazyRequire } from '@appconda/core';
import type SharpModule from 'sharp';
import type { Sharp, SharpOptions } from 'sharp';
import { Readable } from 'node:stream';

import { Gravity, PreviewParams } from './preview.params';

/** sharp, with its libvips (~7 MB resident), is loaded by the first image drawn, not at start. */
export const sharp = lazyRequire<typeof SharpModule>('sharp');

/** Encoders a preview ends in (`jpeg` is an alias of `jpg`). */
export type PreviewFormat = 'jpg' | 'png' | 'gif' | 'webp';

/**
 * Largest decoded image (width × height) a preview accepts. A small file can declare a huge canvas
 * (a decompression bomb); sharp refuses to decode beyond this, and the preview falls back to the
 * generic image icon as it does for files over `_APP_STORAGE_PREVIEW_LIMIT`.
 */
export const MAX_INPUT_PIXELS = 40_000_000;

/** The decoder refused the input (too many pixels, corrupt or not really an image). */
export class UndecodableImageError extends Error {}

const POSITIONS: Record<Gravity, string> = {
  [Gravity.Center]: 'centre',
  [Gravity.TopLeft]: 'left top',
  [Gravity.Top]: 'top',
  [Gravity.TopRight]: 'right top',
  [Gravity.Left]: 'left',
  [Gravity.Right]: 'right',
  [Gravity.BottomLeft]: 'left bottom',
  [Gravity.Bottom]: 'bottom',
  [Gravity.BottomRight]: 'right bottom',
};

const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 };

interface RawImage {
  data: Buffer;
  info: { width: number; height: number; channels: 1 | 2 | 3 | 4 };
}

/** What to render: the source bytes, the checked params and the resolved output format. */
export interface RenderInput {
  source: Readable | Buffer;
  params: PreviewParams;
  format: PreviewFormat;
  /** Keep every frame of an animated GIF/WebP (only when nothing but resizing is asked). */
  animated?: boolean;
}

/**
 * Renders a preview the way Appwrite 1.3's image library does, in its order: crop/resize, opacity,
 * background, border, corner radius, rotation, then encoding. Each step after decoding works on
 * raw pixels, so the order is exact (sharp would otherwise reorder operations inside one pipeline).
 */
export async function renderPreview({ source, params, format, animated }: RenderInput): Promise<Buffer> {
  if (animated && !needsRawSteps(params)) return fromSource(resize(decoder(source, true), params), source, (s) => encode(s, params, format));
  let image = await fromSource(resize(decoder(source, false), params), source, async (s) => (await s.raw().toBuffer({ resolveWithObject: true })) as RawImage);
  if (params.opacity < 1) {
    // Two steps: inside one pipeline sharp applies `linear` before adding the alpha band.
    image = await step(image, (s) => s.ensureAlpha());
    image = await step(image, (s) => s.linear([1, 1, 1, params.opacity], [0, 0, 0, 0]));
  }
  if (params.background) image = await step(image, (s) => s.flatten({ background: `#${params.background}` }));
  if (params.borderWidth > 0) {
    const width = params.borderWidth;
    image = await step(image, (s) => s.extend({ top: width, bottom: width, left: width, right: width, background: `#${params.borderColor || '000000'}` }));
  }
  if (params.borderRadius > 0) image = await roundCorners(image, params.borderRadius);
  const degrees = ((params.rotation % 360) + 360) % 360;
  if (degrees !== 0) {
    image = await step(image, (s) => s.ensureAlpha());
    image = await step(image, (s) => s.rotate(degrees, { background: TRANSPARENT }));
  }
  return encode(sharp()(image.data, { raw: image.info }), params, format);
}

/** Opacity, background, border, radius and rotation need the raw-pixel steps (and one frame). */
function needsRawSteps(params: PreviewParams): boolean {
  return params.opacity < 1 || params.background !== '' || params.borderWidth > 0 || params.borderRadius > 0 || params.rotation % 360 !== 0;
}

function decoder(source: Readable | Buffer, animated: boolean): Sharp {
  const options: SharpOptions = { limitInputPixels: MAX_INPUT_PIXELS, animated, failOn: 'error' };
  const image = Buffer.isBuffer(source) ? sharp()(source, options) : sharp()(options);
  return image.autoOrient();
}

/**
 * 1.3's crop: with both sides the image covers the box and is cut around `gravity`; with one side
 * the other follows the aspect ratio; with none the size is kept. Like 1.3 it may enlarge.
 */
function resize(image: Sharp, params: PreviewParams): Sharp {
  if (!params.width && !params.height) return image;
  return image.resize({ width: params.width || undefined, height: params.height || undefined, fit: 'cover', position: POSITIONS[params.gravity] });
}

/**
 * Runs a decoding pipeline, streaming the source into sharp; decoder refusals become
 * UndecodableImageError, while a failing source (unreadable device, bad auth tag) stays a server error.
 */
function fromSource<T>(image: Sharp, source: Readable | Buffer, run: (image: Sharp) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    run(image).then(resolve, (error: Error) => reject(new UndecodableImageError(error.message)));
    if (Buffer.isBuffer(source)) return;
    source.once('error', (error) => {
      reject(error);
      image.destroy();
    });
    source.pipe(image);
  });
}

async function step(image: RawImage, apply: (input: Sharp) => Sharp): Promise<RawImage> {
  return (await apply(sharp()(image.data, { raw: image.info })).raw().toBuffer({ resolveWithObject: true })) as RawImage;
}

/** Keeps only a rounded rectangle of the image (the corners become transparent). */
async function roundCorners(image: RawImage, radius: number): Promise<RawImage> {
  const { width, height } = image.info;
  const r = Math.min(radius, width / 2, height / 2);
  const mask = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" rx="${r}" ry="${r}"/></svg>`);
  const withAlpha = await step(image, (s) => s.ensureAlpha());
  return step(withAlpha, (s) => s.composite([{ input: mask, blend: 'dest-in' }]));
}

/**
 * Encodes to the output format. JPEG has no alpha: transparent areas are laid on the `background`
 * colour, white when none was given. `quality` applies to JPEG and WebP (their encoders take 1–100).
 */
function encode(image: Sharp, params: PreviewParams, format: PreviewFormat): Promise<Buffer> {
  const quality = Math.max(1, params.quality);
  switch (format) {
    case 'jpg':
      return image.flatten({ background: `#${params.background || 'ffffff'}` }).jpeg({ quality }).toBuffer();
    case 'webp':
      return image.webp({ quality }).toBuffer();
    case 'gif':
      return image.gif().toBuffer();
    case 'png':
      return image.png().toBuffer();
  }
}
