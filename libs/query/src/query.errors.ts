import { ErrorType } from '@appconda/contracts';
import { AppException } from '@appconda/core';

/**
 * A query string that does not parse. Appwrite 1.3 reports these through the `queries` param
 * validator, so the type is `general_argument_invalid` (400) and the message starts with
 * `Invalid query: `; `position` is the 0-based offset in `query` where parsing stopped.
 */
export class QuerySyntaxException extends AppException {
  constructor(
    readonly query: string,
    readonly position: number,
    reason: string,
  ) {
    super(ErrorType.GeneralArgumentInvalid, `Invalid query: ${reason} at position ${position} in ${preview(query)}`);
    this.name = 'QuerySyntaxException';
  }
}

/** A syntactically valid query that 1.3 would reject: message prefix `Query not valid: `. */
export function queryNotValid(reason: string): AppException {
  return new AppException(ErrorType.GeneralArgumentInvalid, `Query not valid: ${reason}`);
}

/** A method the API does not accept (1.3 answers `Query method not valid: <method>`). */
export function queryMethodNotValid(method: string): AppException {
  return new AppException(ErrorType.GeneralArgumentInvalid, `Query method not valid: ${method}`);
}

/** The `queries[]` param itself is out of bounds (too many strings, or one too long). */
export function queriesParamInvalid(reason: string): AppException {
  return new AppException(ErrorType.GeneralArgumentInvalid, `Invalid \`queries\` param: ${reason}`);
}

/** Keeps messages readable when somebody sends a 4 KB query. */
function preview(query: string): string {
  return JSON.stringify(query.length > 120 ? `${query.slice(0, 117)}...` : query);
}

/** The cursor document does not exist: 1.3 answers 400 `general_cursor_not_found`. */
export function cursorNotFound(id: string): AppException {
  return new AppException(ErrorType.GeneralCursorNotFound, `Cursor document "${id}" was not found.`);
}
