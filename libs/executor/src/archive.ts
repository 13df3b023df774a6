import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';

/** Largest unpacked size of a deployment (a guard against gzip bombs). */
export const UNPACKED_LIMIT = 1024 * 1024 * 1024;

/** The archive was refused; the message says why (the build's stderr shows it). */
export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/** True when `target`, resolved from `from` (both relative to the archive's root), leaves the root. */
function escapes(from: string, target: string): boolean {
  if (path.posix.isAbsolute(target) || /^[A-Za-z]:[\\/]/.test(target)) return true;
  const resolved = path.posix.normalize(path.posix.join(from, target));
  return resolved === '..' || resolved.startsWith('../');
}

/** `name` without its first `strip` components (as tar's own `strip` option drops them). */
function stripped(name: string, strip: number): string {
  return strip > 0 ? name.split('/').slice(strip).join('/') : name;
}

function refusal(entry: tar.ReadEntry, strip: number): string | undefined {
  const name = stripped(entry.path, strip);
  if (path.posix.isAbsolute(name) || /^[A-Za-z]:[\\/]/.test(name)) return `absolute path "${name}"`;
  if (name.split(/[\\/]/).includes('..')) return `path "${name}" leaves the code folder`;
  if (!ALLOWED_TYPES.has(entry.type)) return `"${name}" is a ${entry.type}, which a deployment may not contain`;
  const link = entry.type === 'Link' ? stripped(entry.linkpath ?? '', strip) : (entry.linkpath ?? '');
  if (entry.type === 'SymbolicLink' && escapes(path.posix.dirname(name), link)) return `symbolic link "${name}" -> "${link}" points outside the code folder`;
  if (entry.type === 'Link' && escapes('.', link)) return `hard link "${name}" -> "${link}" points outside the code folder`;
  return undefined;
}

/**
 * Checks every entry of a `.tar.gz` before anything is written: no absolute path, no `..`, no device or
 * FIFO, no symbolic or hard link resolving outside the code folder, at most {@link UNPACKED_LIMIT} bytes.
 */
async function inspect(file: string, limit: number, strip: number): Promise<void> {
  let problem: string | undefined;
  let size = 0;
  try {
    await tar.t({
      file,
      strict: true,
      onReadEntry: (entry) => {
        size += entry.size ?? 0;
        problem ??= refusal(entry, strip) ?? (size > limit ? `it unpacks to more than ${limit} bytes` : undefined);
      },
    });
  } catch (error) {
    throw new ArchiveError(`The deployment is not a valid .tar.gz archive (${(error as Error).message}).`);
  }
  if (problem) throw new ArchiveError(`The deployment archive was refused: ${problem}.`);
}

/**
 * Unpacks a deployment's `.tar.gz` (or a plain tar: tar detects it) into `dest` (created; must not exist)
 * after {@link inspect} accepted every entry. On any failure nothing is left at `dest`.
 */
export async function safeExtract(file: string, dest: string, options: { limit?: number; strip?: number } = {}): Promise<void> {
  const strip = options.strip ?? 0;
  await inspect(file, options.limit ?? UNPACKED_LIMIT, strip);
  await mkdir(path.dirname(dest), { recursive: true });
  const staging = await mkdtemp(`${dest}.unpack-`);
  try {
    await tar.x({ file, cwd: staging, strict: true, preserveOwner: false, strip });
    await rename(staging, dest);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error instanceof ArchiveError ? error : new ArchiveError(`The deployment could not be unpacked (${(error as Error).message}).`);
  }
}

/** Packs the contents of `dir` as a `.tar.gz` at `file` (written beside it, then renamed into place). */
export async function packDirectory(dir: string, file: string): Promise<number> {
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  try {
    await tar.c({ file: partial, cwd: dir, gzip: { level: 6 }, portable: true }, ['.']);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return (await stat(file)).size;
}
