import { VARIABLES, VariableSpec } from './variables';

/** A configuration value that stops the service at boot, naming the variable and what is allowed. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type RawEnv = Record<string, string | undefined>;

function parseValue(spec: VariableSpec, raw: string): string | number | boolean | string[] {
  const type = spec.type;
  switch (type.kind) {
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${spec.name} must be an integer, got "${raw}"`);
      const value = Number(raw);
      if (type.min !== undefined && value < type.min) throw new ConfigError(`${spec.name} must be at least ${type.min}, got ${value}`);
      if (type.max !== undefined && value > type.max) throw new ConfigError(`${spec.name} must be at most ${type.max}, got ${value}`);
      return value;
    }
    case 'switch':
      if (raw !== 'enabled' && raw !== 'disabled') throw new ConfigError(`${spec.name} must be "enabled" or "disabled", got "${raw}"`);
      return raw === 'enabled';
    case 'enum':
      if (!type.values.includes(raw)) throw new ConfigError(`${spec.name} must be one of ${type.values.join(', ')}, got "${raw}"`);
      return raw;
    case 'list':
      return raw.split(',').map((item) => item.trim()).filter(Boolean);
    case 'url':
      try {
        new URL(raw);
      } catch {
        throw new ConfigError(`${spec.name} must be a URL, got "${raw}"`);
      }
      return raw;
    default:
      return raw;
  }
}

/** Reads and validates every known variable; unknown variables are ignored. */
export function readVariables(env: RawEnv): Map<string, string | number | boolean | string[]> {
  const values = new Map<string, string | number | boolean | string[]>();
  for (const spec of VARIABLES) {
    const raw = env[spec.name];
    values.set(spec.name, parseValue(spec, raw === undefined || raw === '' ? spec.default : raw));
  }
  return values;
}
