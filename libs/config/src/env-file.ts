import { existsSync } from 'node:fs';
import path from 'node:path';

import { config as dotenv } from 'dotenv';

/**
 * Loads a `.env` file into `process.env` (variables already set win, as with docker-compose).
 * Call it before the first `appConfig()`; AppConfig itself only reads the env object it is given.
 * @param file defaults to `$APPCONDA_ENV_FILE`, else `.env` in the working directory (as the CLI does)
 * @returns true when the file existed and was loaded
 */
export function loadEnvFile(file = process.env.APPCONDA_ENV_FILE ?? path.join(process.cwd(), '.env')): boolean {
  if (!existsSync(file)) return false;
  const result = dotenv({ path: file, quiet: true });
  if (result.error) throw result.error;
  return true;
}
