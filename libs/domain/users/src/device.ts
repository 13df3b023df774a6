/**
 * What Appwrite 1.3 reports about the client behind a user agent (its `Detector`, built on Matomo's
 * DeviceDetector): the os*, client* and device* fields of the session and log models. Appconda has
 * no DeviceDetector port, so this recognises the common browsers, systems and SDK/library agents and
 * answers Matomo's short codes for them; anything else is reported as empty strings, as 1.3 does for
 * agents it cannot place.
 */
export interface DeviceInfo {
  osCode: string;
  osName: string;
  osVersion: string;
  clientType: string;
  clientCode: string;
  clientName: string;
  clientVersion: string;
  clientEngine: string;
  clientEngineVersion: string;
  deviceName: string;
  deviceBrand: string;
  deviceModel: string;
}

export const EMPTY_DEVICE: Readonly<DeviceInfo> = Object.freeze({
  osCode: '',
  osName: '',
  osVersion: '',
  clientType: '',
  clientCode: '',
  clientName: '',
  clientVersion: '',
  clientEngine: '',
  clientEngineVersion: '',
  deviceName: '',
  deviceBrand: '',
  deviceModel: '',
});

interface OsRule {
  pattern: RegExp;
  code: string;
  name: string;
}

// Order matters: iOS and Android agents also say "Mac OS X" / "Linux".
const OS_RULES: readonly OsRule[] = [
  { pattern: /(?:iPhone|iPad|iPod).*?OS (\d+(?:[_.]\d+)*)/, code: 'IOS', name: 'iOS' },
  { pattern: /Android(?:[ /](\d+(?:\.\d+)*))?/, code: 'AND', name: 'Android' },
  { pattern: /Windows NT (\d+\.\d+)/, code: 'WIN', name: 'Windows' },
  { pattern: /Mac OS X (\d+(?:[_.]\d+)*)?/, code: 'MAC', name: 'Mac' },
  { pattern: /CrOS [^ ]+ (\d+(?:\.\d+)*)/, code: 'COS', name: 'Chrome OS' },
  { pattern: /Ubuntu/, code: 'UBT', name: 'Ubuntu' },
  { pattern: /Linux/, code: 'LIN', name: 'GNU/Linux' },
];

const WINDOWS_VERSIONS: Record<string, string> = { '10.0': '10', '6.3': '8.1', '6.2': '8', '6.1': '7', '6.0': 'Vista', '5.1': 'XP' };

interface ClientRule {
  pattern: RegExp;
  type: string;
  code: string;
  name: string;
  engine: string;
}

// Order matters: Edge and Opera agents also name Chrome and Safari; Chrome names Safari.
const CLIENT_RULES: readonly ClientRule[] = [
  { pattern: /Edg(?:e|A|iOS)?\/(\d+(?:\.\d+)*)/, type: 'browser', code: 'PS', name: 'Microsoft Edge', engine: 'Blink' },
  { pattern: /OPR\/(\d+(?:\.\d+)*)/, type: 'browser', code: 'OP', name: 'Opera', engine: 'Blink' },
  { pattern: /SamsungBrowser\/(\d+(?:\.\d+)*)/, type: 'browser', code: 'SB', name: 'Samsung Browser', engine: 'Blink' },
  { pattern: /(?:Chrome|CriOS)\/(\d+(?:\.\d+)*)/, type: 'browser', code: 'CH', name: 'Chrome', engine: 'Blink' },
  { pattern: /(?:Firefox|FxiOS)\/(\d+(?:\.\d+)*)/, type: 'browser', code: 'FF', name: 'Firefox', engine: 'Gecko' },
  { pattern: /Version\/(\d+(?:\.\d+)*).*Safari\//, type: 'browser', code: 'SF', name: 'Safari', engine: 'WebKit' },
  { pattern: /Appwrite\w*SDK\/(\d+(?:\.\d+)*)/i, type: 'library', code: '', name: 'Appwrite SDK', engine: '' },
  { pattern: /node-fetch\/(\d+(?:\.\d+)*)/, type: 'library', code: '', name: 'Node Fetch', engine: '' },
  { pattern: /curl\/(\d+(?:\.\d+)*)/, type: 'library', code: '', name: 'curl', engine: '' },
  { pattern: /Dart\/(\d+(?:\.\d+)*)/, type: 'library', code: '', name: 'Dart', engine: '' },
  { pattern: /okhttp\/(\d+(?:\.\d+)*)/, type: 'library', code: '', name: 'OkHttp', engine: '' },
];

const ENGINE_VERSION: Record<string, RegExp> = {
  Blink: /(?:Chrome|CriOS)\/(\d+(?:\.\d+)*)/,
  Gecko: /rv:(\d+(?:\.\d+)*)/,
  WebKit: /AppleWebKit\/(\d+(?:\.\d+)*)/,
};

function deviceOf(userAgent: string, osCode: string): Pick<DeviceInfo, 'deviceName' | 'deviceBrand' | 'deviceModel'> {
  if (/iPad/.test(userAgent)) return { deviceName: 'tablet', deviceBrand: 'Apple', deviceModel: 'iPad' };
  if (/iPhone/.test(userAgent)) return { deviceName: 'smartphone', deviceBrand: 'Apple', deviceModel: 'iPhone' };
  if (osCode === 'AND') {
    const model = /Android[^;)]*;\s*(?:[a-z]{2}[-_][a-z]{2};\s*)?([^;)]+?)(?:\s+Build\/[^;)]*)?\)/i.exec(userAgent)?.[1]?.trim() ?? '';
    return { deviceName: /Mobile/.test(userAgent) ? 'smartphone' : 'tablet', deviceBrand: '', deviceModel: model === 'K' ? '' : model };
  }
  if (['WIN', 'MAC', 'LIN', 'UBT', 'COS'].includes(osCode)) return { deviceName: 'desktop', deviceBrand: osCode === 'MAC' ? 'Apple' : '', deviceModel: '' };
  return { deviceName: '', deviceBrand: '', deviceModel: '' };
}

/** Parses a user agent into the os/client/device fields of 1.3's session and log models. */
export function detectDevice(userAgent: string | null | undefined): DeviceInfo {
  const ua = (userAgent ?? '').slice(0, 1024);
  if (!ua) return { ...EMPTY_DEVICE };
  const info: DeviceInfo = { ...EMPTY_DEVICE };
  for (const rule of OS_RULES) {
    const match = rule.pattern.exec(ua);
    if (!match) continue;
    const version = (match[1] ?? '').replace(/_/g, '.');
    info.osCode = rule.code;
    info.osName = rule.name;
    info.osVersion = rule.code === 'WIN' ? (WINDOWS_VERSIONS[version] ?? version) : version;
    break;
  }
  for (const rule of CLIENT_RULES) {
    const match = rule.pattern.exec(ua);
    if (!match) continue;
    info.clientType = rule.type;
    info.clientCode = rule.code;
    info.clientName = rule.name;
    info.clientVersion = match[1] ?? '';
    info.clientEngine = rule.engine;
    info.clientEngineVersion = rule.engine ? (ENGINE_VERSION[rule.engine]?.exec(ua)?.[1] ?? '') : '';
    break;
  }
  return { ...info, ...deviceOf(ua, info.osCode) };
}
