/** The raw `mariadb` pool (type `Pool` from 'mariadb'), for hot paths that skip the ORM. */
export const MARIADB_POOL = Symbol('MARIADB_POOL');

/** The process-wide SharedDatabase reference a DatabaseModule instance holds. */
export const SHARED_DATABASE = Symbol('SHARED_DATABASE');
