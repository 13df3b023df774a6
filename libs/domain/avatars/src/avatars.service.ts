import { Inject, Injectable } from '@nestjs/common';
import { ErrorDefinition } from '@appconda/contracts';
import { AppException, ErrorType, lazyRequire, RequestContext } from '@appconda/core';
import type * as QRCode from 'qrcode';

import { avatarAsset, avatarCodes, AvatarSet } from './avatars.assets';
import { AvatarImage, AvatarQuery, oneOfParam, toIconParams, toImageParams, toInitialsParams, toQrParams, urlParam } from './avatars.dto';
import { cropImage, renderSvg, sharp } from './avatars.image';
import { initialsOf, initialsSvg } from './avatars.initials';
import { AVATARS_OPTIONS, AvatarsOptions } from './avatars.options';
import { chooseFavicon } from './favicon.parser';
import { fetchRemote, RemoteFetchError } from './remote-fetch';

/** qrcode (with pngjs) is loaded by the first QR code asked for. */
const qrcode = lazyRequire<typeof QRCode>('qrcode');

const DAY = 60 * 60 * 24;
/** Appwrite 1.3 lets clients keep icons and fetched images 30 days, initials and QR codes 45. */
const ICON_CACHE = 30 * DAY;
const GENERATED_CACHE = 45 * DAY;
/** Appwrite 1.3 crops favicons to 56×56 at quality 80 and fetched images at quality 80. */
const FAVICON_SIDE = 56;
const FETCHED_QUALITY = 80;
/** A page is read only this far when looking for its icon links. */
const FAVICON_PAGE_BYTES = 2 * 1024 * 1024;

/** The Avatars service: icons by code, fetched images and favicons, initials and QR codes, all as images. */
@Injectable()
export class AvatarsService {
  constructor(@Inject(AVATARS_OPTIONS) private readonly options: AvatarsOptions) {}

  /** browsers/{code}, credit-cards/{code}, flags/{code}: the set's icon cropped to the asked size, as PNG. */
  async getIcon(set: AvatarSet, code: string, query: AvatarQuery): Promise<AvatarImage> {
    // 1.3 checks `code` against the set's whitelist first (400), before width, height and quality.
    const key = oneOfParam('code', code, avatarCodes(set));
    const params = toIconParams(query);
    const asset = avatarAsset(set, key);
    if (!asset) throw new AppException(ErrorType.AvatarNotFound);
    return { body: await renderSvg(asset, params.width, params.height, params.quality), contentType: 'image/png', maxAge: ICON_CACHE };
  }

  /** image?url=: a remote image cropped to the asked size, as PNG. */
  async getImage(query: AvatarQuery): Promise<AvatarImage> {
    const params = toImageParams(query);
    const remote = await this.fetch(params.url, ErrorType.AvatarImageNotFound, this.options.maxBytes);
    const body = await cropImage(remote.body, params.width, params.height, FETCHED_QUALITY).catch(() => {
      throw new AppException(ErrorType.AvatarImageNotFound, 'The URL does not point to an image that can be read.');
    });
    return { body, contentType: 'image/png', maxAge: ICON_CACHE };
  }

  /**
   * favicon?url=: the page's icon. An .ico is passed through as is (as in 1.3, which cannot crop
   * icons); other formats are cropped to 56×56 PNG.
   */
  async getFavicon(query: AvatarQuery): Promise<AvatarImage> {
    const url = urlParam(query, 'url');
    const page = await this.fetch(url, ErrorType.AvatarRemoteUrlFailed, FAVICON_PAGE_BYTES);
    if (!page.body.length) throw new AppException(ErrorType.AvatarRemoteUrlFailed);
    const icon = chooseFavicon(page.body.toString('utf8'), page.url);
    const file = await this.fetch(icon.href, ErrorType.AvatarIconNotFound, this.options.maxBytes);
    if (icon.extension === 'ico') {
      const head = file.body.subarray(0, 16).toString('latin1').trimStart().toLowerCase();
      if (!file.body.length || head.startsWith('<html') || head.startsWith('<!doc')) throw new AppException(ErrorType.AvatarIconNotFound);
      return { body: file.body, contentType: 'image/x-icon', maxAge: ICON_CACHE };
    }
    const body = await cropImage(file.body, FAVICON_SIDE, FAVICON_SIDE, FETCHED_QUALITY).catch(() => {
      throw new AppException(ErrorType.AvatarIconNotFound);
    });
    return { body, contentType: 'image/png', maxAge: ICON_CACHE };
  }

  /** initials: the name's (or the signed-in user's) initials cut out of a coloured square, as PNG. */
  async getInitials(query: AvatarQuery, ctx?: RequestContext): Promise<AvatarImage> {
    const params = toInitialsParams(query);
    const width = Math.max(1, params.width);
    const height = Math.max(1, params.height);
    const initials = initialsOf(params.name || callerName(ctx), params.background);
    const body = await sharp()(Buffer.from(initialsSvg(initials, width, height))).resize(width, height, { fit: 'fill' }).png().toBuffer();
    return { body, contentType: 'image/png', maxAge: GENERATED_CACHE };
  }

  /** qr: the text as a QR code of size×size pixels with a quiet zone of `margin` modules, as PNG. */
  async getQr(query: AvatarQuery): Promise<AvatarImage> {
    const params = toQrParams(query);
    if (!params.text) throw new AppException(ErrorType.GeneralArgumentInvalid, 'Invalid `text` param: Value must be a valid string and at least 1 chars');
    const code = await qrcode().toBuffer(params.text, { type: 'png', margin: params.margin, width: params.size, errorCorrectionLevel: 'M' });
    const body = await sharp()(code).resize(params.size, params.size, { fit: 'fill', kernel: 'nearest' }).png({ compressionLevel: 9 }).toBuffer();
    return { body, contentType: 'image/png', maxAge: GENERATED_CACHE, filename: params.download ? 'qr.png' : undefined };
  }

  private async fetch(url: string, failure: ErrorDefinition, maxBytes: number) {
    try {
      return await fetchRemote(url, { ...this.options, maxBytes });
    } catch (error) {
      if (error instanceof RemoteFetchError && error.reason === 'denied') throw new AppException(failure, 'The URL points to an address that may not be fetched.');
      throw new AppException(failure);
    }
  }
}

/**
 * The signed-in user's name, else e-mail, when the pipeline attached the user record (the identity
 * resolver keeps it in `extras.identity.user`).
 */
function callerName(ctx?: RequestContext): string {
  const extras = ctx?.extras ?? {};
  const user = (extras['user'] ?? (extras['identity'] as { user?: unknown } | undefined)?.user) as { name?: unknown; email?: unknown } | undefined;
  if (typeof user?.name === 'string' && user.name) return user.name;
  return typeof user?.email === 'string' ? user.email : '';
}
