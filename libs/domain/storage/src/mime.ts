/**
 * Content type detection from a file's first bytes (Appwrite 1.3 asks libmagic; this covers the
 * formats apps upload most) and the type a `view` may answer with.
 */
const SIGNATURES: { type: string; test: (head: Buffer) => boolean }[] = [
  { type: 'image/png', test: (h) => starts(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'image/jpeg', test: (h) => starts(h, [0xff, 0xd8, 0xff]) },
  { type: 'image/gif', test: (h) => ascii(h, 0, 'GIF87a') || ascii(h, 0, 'GIF89a') },
  { type: 'image/webp', test: (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WEBP') },
  { type: 'audio/vnd.wav', test: (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WAVE') },
  { type: 'video/x-msvideo', test: (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'AVI ') },
  { type: 'image/bmp', test: (h) => ascii(h, 0, 'BM') && h.length > 14 && h.readUInt32LE(2) > 0 && h[6] === 0 && h[7] === 0 },
  { type: 'image/tiff', test: (h) => starts(h, [0x49, 0x49, 0x2a, 0x00]) || starts(h, [0x4d, 0x4d, 0x00, 0x2a]) },
  { type: 'image/vnd.microsoft.icon', test: (h) => starts(h, [0x00, 0x00, 0x01, 0x00]) },
  { type: 'application/pdf', test: (h) => ascii(h, 0, '%PDF-') },
  { type: 'application/zip', test: (h) => starts(h, [0x50, 0x4b, 0x03, 0x04]) || starts(h, [0x50, 0x4b, 0x05, 0x06]) },
  { type: 'application/gzip', test: (h) => starts(h, [0x1f, 0x8b]) },
  { type: 'application/zstd', test: (h) => starts(h, [0x28, 0xb5, 0x2f, 0xfd]) },
  { type: 'application/x-7z-compressed', test: (h) => starts(h, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) },
  { type: 'application/x-rar', test: (h) => ascii(h, 0, 'Rar!') },
  { type: 'application/x-bzip2', test: (h) => ascii(h, 0, 'BZh') },
  { type: 'application/x-xz', test: (h) => starts(h, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) },
  { type: 'application/x-tar', test: (h) => ascii(h, 257, 'ustar') },
  { type: 'application/wasm', test: (h) => starts(h, [0x00, 0x61, 0x73, 0x6d]) },
  { type: 'application/x-executable', test: (h) => starts(h, [0x7f, 0x45, 0x4c, 0x46]) },
  { type: 'application/x-dosexec', test: (h) => ascii(h, 0, 'MZ') },
  { type: 'application/x-msi', test: (h) => starts(h, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) },
  { type: 'audio/mpeg', test: (h) => ascii(h, 0, 'ID3') || (h.length > 1 && h[0] === 0xff && (h[1] & 0xe0) === 0xe0 && (h[1] & 0x06) !== 0) },
  { type: 'audio/ogg', test: (h) => ascii(h, 0, 'OggS') },
  { type: 'audio/flac', test: (h) => ascii(h, 0, 'fLaC') },
  { type: 'audio/midi', test: (h) => ascii(h, 0, 'MThd') },
  { type: 'video/webm', test: (h) => starts(h, [0x1a, 0x45, 0xdf, 0xa3]) },
  { type: 'video/quicktime', test: (h) => ascii(h, 4, 'ftypqt') },
  { type: 'video/mp4', test: (h) => ascii(h, 4, 'ftyp') },
  { type: 'video/x-flv', test: (h) => ascii(h, 0, 'FLV') },
];

function starts(head: Buffer, bytes: number[]): boolean {
  return head.length >= bytes.length && bytes.every((byte, index) => head[index] === byte);
}

function ascii(head: Buffer, offset: number, text: string): boolean {
  return head.length >= offset + text.length && head.toString('latin1', offset, offset + text.length) === text;
}

/** Text when there is no NUL byte and the bytes decode as UTF-8 (a cut multi-byte tail is fine). */
function isText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  const text = head.toString('utf8');
  const broken = (text.match(/\uFFFD/g) ?? []).length;
  return broken <= 1;
}

function textType(head: Buffer): string {
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  const lower = text.slice(0, 512).toLowerCase();
  if (lower.startsWith('<svg') || (lower.startsWith('<?xml') && lower.includes('<svg'))) return 'image/svg+xml';
  if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || /^<(head|body|script|iframe|div|p|a|meta|title)[\s>]/.test(lower)) return 'text/html';
  if (lower.startsWith('<?xml')) return 'text/xml';
  if ((text.startsWith('{') || text.startsWith('[')) && looksLikeJson(text)) return 'application/json';
  return 'text/plain';
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The content type of a file from its first bytes (up to 4 KiB); `inode/x-empty` for nothing. */
export function sniffMimeType(head: Buffer): string {
  if (head.length === 0) return 'inode/x-empty';
  const known = SIGNATURES.find((signature) => signature.test(head));
  if (known) return known.type;
  return isText(head) ? textType(head) : 'application/octet-stream';
}

/** Office document families 1.3's view keeps as they are (Word, Excel, PowerPoint, Access, OOXML). */
const OFFICE = /^application\/(msword|vnd\.ms-(word|excel|powerpoint|access)[\w.+-]*|vnd\.openxmlformats-officedocument\.[\w.+-]+)$/;

/**
 * The content type `view` answers with. Like Appwrite 1.3, only passive media types pass through
 * (raster images, audio, video, PDF, office documents); anything a browser could run — HTML, SVG,
 * XML, scripts — is served as `text/plain`, next to `nosniff` and a CSP that allows no script.
 */
export function viewContentType(mimeType: string): string {
  const type = mimeType.toLowerCase();
  if (type === 'image/svg+xml') return 'text/plain';
  if (/^(image|video|audio)\/[\w.+-]+$/.test(type)) return mimeType;
  if (type === 'application/pdf' || type === 'application/x-mpegurl' || OFFICE.test(type)) return mimeType;
  return 'text/plain';
}
