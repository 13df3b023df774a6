import { AppException, ErrorType } from '@appconda/core';

/** Crop anchors of Appwrite 1.3's `gravity` param. */
export enum Gravity {
  Center = 'center',
  TopLeft = 'top-left',
  Top = 'top',
  TopRight = 'top-right',
  Left = 'left',
  Right = 'right',
  BottomLeft = 'bottom-left',
  Bottom = 'bottom',
  BottomRight = 'bottom-right',
}

/** Output formats (1.3 `storage/outputs.json` keys) and their content types. */
export const PREVIEW_OUTPUTS = { jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', png: 'image/png', webp: 'image/webp' } as const;
export type PreviewOutput = keyof typeof PREVIEW_OUTPUTS;

/** The validated preview query; colours are lower-case hex without `#`, '' when not given. */
export interface PreviewParams {
  width: number;
  height: number;
  gravity: Gravity;
  quality: number;
  borderWidth: number;
  borderColor: string;
  borderRadius: number;
  opacity: number;
  rotation: number;
  background: string;
  /** '' means "the input's own format". */
  output: PreviewOutput | '';
}

export type PreviewQuery = Record<string, unknown>;

const HEX = /^([0-9a-f]{6}|[0-9a-f]{3})$/i;

function invalid(param: string, rule: string): AppException {
  return new AppException(ErrorType.GeneralArgumentInvalid, `Invalid \`${param}\` param: ${rule}`);
}

/** Query strings carry strings (or arrays when repeated: the last one wins); '' counts as absent. */
function scalar(query: PreviewQuery, param: string): string | undefined {
  let value = query[param];
  if (Array.isArray(value)) value = value[value.length - 1];
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function rangeRule(min: number, max: number): string {
  return `Value must be a valid range between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')}`;
}

function int(query: PreviewQuery, param: string, min: number, max: number, fallback: number): number {
  const raw = scalar(query, param);
  if (raw === undefined) return fallback;
  const value = /^[-+]?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw invalid(param, rangeRule(min, max));
  return value;
}

function float(query: PreviewQuery, param: string, min: number, max: number, fallback: number): number {
  const raw = scalar(query, param);
  if (raw === undefined) return fallback;
  const value = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(value) || value < min || value > max) throw invalid(param, rangeRule(min, max));
  return value;
}

function oneOf<T extends string>(query: PreviewQuery, param: string, values: readonly T[], fallback: T | ''): T | '' {
  const raw = scalar(query, param);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw)) throw invalid(param, `Value must be one of (${values.join(', ')})`);
  return raw as T;
}

function hex(query: PreviewQuery, param: string): string {
  const raw = scalar(query, param);
  if (raw === undefined) return '';
  if (!HEX.test(raw)) throw invalid(param, 'Value must be a valid Hex color code');
  return raw.toLowerCase();
}

/**
 * Validates the preview query the way Appwrite 1.3's `getFilePreview` declares its params
 * (app/controllers/api/storage.php): numbers arrive as strings and are coerced before the range
 * check; any violation is 400 general_argument_invalid naming the param.
 */
export function parsePreviewParams(query: PreviewQuery): PreviewParams {
  return {
    width: int(query, 'width', 0, 4000, 0),
    height: int(query, 'height', 0, 4000, 0),
    gravity: oneOf(query, 'gravity', Object.values(Gravity), Gravity.Center) as Gravity,
    quality: int(query, 'quality', 0, 100, 100),
    borderWidth: int(query, 'borderWidth', 0, 100, 0),
    borderColor: hex(query, 'borderColor'),
    borderRadius: int(query, 'borderRadius', 0, 4000, 0),
    opacity: float(query, 'opacity', 0, 1, 1),
    rotation: int(query, 'rotation', -360, 360, 0),
    background: hex(query, 'background'),
    output: oneOf(query, 'output', Object.keys(PREVIEW_OUTPUTS) as PreviewOutput[], ''),
  };
}

/** A stable text form of the params, part of the cache key. */
export function paramsKey(params: PreviewParams): string {
  const { width, height, gravity, quality, borderWidth, borderColor, borderRadius, opacity, rotation, background, output } = params;
  return [width, height, gravity, quality, borderWidth, borderColor, borderRadius, opacity, rotation, background, output].join('|');
}
