import { lazyRequire } from '@appconda/core';
import type * as Flags from 'country-flag-icons/string/3x2';
import { readFileSync } from 'node:fs';

/** The flag SVGs, loaded by the first flag asked for. */
const flags = lazyRequire<typeof Flags>('country-flag-icons/string/3x2');

/** An SVG icon and the size it is drawn at. */
export interface SvgAsset {
  svg: string;
  width: number;
  height: number;
}

interface IconifyIcon {
  body: string;
  width?: number;
  height?: number;
}

/**
 * Browser codes Appwrite 1.3 reports in session and log records (its user-agent parser's short
 * names), mapped to icons of the SVG Logos set. Chromium and Opera Mini have no logo of their own
 * there and share Chrome's and Opera's; Avant was an Internet Explorer shell.
 */
const BROWSERS: Readonly<Record<string, string>> = {
  aa: 'internetexplorer',
  an: 'android-icon',
  ch: 'chrome',
  ci: 'chrome',
  cm: 'chrome',
  cr: 'chrome',
  ff: 'firefox',
  mf: 'safari',
  oi: 'microsoft-edge',
  om: 'opera',
  on: 'opera',
  op: 'opera',
  ps: 'microsoft-edge',
  sf: 'safari',
};

/**
 * Credit card codes of Appwrite 1.3, mapped to SVG Logos icons. Regional brands the set lacks are
 * drawn as a labelled generic card instead (value = label).
 */
const CREDIT_CARDS: Readonly<Record<string, { icon: string } | { label: string }>> = {
  amex: { icon: 'amex' },
  argencard: { label: 'Argencard' },
  cabal: { label: 'Cabal' },
  censosud: { label: 'Cencosud' },
  diners: { icon: 'dinersclub' },
  discover: { icon: 'discover' },
  elo: { icon: 'elo' },
  hipercard: { icon: 'hipercard' },
  jcb: { icon: 'jcb' },
  maestro: { icon: 'maestro' },
  mastercard: { icon: 'mastercard' },
  mir: { label: 'MIR' },
  naranja: { label: 'Naranja' },
  'targeta-shopping': { label: 'Tarjeta Shopping' },
  'union-china-pay': { icon: 'unionpay' },
  visa: { icon: 'visa' },
};

/**
 * The country codes Appwrite 1.3 draws flags for (its `flags` whitelist, 194 codes).
 * Territories and other codes the flag package also draws (`eu`, `pr`, `xk` …) are refused like any
 * unknown code, so a request 1.3 rejects is rejected here too.
 */
const FLAG_CODES: readonly string[] = `
  ad ae af ag al am ao ar at au az ba bb bd be bf bg bh bi bj bn bo br bs bt bw by bz ca cd cf cg
  ch ci cl cm cn co cr cu cv cy cz de dj dk dm do dz ec ee eg er es et fi fj fm fr ga gb gd ge gh
  gm gn gq gr gt gw gy hn hr ht hu id ie il in iq ir is it jm jo jp ke kg kh ki km kn kp kr kw kz
  la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mr mt mu mv mw mx my mz na ne ng
  ni nl no np nr nz om pa pe pg ph pk pl pt pw py qa ro rs ru rw sa sb sc sd se sg si sk sl sm sn
  so sr ss st sv sy sz td tg th tj tl tm tn to tr tt tv tz ua ug us uy uz va vc ve vn vu ws ye za
  zm zw
`
  .trim()
  .split(/\s+/);

/** The avatar sets served by code. */
export enum AvatarSet {
  Browsers = 'browsers',
  CreditCards = 'credit-cards',
  Flags = 'flags',
}

const FLAG_WIDTH = 513;
const FLAG_HEIGHT = 342;

/** Codes each set answers to (lower case, as Appwrite 1.3 matches them). */
export function avatarCodes(set: AvatarSet): string[] {
  switch (set) {
    case AvatarSet.Browsers:
      return Object.keys(BROWSERS);
    case AvatarSet.CreditCards:
      return Object.keys(CREDIT_CARDS);
    case AvatarSet.Flags:
      return [...FLAG_CODES];
  }
}

/** The SVG for a code of a set, or undefined when the set has no such code. */
export function avatarAsset(set: AvatarSet, code: string): SvgAsset | undefined {
  const key = code.toLowerCase();
  switch (set) {
    case AvatarSet.Browsers:
      return Object.hasOwn(BROWSERS, key) ? logo(BROWSERS[key]) : undefined;
    case AvatarSet.CreditCards: {
      if (!Object.hasOwn(CREDIT_CARDS, key)) return undefined;
      const card = CREDIT_CARDS[key];
      return 'icon' in card ? logo(card.icon) : genericCard(card.label);
    }
    case AvatarSet.Flags: {
      if (!FLAG_CODES.includes(key)) return undefined;
      const svg = (flags() as Record<string, string | undefined>)[key.toUpperCase()];
      return svg ? { svg, width: FLAG_WIDTH, height: FLAG_HEIGHT } : undefined;
    }
  }
}

let logoCache: Map<string, Required<IconifyIcon>> | undefined;

/**
 * The few SVG Logos icons we serve. The set is a 9 MB JSON file; it is parsed once, on first use,
 * and only the icons above are kept (requiring it would hold ~16 MB of heap for good).
 */
function logos(): Map<string, Required<IconifyIcon>> {
  if (logoCache) return logoCache;
  const set = JSON.parse(readFileSync(require.resolve('@iconify-json/logos/icons.json'), 'utf8')) as { icons: Record<string, IconifyIcon>; width?: number; height?: number };
  const wanted = new Set([...Object.values(BROWSERS), ...Object.values(CREDIT_CARDS).flatMap((card) => ('icon' in card ? [card.icon] : []))]);
  logoCache = new Map();
  for (const name of wanted) {
    const icon = set.icons[name];
    if (icon) logoCache.set(name, { body: icon.body, width: icon.width ?? set.width ?? 256, height: icon.height ?? set.height ?? 256 });
  }
  return logoCache;
}

function logo(name: string): SvgAsset | undefined {
  const icon = logos().get(name);
  if (!icon) return undefined;
  const { width, height } = icon;
  return { svg: `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${icon.body}</svg>`, width, height };
}

/** A plain card face with the brand's name, for brands no icon package draws. */
function genericCard(label: string): SvgAsset {
  const width = 256;
  const height = 160;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect x="2" y="2" width="252" height="156" rx="16" fill="#2f3a4f"/>` +
    `<rect x="24" y="44" width="40" height="30" rx="5" fill="#d9b45b"/>` +
    `<text x="232" y="134" text-anchor="end" font-family="DejaVu Sans, Arial, sans-serif" font-size="24" font-weight="bold" fill="#ffffff">${escapeXml(label)}</text>` +
    `</svg>`;
  return { svg, width, height };
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
