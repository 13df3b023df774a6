/**
 * The Appwrite 1.3 query language of list routes (`queries[]`), in three steps:
 *
 *   const groups = validateQueries(parseQueries(dto.queries), schema);  // 400 general_argument_invalid
 *   // load the cursor document when groups.cursor is set (missing -> throw cursorNotFound(id), 400 general_cursor_not_found)
 *   const { where, params, orderBy, limit, offset, reverse } = compileQueries(groups, { cursorRow });
 *
 * Everything here is pure: no IO, no SQL execution.
 */
export * from './query.compiler';
export * from './query.errors';
export * from './query.groups';
export * from './query.parser';
export * from './query.presets';
export * from './query.types';
export * from './query.validator';
