import { escapeXml } from './avatars.assets';

/** Backgrounds picked from a name when the caller gives none: soft pastels that keep the cut-out letters readable. */
const PALETTE = ['#F7A8C4', '#F9C784', '#9ADBB0', '#A9C8F5', '#C5B6F2', '#F59A9E', '#9FD3E6', '#DDB08E', '#B8EEF5', '#F6E7A1'];

export interface Initials {
  text: string;
  background: string;
}

/**
 * Initials as Appwrite 1.3 forms them: the upper-cased name split on spaces (on underscores when
 * there is no space), first letters of the first two words. The colour follows from the letters,
 * so one name always gets the same colour.
 */
export function initialsOf(name: string, background: string): Initials {
  const upper = printable(name).toUpperCase();
  let words = upper.split(' ');
  if (words.length === 1) words = upper.split('_');
  let text = '';
  let code = 0;
  for (const word of words.slice(0, 2)) {
    const first = [...word][0];
    if (!first) continue;
    text += first;
    code += first.codePointAt(0) ?? 0;
  }
  return { text, background: background ? `#${background}` : PALETTE[code % 10] };
}

/**
 * The name without control, format, surrogate, private-use and unassigned code points: XML 1.0 cannot
 * carry most of them (a NUL or ESC in the name made the SVG unparseable and the route answer 500), and
 * none of them draws a letter.
 */
function printable(name: string): string {
  return name.replace(/\p{C}/gu, '');
}

/** An SVG square of the background colour with the initials cut out (transparent), centred. */
export function initialsSvg(initials: Initials, width: number, height: number): string {
  const fontSize = Math.min(width, height) / 2;
  const x = width / 2;
  const y = height / 2 + fontSize / 3;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs><mask id="cut" maskUnits="userSpaceOnUse" x="0" y="0" width="${width}" height="${height}">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    `<text x="${x}" y="${y}" text-anchor="middle" font-family="Inter, DejaVu Sans, Arial, sans-serif" font-size="${fontSize}" fill="#000">${escapeXml(initials.text)}</text>` +
    `</mask></defs>` +
    `<rect width="${width}" height="${height}" fill="${initials.background}" mask="url(#cut)"/>` +
    `</svg>`
  );
}
