import type { Readable } from 'node:stream';

/**
 * Feeds each line a service writes (pino: one JSON object per line) to `onLine`, parsed; a line that is
 * not JSON goes to `onOther`, if given. Lines split across chunks are joined first.
 */
export function readJsonLines<T>(stream: Readable, onLine: (line: T) => void, onOther?: (raw: string) => void): void {
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const raw = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      let line: T;
      try {
        line = JSON.parse(raw) as T;
      } catch {
        onOther?.(raw);
        continue;
      }
      onLine(line);
    }
  });
}
