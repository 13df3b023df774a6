import { Migration } from './migration';
import { projectTable } from './table';

// Column sizes follow Appwrite 1.3's internal collections where they bound user input (name 128/256,
// email 320, phone 16, ip 45); long free text (user agents, provider tokens) is TEXT, which stays off
// the 65,535-byte row limit. Secrets are stored hashed, in ASCII so their indexes stay small.
const userRef = ['userInternalId BIGINT UNSIGNED NOT NULL', 'userId VARCHAR(36) NOT NULL'];

export const identityMigration: Migration = {
  version: '0001_identity',
  statements: [
    // Projects belong to the console project; `_uid` is the project's `$id` that every request names.
    projectTable(
      'projects',
      [
        'teamInternalId BIGINT UNSIGNED NULL',
        'teamId VARCHAR(36) NULL',
        'name VARCHAR(128) NOT NULL',
        "region VARCHAR(128) NOT NULL DEFAULT 'default'",
        "description VARCHAR(256) NOT NULL DEFAULT ''",
        "logo VARCHAR(255) NOT NULL DEFAULT ''",
        "url VARCHAR(2048) NOT NULL DEFAULT ''",
        "version VARCHAR(16) NOT NULL DEFAULT ''",
        "legalName VARCHAR(256) NOT NULL DEFAULT ''",
        "legalCountry VARCHAR(256) NOT NULL DEFAULT ''",
        "legalState VARCHAR(256) NOT NULL DEFAULT ''",
        "legalCity VARCHAR(256) NOT NULL DEFAULT ''",
        "legalAddress VARCHAR(256) NOT NULL DEFAULT ''",
        "legalTaxId VARCHAR(256) NOT NULL DEFAULT ''",
        "services JSON NOT NULL DEFAULT '{}'",
        "auths JSON NOT NULL DEFAULT '{}'",
        "authProviders JSON NOT NULL DEFAULT '{}'",
        'search TEXT NULL',
      ],
      ['KEY idx_name (_project, name)', 'KEY idx_team (_project, teamId)', 'FULLTEXT KEY ft_search (search)'],
    ),
    // Platforms, keys, webhooks and domains are scoped to the project they configure.
    projectTable('platforms', [
      'type VARCHAR(16) NOT NULL',
      'name VARCHAR(256) NOT NULL',
      '`key` VARCHAR(255) NULL',
      'store VARCHAR(256) NULL',
      'hostname VARCHAR(256) NULL',
    ]),
    projectTable(
      'domains',
      [
        'domain VARCHAR(255) NOT NULL',
        "tld VARCHAR(255) NOT NULL DEFAULT ''",
        "registerable VARCHAR(255) NOT NULL DEFAULT ''",
        'verification BOOLEAN NOT NULL DEFAULT 0',
        'certificateId VARCHAR(36) NULL',
        'updated DATETIME(3) NULL',
      ],
      ['UNIQUE KEY uniq_domain (_project, domain)'],
    ),
    projectTable(
      'keys',
      [
        'name VARCHAR(128) NOT NULL',
        "scopes JSON NOT NULL DEFAULT '[]'",
        'secret VARCHAR(512) CHARACTER SET ascii COLLATE ascii_bin NOT NULL',
        'expire DATETIME(3) NULL',
        'accessedAt DATETIME(3) NULL',
        "sdks JSON NOT NULL DEFAULT '[]'",
      ],
      ['KEY idx_secret (_project, secret)', 'KEY idx_accessed (_project, accessedAt)'],
    ),
    projectTable('webhooks', [
      'name VARCHAR(128) NOT NULL',
      'url VARCHAR(2048) NOT NULL',
      "httpUser VARCHAR(255) NOT NULL DEFAULT ''",
      "httpPass VARCHAR(255) NOT NULL DEFAULT ''",
      'security BOOLEAN NOT NULL DEFAULT 1',
      "events JSON NOT NULL DEFAULT '[]'",
      'signatureKey VARCHAR(2048) NOT NULL',
    ]),
    projectTable(
      'users',
      [
        "name VARCHAR(256) NOT NULL DEFAULT ''",
        'email VARCHAR(320) NULL',
        'phone VARCHAR(16) NULL',
        'status BOOLEAN NOT NULL DEFAULT 1',
        'password TEXT NULL',
        'hash VARCHAR(64) NULL',
        'hashOptions JSON NULL',
        "passwordHistory JSON NOT NULL DEFAULT '[]'",
        'passwordUpdate DATETIME(3) NULL',
        "prefs JSON NOT NULL DEFAULT '{}'",
        'registration DATETIME(3) NOT NULL',
        'emailVerification BOOLEAN NOT NULL DEFAULT 0',
        'phoneVerification BOOLEAN NOT NULL DEFAULT 0',
        '`reset` BOOLEAN NOT NULL DEFAULT 0',
        'accessedAt DATETIME(3) NULL',
        'search TEXT NULL',
      ],
      [
        // NULLs never collide, so users without an email (or phone) do not conflict.
        'UNIQUE KEY uniq_email (_project, email)',
        'UNIQUE KEY uniq_phone (_project, phone)',
        'KEY idx_name (_project, name)',
        'KEY idx_status (_project, status)',
        'KEY idx_registration (_project, registration)',
        'FULLTEXT KEY ft_search (search)',
      ],
    ),
    projectTable(
      'tokens',
      [
        ...userRef,
        'type TINYINT UNSIGNED NOT NULL',
        'secret VARCHAR(512) CHARACTER SET ascii COLLATE ascii_bin NOT NULL',
        'expire DATETIME(3) NOT NULL',
        "userAgent TEXT NOT NULL DEFAULT ''",
        "ip VARCHAR(45) NOT NULL DEFAULT ''",
      ],
      ['KEY idx_user (_project, userInternalId)'],
    ),
    projectTable(
      'sessions',
      [
        ...userRef,
        'provider VARCHAR(128) NOT NULL',
        "providerUid VARCHAR(2048) NOT NULL DEFAULT ''",
        "providerAccessToken TEXT NOT NULL DEFAULT ''",
        'providerAccessTokenExpiry DATETIME(3) NULL',
        "providerRefreshToken TEXT NOT NULL DEFAULT ''",
        'secret VARCHAR(512) CHARACTER SET ascii COLLATE ascii_bin NOT NULL',
        'expire DATETIME(3) NULL',
        "userAgent TEXT NOT NULL DEFAULT ''",
        "ip VARCHAR(45) NOT NULL DEFAULT ''",
        "countryCode VARCHAR(2) NOT NULL DEFAULT '--'",
        ...['osCode', 'osName', 'osVersion', 'clientType', 'clientCode', 'clientName', 'clientVersion', 'clientEngine', 'clientEngineVersion', 'deviceName', 'deviceBrand', 'deviceModel'].map(
          (column) => `${column} VARCHAR(256) NOT NULL DEFAULT ''`,
        ),
      ],
      ['KEY idx_user (_project, userInternalId)', 'KEY idx_provider (_project, provider, providerUid(255))'],
    ),
    projectTable(
      'teams',
      ['name VARCHAR(128) NOT NULL', 'total INT UNSIGNED NOT NULL DEFAULT 0', "prefs JSON NOT NULL DEFAULT '{}'", 'search TEXT NULL'],
      ['KEY idx_name (_project, name)', 'KEY idx_total (_project, total)', 'FULLTEXT KEY ft_search (search)'],
    ),
    projectTable(
      'memberships',
      [
        ...userRef,
        'teamInternalId BIGINT UNSIGNED NOT NULL',
        'teamId VARCHAR(36) NOT NULL',
        "roles JSON NOT NULL DEFAULT '[]'",
        'invited DATETIME(3) NULL',
        'joined DATETIME(3) NULL',
        'confirm BOOLEAN NOT NULL DEFAULT 0',
        "secret VARCHAR(512) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT ''",
        'search TEXT NULL',
      ],
      [
        'UNIQUE KEY uniq_team_user (_project, teamInternalId, userInternalId)',
        'KEY idx_user (_project, userInternalId)',
        'KEY idx_team_id (_project, teamId)',
        'KEY idx_user_id (_project, userId)',
        'FULLTEXT KEY ft_search (search)',
      ],
    ),
  ],
};
