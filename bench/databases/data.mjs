// The data set both targets hold: the same ids, titles, ranks and tags, so a workload asks both the
// same questions. Ranks are a permutation of 0..count-1 (unique, spread over the insertion order).

export const DOCUMENT_COUNT = 10_000;
export const LIST_LIMIT = 25;
/** The cap a 1.3 list applies to `total`. */
export const TOTAL_CAP = 5000;
const RANK_STEP = 7919; // prime, coprime with 10 000: i -> i*7919 mod n is a permutation

export const idOf = (i) => `doc${String(i).padStart(6, '0')}`;
export const rankOf = (i, count = DOCUMENT_COUNT) => (i * RANK_STEP) % count;
export const titleOf = (i) => `Document number ${i}`;
export const tagOf = (i) => `tag${i % 50}`;

/** The attribute values of seeded document i. */
export const documentData = (i, count = DOCUMENT_COUNT) => ({ title: titleOf(i), rank: rankOf(i, count), tag: tagOf(i) });

/** Row DDL of the floor's tables: the same columns and keys a collection table gets (libs/database collections), and the indexes the runner creates on Appconda's collection. */
export function floorTableSql(table) {
  return [
    `CREATE TABLE \`${table}\` (
  _id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  _uid VARCHAR(36) NOT NULL,
  _createdAt DATETIME(3) NOT NULL,
  _updatedAt DATETIME(3) NOT NULL,
  _permissions JSON NOT NULL DEFAULT '[]',
  \`title\` VARCHAR(128) NULL,
  \`rank\` INT NULL,
  \`tag\` VARCHAR(32) NULL,
  PRIMARY KEY (_id),
  UNIQUE KEY \`_uid\` (_uid),
  KEY \`_created\` (_createdAt),
  KEY \`_updated\` (_updatedAt),
  KEY \`rank_idx\` (\`rank\`),
  KEY \`tag_idx\` (\`tag\`),
  KEY \`tag_rank_idx\` (\`tag\`, \`rank\`),
  FULLTEXT KEY \`title_ft\` (\`title\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
  ];
}

/** The collection every delete workload empties, one document per request (so the main set keeps its size). */
export const trashIdOf = (i) => `del${String(i).padStart(7, '0')}`;

/** The per-document-permission collection: even documents readable by the signed-in reader, odd ones by another user. */
export const PRIVATE_COUNT = 2000;
export const privateIdOf = (i) => `prv${String(i).padStart(6, '0')}`;
export const privateData = (i, count = PRIVATE_COUNT) => ({ title: titleOf(i), rank: rankOf(i, count) });

/** The relationship read: books, each with a many-to-one author. */
export const AUTHOR_COUNT = 100;
export const BOOK_COUNT = 1000;
export const authorOf = (i) => `Author ${i}`;
export const bookIdOf = (i) => `book${String(i).padStart(5, '0')}`;
export const bookData = (i) => ({ title: `Book ${i}`, author: `author${i % AUTHOR_COUNT}` });

/** A safe schema/prefix suffix for one run. */
export const runId = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
