import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { ErrorType, PASSTHROUGH_STATUS } from './errors';

const reference = path.resolve(__dirname, '../../../../shared/appwrite-1.3/errors.json');

describe('ErrorType', () => {
  it('has unique type strings', () => {
    const types = Object.values(ErrorType).map((e) => e.type);
    expect(new Set(types).size).toBe(types.length);
  });

  it('has a written message for every type, not one derived from the type string', () => {
    for (const { type, message } of Object.values(ErrorType)) {
      const derived = type.replace(/_/g, ' ') + '.';
      expect([type, message.toLowerCase() === derived]).toEqual([type, false]);
      expect(message).toMatch(/^[A-Z"].*[.]$/);
    }
  });

  it('passes through the statuses Appwrite keeps', () => {
    expect([...PASSTHROUGH_STATUS].sort()).toEqual([400, 401, 402, 403, 404, 409, 412, 416, 429, 501, 503]);
  });

  (existsSync(reference) ? it : it.skip)('matches every type and code of the Appwrite 1.3 catalogue', () => {
    const catalogue: { type: string; code: number }[] = JSON.parse(readFileSync(reference, 'utf8'));
    const ours = new Map<string, number>(Object.values(ErrorType).map((e) => [e.type, e.code]));
    for (const { type, code } of catalogue) expect([type, ours.get(type)]).toEqual([type, code]);
    expect(ours.size).toBe(catalogue.length);
  });
});
