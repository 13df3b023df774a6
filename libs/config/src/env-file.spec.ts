import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { loadEnvFile } from './env-file';

describe('loadEnvFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'appconda-env-'));
  const names = ['_APPCONDA_TEST_A', '_APPCONDA_TEST_B'];

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const name of names) delete process.env[name];
  });

  it('loads a file without overriding variables already set', () => {
    const file = path.join(dir, '.env');
    writeFileSync(file, '_APPCONDA_TEST_A=from-file\n_APPCONDA_TEST_B=from-file\n');
    process.env._APPCONDA_TEST_B = 'from-env';
    expect(loadEnvFile(file)).toBe(true);
    expect(process.env._APPCONDA_TEST_A).toBe('from-file');
    expect(process.env._APPCONDA_TEST_B).toBe('from-env');
  });

  it('returns false when the file does not exist', () => {
    expect(loadEnvFile(path.join(dir, 'missing.env'))).toBe(false);
  });
});
