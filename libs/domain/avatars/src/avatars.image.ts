import { lazyRequire } from '@appconda/core';
import type SharpModule from 'sharp';

import { SvgAsset } from './avatars.assets';

/** sharp, with its libvips (~7 MB resident), is loaded by the first image drawn, not at start. */
export const sharp = lazyRequire<typeof SharpModule>('sharp');

/** Largest raster we let an SVG expand to before cropping (pixels per side). */
const MAX_RASTER_SIDE = 4096;
/** Decoding cap for fetched images: a few MB of compressed pixels can otherwise expand to gigabytes. */
const MAX_INPUT_PIXELS = 50_000_000;

/**
 * Target size with Appwrite 1.3's crop rules: a zero side follows the source's aspect ratio, and
 * both zero keeps the source size.
 */
export function targetSize(sourceWidth: number, sourceHeight: number, width: number, height: number): { width: number; height: number } {
  if (!width && !height) return { width: sourceWidth, height: sourceHeight };
  const aspect = sourceWidth / sourceHeight;
  const w = width || Math.trunc(height * aspect);
  const h = height || Math.trunc(width / aspect);
  return { width: Math.max(1, w), height: Math.max(1, h) };
}

/**
 * PNG output. Appwrite 1.3's `quality` for PNG only sets the zlib level (the image stays
 * lossless), and so does ours: 0..100 maps to levels 0..9.
 */
function png(image: SharpModule.Sharp, quality: number): Promise<Buffer> {
  return image.png({ compressionLevel: Math.min(9, Math.max(0, Math.floor(quality / 10))) }).toBuffer();
}

/** Rasterises an SVG sharp enough for the target, then crops it to fill the target (centre gravity). */
export async function renderSvg(asset: SvgAsset, width: number, height: number, quality: number): Promise<Buffer> {
  const size = targetSize(asset.width, asset.height, width, height);
  const scale = Math.min(Math.max(size.width / asset.width, size.height / asset.height), MAX_RASTER_SIDE / Math.max(asset.width, asset.height));
  const density = Math.max(1, 72 * scale);
  return png(sharp()(Buffer.from(asset.svg), { density }).resize(size.width, size.height, { fit: 'cover', position: 'centre' }), quality);
}

/** Crops a raster image to fill the target (centre gravity); throws when the bytes are not an image sharp reads. */
export async function cropImage(input: Buffer, width: number, height: number, quality: number): Promise<Buffer> {
  const image = sharp()(input, { failOn: 'error', animated: false, limitInputPixels: MAX_INPUT_PIXELS });
  const meta = await image.metadata();
  if (!meta.width || !meta.height) throw new Error('image has no dimensions');
  const size = targetSize(meta.width, meta.height, width, height);
  return png(image.rotate().resize(size.width, size.height, { fit: 'cover', position: 'centre' }), quality);
}
