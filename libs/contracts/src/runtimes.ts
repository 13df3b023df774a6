/**
 * The open-runtimes v2 catalogue of Appwrite 1.3 (its `runtimes` config): the runtime keys a function may
 * name, and the fields of the `runtime` model `GET /v1/functions/runtimes` answers. Which of them an
 * installation offers is `_APP_FUNCTIONS_RUNTIMES` (see `allowedRuntimes`).
 */
export interface RuntimeDefinition {
  /** The key functions name, e.g. `node-18.0`. */
  $id: string;
  name: string;
  version: string;
  /** The image the runtime image is built from. */
  base: string;
  /** The runtime image (`openruntimes/<language>:v2-<version>`). */
  image: string;
  logo: string;
  supports: string[];
}

const BOTH = ['x86', 'arm'];

/** [language key, model name, logo, [version, base image, supported architectures?, image tag?]…] */
const LANGUAGES: ReadonlyArray<readonly [string, string, string, ReadonlyArray<readonly [string, string, string[]?, string?]>]> = [
  ['node', 'Node.js', 'node.png', [['14.5', 'node:14.5-alpine'], ['16.0', 'node:16-alpine'], ['18.0', 'node:18-alpine']]],
  ['php', 'PHP', 'php.png', [['8.0', 'php:8.0-cli-alpine'], ['8.1', 'php:8.1-cli-alpine']]],
  ['ruby', 'Ruby', 'ruby.png', [['3.0', 'ruby:3.0-alpine'], ['3.1', 'ruby:3.1-alpine']]],
  ['python', 'Python', 'python.png', [['3.8', 'python:3.8-alpine'], ['3.9', 'python:3.9-alpine'], ['3.10', 'python:3.10-alpine']]],
  ['deno', 'Deno', 'deno.png', [['1.21', 'denoland/deno:alpine-1.21.3', ['x86']], ['1.24', 'denoland/deno:alpine-1.24.3', ['x86']]]],
  ['dart', 'Dart', 'dart.png', [['2.15', 'dart:2.15'], ['2.16', 'dart:2.16'], ['2.17', 'dart:2.17']]],
  ['dotnet', '.NET', 'dotnet.png', [['3.1', 'mcr.microsoft.com/dotnet/sdk:3.1'], ['6.0', 'mcr.microsoft.com/dotnet/sdk:6.0-alpine']]],
  ['java', 'Java', 'java.png', [['8.0', 'openjdk/8-jdk-slim'], ['11.0', 'openjdk/11-jdk-slim'], ['17.0', 'openjdk/17-jdk-slim'], ['18.0', 'openjdk/18-jdk-slim']]],
  ['swift', 'Swift', 'swift.png', [['5.5', 'swiftarm/swift:5.5.2-focal-multi-arch']]],
  ['kotlin', 'Kotlin', 'kotlin.png', [['1.6', 'openjdk/17-jdk-slim']]],
  // 1.3 tags the C++ image `v2-17`, not `v2-17.0`.
  ['cpp', 'C++', 'cpp.png', [['17.0', 'alpine:3.15', BOTH, '17']]],
];

/** Every runtime of the 1.3 catalogue, in its order, keyed by `$id`. */
export const RUNTIMES: Readonly<Record<string, RuntimeDefinition>> = Object.fromEntries(
  LANGUAGES.flatMap(([language, name, logo, versions]) =>
    versions.map(([version, base, supports = BOTH, tag = version]) => {
      const $id = `${language}-${version}`;
      return [$id, { $id, name, version, base, image: `openruntimes/${language}:v2-${tag}`, logo, supports: [...supports] }] as const;
    }),
  ),
);

/**
 * The runtimes an installation offers (1.3 filters its catalogue by `_APP_FUNCTIONS_RUNTIMES`): the
 * listed keys that exist, in catalogue order; an empty list offers all of them.
 */
export function allowedRuntimes(allowList: readonly string[]): RuntimeDefinition[] {
  const wanted = new Set(allowList.map((key) => key.trim()).filter(Boolean));
  return Object.values(RUNTIMES).filter((runtime) => wanted.size === 0 || wanted.has(runtime.$id));
}
