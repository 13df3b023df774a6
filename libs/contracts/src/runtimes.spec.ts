import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { allowedRuntimes, RUNTIMES } from './runtimes';

// The reference folder sits next to the checkout (../shared), or one level up from a worktree.
const reference = ['../../../../shared', '../../../../../shared'].map((up) => path.resolve(__dirname, up, 'appwrite-1.3/runtimes.json')).find(existsSync) ?? '';

describe('RUNTIMES', () => {
  it('offers the listed runtimes in catalogue order, all of them for an empty list, none unknown', () => {
    expect(allowedRuntimes(['python-3.9', 'node-18.0', 'cobol-1.0']).map((r) => r.$id)).toEqual(['node-18.0', 'python-3.9']);
    expect(allowedRuntimes([])).toHaveLength(Object.keys(RUNTIMES).length);
  });

  (reference ? it : it.skip)('is the Appwrite 1.3 catalogue, key for key and field for field', () => {
    const catalogue = JSON.parse(readFileSync(reference, 'utf8')) as Record<string, object>;
    const ours = Object.fromEntries(Object.entries(RUNTIMES).map(([key, { $id: _id, ...fields }]) => [key, fields]));
    expect(Object.keys(ours)).toEqual(Object.keys(catalogue));
    expect(ours).toEqual(catalogue);
  });
});
