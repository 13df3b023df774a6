/** Icon file types Appwrite 1.3 takes from a page's `<link rel="icon">` tags. */
const ICON_EXTENSIONS = new Set(['ico', 'png', 'jpg', 'jpeg']);

export interface FaviconChoice {
  href: string;
  extension: string;
}

/** Attributes of one HTML start tag (names lower-cased, entities for quotes and ampersands decoded). */
function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  const pattern = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const match of tag.replace(/^<link/i, '').matchAll(pattern)) {
    const value = match[2] ?? match[3] ?? match[4] ?? '';
    found[match[1].toLowerCase()] = value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  }
  return found;
}

function extensionOf(url: URL): string {
  const name = url.pathname.split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot === -1 ? '' : name.slice(dot + 1).toLowerCase();
}

/**
 * Picks a page's favicon the way Appwrite 1.3 does: among `icon` / `shortcut icon` links to
 * .ico/.png/.jpg/.jpeg files the one with the largest declared `sizes` (later wins a tie), else
 * `/favicon.ico` at the page's origin.
 */
export function chooseFavicon(html: string, pageUrl: string): FaviconChoice {
  const base = new URL(pageUrl);
  let best: FaviconChoice | undefined;
  let bestArea = 0;
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const attrs = attributes(tag);
    const rel = (attrs['rel'] ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
    if ((rel !== 'icon' && rel !== 'shortcut icon') || !attrs['href']) continue;
    let href: URL;
    try {
      href = new URL(attrs['href'].trim(), base);
    } catch {
      continue;
    }
    const extension = extensionOf(href);
    if (!ICON_EXTENSIONS.has(extension)) continue;
    const [w, h] = (attrs['sizes'] ?? '').toLowerCase().split('x');
    const area = (parseInt(w, 10) || 0) * (parseInt(h, 10) || 0);
    if (area >= bestArea) {
      bestArea = area;
      best = { href: href.toString(), extension };
    }
  }
  return best ?? { href: `${base.origin}/favicon.ico`, extension: 'ico' };
}
