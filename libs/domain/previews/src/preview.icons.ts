import { sharp } from './preview.render';

/**
 * The icon families a preview falls back to. Appwrite 1.3 ships PNG logos (`storage/logos.json`:
 * video types, a generic image for images over the preview limit, and `none` for everything
 * else); Appconda draws its own, a few more families, so no artwork is copied.
 */
export enum IconFamily {
  Archive = 'archive',
  Audio = 'audio',
  Document = 'document',
  Image = 'image',
  None = 'none',
  Pdf = 'pdf',
  Text = 'text',
  Video = 'video',
}

/** Side of the square icon in pixels (the preview params resize it like any image). */
export const ICON_SIZE = 256;

const ARCHIVES = /^application\/(zip|gzip|zstd|x-7z-compressed|x-rar|x-bzip2|x-xz|x-tar|x-gtar|vnd\.rar)$/;
const DOCUMENTS = /^application\/(msword|rtf|vnd\.ms-[\w.+-]+|vnd\.openxmlformats-officedocument\.[\w.+-]+|vnd\.oasis\.opendocument\.[\w.+-]+)$/;

/** The icon family of a mime type; 1.3 also counts HLS playlists and MPEG-TS as video. */
export function iconFamily(mimeType: string): IconFamily {
  const type = mimeType.toLowerCase();
  if (type.startsWith('video/') || type === 'application/x-mpegurl') return IconFamily.Video;
  if (type.startsWith('audio/')) return IconFamily.Audio;
  if (type.startsWith('image/')) return IconFamily.Image;
  if (type === 'application/pdf') return IconFamily.Pdf;
  if (ARCHIVES.test(type)) return IconFamily.Archive;
  if (DOCUMENTS.test(type)) return IconFamily.Document;
  if (type.startsWith('text/') || type === 'application/json' || type === 'application/xml') return IconFamily.Text;
  return IconFamily.None;
}

/** Family glyphs drawn on the page, in a 256 × 256 box. */
const GLYPHS: Record<IconFamily, string> = {
  [IconFamily.Archive]: '<rect x="116" y="70" width="24" height="16" fill="#fff"/><rect x="116" y="102" width="24" height="16" fill="#fff"/><rect x="108" y="134" width="40" height="48" rx="6" fill="#fff"/>',
  [IconFamily.Audio]: '<path d="M112 86 L164 74 L164 160" stroke="#fff" stroke-width="12" fill="none"/><circle cx="100" cy="170" r="18" fill="#fff"/><circle cx="152" cy="160" r="18" fill="#fff"/>',
  [IconFamily.Document]: '<rect x="84" y="84" width="88" height="12" fill="#fff"/><rect x="84" y="112" width="88" height="12" fill="#fff"/><rect x="84" y="140" width="88" height="12" fill="#fff"/><rect x="84" y="168" width="56" height="12" fill="#fff"/>',
  [IconFamily.Image]: '<circle cx="104" cy="100" r="16" fill="#fff"/><path d="M72 184 L112 132 L136 160 L156 138 L188 184 Z" fill="#fff"/>',
  [IconFamily.None]: '<rect x="96" y="120" width="64" height="12" fill="#fff"/>',
  [IconFamily.Pdf]: '<path d="M88 176 C120 120 136 96 128 76 C120 96 136 140 176 160 C140 150 108 160 88 176 Z" stroke="#fff" stroke-width="10" fill="none"/>',
  [IconFamily.Text]: '<rect x="84" y="88" width="88" height="10" fill="#fff"/><rect x="84" y="112" width="72" height="10" fill="#fff"/><rect x="84" y="136" width="88" height="10" fill="#fff"/><rect x="84" y="160" width="60" height="10" fill="#fff"/>',
  [IconFamily.Video]: '<path d="M104 88 L168 128 L104 168 Z" fill="#fff"/>',
};

const COLOURS: Record<IconFamily, string> = {
  [IconFamily.Archive]: '#8d6e63',
  [IconFamily.Audio]: '#ab47bc',
  [IconFamily.Document]: '#42a5f5',
  [IconFamily.Image]: '#26a69a',
  [IconFamily.None]: '#90a4ae',
  [IconFamily.Pdf]: '#ef5350',
  [IconFamily.Text]: '#78909c',
  [IconFamily.Video]: '#ffa726',
};

function iconSvg(family: IconFamily): string {
  // A page with a folded corner on a transparent square; the preview's background fills the rest.
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${ICON_SIZE}" height="${ICON_SIZE}" viewBox="0 0 256 256">
<path d="M56 24 H168 L208 64 V220 a12 12 0 0 1 -12 12 H56 a12 12 0 0 1 -12 -12 V36 a12 12 0 0 1 12 -12 Z" fill="${COLOURS[family]}"/>
<path d="M168 24 V52 a12 12 0 0 0 12 12 H208 Z" fill="#ffffff" fill-opacity="0.45"/>
${GLYPHS[family]}
</svg>`;
}

const rendered = new Map<IconFamily, Promise<Buffer>>();

/** The icon of a family as a PNG with transparency (rendered once per process). */
export function iconImage(family: IconFamily): Promise<Buffer> {
  let icon = rendered.get(family);
  if (!icon) {
    icon = sharp()(Buffer.from(iconSvg(family))).png().toBuffer();
    icon.catch(() => rendered.delete(family));
    rendered.set(family, icon);
  }
  return icon;
}
