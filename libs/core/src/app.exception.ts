import { ErrorDefinition, ErrorType, PASSTHROUGH_STATUS } from '@appconda/contracts';

/**
 * The one exception domain code throws. It carries an Appwrite 1.3 error type; the filter renders it
 * as `{ message, code, type, version }`.
 */
export class AppException extends Error {
  readonly type: string;
  readonly code: number;

  constructor(definition: ErrorDefinition, message?: string) {
    super(message ?? definition.message);
    this.name = 'AppException';
    this.type = definition.type;
    this.code = definition.code;
  }

  /** The status actually sent: codes Appwrite does not pass through become 500. */
  get status(): number {
    return PASSTHROUGH_STATUS.has(this.code) ? this.code : 500;
  }
}

export function isAppException(error: unknown): error is AppException {
  return error instanceof AppException;
}

export { ErrorType };
