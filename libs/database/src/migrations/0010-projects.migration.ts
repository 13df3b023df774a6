import { Migration } from './migration';

export const projectsMigration: Migration = {
  version: '0010_projects',
  statements: [
    // Appwrite 1.3 returns an API key's secret from get/list, so besides the sha256 lookup hash the
    // secret is kept encrypted (AES-256-GCM under a key derived from _APP_OPENSSL_KEY_V1), never in clear.
    'ALTER TABLE `keys` ADD COLUMN IF NOT EXISTS secretEncrypted VARCHAR(1024) CHARACTER SET ascii COLLATE ascii_bin NULL',
  ],
};
