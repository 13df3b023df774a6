/** The languages Appconda has a v2 runtime server for (libs/executor/runtimes/<language>). */
export type RuntimeLanguage = 'node' | 'python';

export interface RuntimeSpec {
  /** The runtimes.json key, e.g. `node-18.0`. */
  key: string;
  language: RuntimeLanguage;
  /** The image the docker driver starts (built locally by tools/images/build-runtime-images.sh). */
  image: string;
}

/**
 * The runtimes.json keys the executor can run. Appconda writes its own v2 servers for node and python
 * only, so php, ruby, deno, dart, dotnet, java, swift, kotlin and cpp are refused by both drivers.
 */
const SPECS: Record<string, RuntimeSpec> = Object.fromEntries(
  [
    ['node-14.5', 'node', 'openruntimes/node:v2-14.5'],
    ['node-16.0', 'node', 'openruntimes/node:v2-16.0'],
    ['node-18.0', 'node', 'openruntimes/node:v2-18.0'],
    ['python-3.8', 'python', 'openruntimes/python:v2-3.8'],
    ['python-3.9', 'python', 'openruntimes/python:v2-3.9'],
    ['python-3.10', 'python', 'openruntimes/python:v2-3.10'],
  ].map(([key, language, image]) => [key, { key, language: language as RuntimeLanguage, image }]),
);

export function runtimeSpec(key: string): RuntimeSpec | undefined {
  return Object.hasOwn(SPECS, key) ? SPECS[key] : undefined;
}

export function knownRuntimeKeys(): string[] {
  return Object.keys(SPECS);
}

/**
 * The shell script a build runs in the code folder, or undefined when there is nothing to install:
 * node installs `package.json`'s production dependencies, python installs `requirements.txt` into the
 * `.venv` virtualenv the python server puts on sys.path (`--copies`: a venv's usual symlinks to the
 * interpreter are absolute, which the artifact's safe unpacking refuses).
 */
export function installScript(spec: RuntimeSpec, files: { packageJson: boolean; requirements: boolean }): string | undefined {
  if (spec.language === 'node' && files.packageJson) return 'npm install --omit=dev --no-audit --no-fund --no-update-notifier';
  if (spec.language === 'python' && files.requirements) return 'python3 -m venv --copies .venv && .venv/bin/pip install --no-cache-dir --disable-pip-version-check -r requirements.txt';
  return undefined;
}
