import { Injectable } from '@nestjs/common';
import { AppConfig } from '@appconda/config';
import { AppException, ErrorType, RequestContext } from '@appconda/core';
import { FileEntity } from '@appconda/database';
import { FileAccess, FilesService } from '@appconda/storage';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import { PreviewCache } from './preview.cache';
import { iconFamily, IconFamily, iconImage } from './preview.icons';
import { paramsKey, parsePreviewParams, PREVIEW_OUTPUTS, PreviewParams, PreviewQuery } from './preview.params';
import { PreviewFormat, renderPreview, UndecodableImageError } from './preview.render';

/** A rendered preview, ready to send. */
export interface Preview {
  body: Buffer;
  contentType: string;
  /** Whether the bytes came from the cache volume (1.3's `X-Appwrite-Cache`). */
  cache: 'hit' | 'miss';
}

/**
 * Images a preview renders, by stored mime type. Appwrite 1.3 (`storage/inputs.json`) takes JPEG,
 * PNG and GIF; WebP is accepted too (later Appwrite versions do), every other type gets an icon.
 */
const INPUTS: Record<string, PreviewFormat> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp' };

/** 1.3 lays icons on this grey unless a background is asked for. */
const ICON_BACKGROUND = 'eceff1';

/** Bumped when rendering changes, so older cache entries stop matching. */
const RENDER_VERSION = '1';

type Source = { kind: 'image'; format: PreviewFormat } | { kind: 'icon'; family: IconFamily };

@Injectable()
export class PreviewsService {
  /** Renders in progress by cache key: identical concurrent requests share one render. */
  private readonly inflight = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly access: FileAccess,
    private readonly cache: PreviewCache,
    private readonly config: AppConfig,
    private readonly files: FilesService,
  ) {}

  /**
   * `GET …/files/{fileId}/preview`: the read checks of download (a file the caller may not read is
   * 404), then the cached or freshly rendered image. `accept` is the request's Accept header: like
   * 1.3, WebP output falls back to JPEG for clients that do not announce `image/webp`.
   */
  async preview(ctx: RequestContext, bucketId: string, fileId: string, query: PreviewQuery, accept = ''): Promise<Preview> {
    const requested = parsePreviewParams(query);
    const bucket = await this.access.bucket(ctx, bucketId, 'read');
    const file = await this.access.file(ctx, bucket, fileId, 'read');
    if (Number(file.chunksUploaded) < Number(file.chunksTotal)) throw new AppException(ErrorType.StorageFileNotFound, 'The file content is not available.');

    const source = this.sourceOf(file);
    const params: PreviewParams = source.kind === 'icon' ? { ...requested, background: requested.background || ICON_BACKGROUND } : requested;
    let format: PreviewFormat = normalise(params.output) ?? (source.kind === 'image' ? source.format : 'png');
    if (format === 'webp' && !accept.includes('image/webp')) format = 'jpg';
    const contentType = PREVIEW_OUTPUTS[format];

    const folder = this.cache.folder(ctx.projectId, bucket.bucket.uid, file.uid);
    const name = `${cacheKey(file, source, params, format)}.${format}`;
    const cached = await this.cache.read(folder, name);
    if (cached) return { body: cached, contentType, cache: 'hit' };

    let render = this.inflight.get(name);
    if (!render) {
      render = this.render(ctx, bucketId, file, source, params, format)
        .then(async (body) => {
          await this.cache.write(folder, name, body);
          return body;
        })
        .finally(() => this.inflight.delete(name));
      this.inflight.set(name, render);
    }
    return { body: await render, contentType, cache: 'miss' };
  }

  /** Images within `_APP_STORAGE_PREVIEW_LIMIT` render themselves; larger ones and other types an icon. */
  private sourceOf(file: FileEntity): Source {
    const format = INPUTS[file.mimeType.toLowerCase()];
    if (!format) return { kind: 'icon', family: iconFamily(file.mimeType) };
    if (Number(file.sizeOriginal) > this.config.get('storage').previewLimit) return { kind: 'icon', family: IconFamily.Image };
    return { kind: 'image', format };
  }

  private async render(ctx: RequestContext, bucketId: string, file: FileEntity, source: Source, params: PreviewParams, format: PreviewFormat): Promise<Buffer> {
    if (source.kind === 'icon') return renderPreview({ source: await iconImage(source.family), params, format });
    const { stream } = await this.files.openRead(ctx.projectId, bucketId, file.uid, ctx);
    const animated = (source.format === 'gif' || source.format === 'webp') && (format === 'gif' || format === 'webp');
    try {
      return await renderPreview({ source: stream, params, format, animated });
    } catch (error) {
      if (!(error instanceof UndecodableImageError)) throw error;
      // Not decodable within the pixel limit (or not really an image): the generic image icon,
      // as 1.3 answers for images it will not process.
      const icon = { ...params, background: params.background || ICON_BACKGROUND };
      return renderPreview({ source: await iconImage(IconFamily.Image), params: icon, format });
    } finally {
      (stream as Readable).destroy();
    }
  }
}

function normalise(output: PreviewParams['output']): PreviewFormat | undefined {
  if (output === '') return undefined;
  return output === 'jpeg' ? 'jpg' : output;
}

/** Everything the bytes depend on: the stored object (a new upload has a new path), the source and the params. */
function cacheKey(file: FileEntity, source: Source, params: PreviewParams, format: PreviewFormat): string {
  const sourceKey = source.kind === 'icon' ? `icon:${source.family}` : `image:${source.format}`;
  const parts = [RENDER_VERSION, file.internalId, file.path, file.signature, String(file.sizeOriginal), sourceKey, paramsKey(params), format];
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}
